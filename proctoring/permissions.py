"""Who proctors a test: the only access checks of proctoring (TS-8).

- A test's proctors are its owner, the colleagues chosen in its proctoring
  settings, and those who may manage the test (hub.testing.permissions:
  testing offices over its groups, the deanery keeping their grades). They see
  the live grid, the review pages and the frames, message a student, extend
  or end an attempt.
- The proctoring settings of a test are changed by those who may write the
  test (its owner, EDIT on testing over its groups).
- Frames and page events are sent only by the attempt's own student
  (`access_own_attempt`; the lean frame upload path: hub.testing's
  `access_own_attempt_of_session` with `FRAME_FIELDS`).
- Annulling from the review page: `access_attempt_to_annul` (a proctor who may annul, by hub.testing's `may_annul`).

Every `access_*` gives the same Http404 for a missing and a forbidden object.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from hub.testing.models import Attempt, Test
from hub.testing.permissions import (
    access_attempt,
    access_test,
    may_annul,
    may_manage_test,
)
from proctoring.models import ProctoringSettings


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def is_chosen_proctor(user, test: Test) -> bool:
    return ProctoringSettings.objects.filter(test_id=test.pk, proctors=user.pk).exists()


def is_proctor(user, test: Test) -> bool:
    """The test's owner, its chosen proctors and those who may manage it."""
    if not user.is_authenticated:
        return False
    if test.owner_id == user.pk:
        return True
    return may_manage_test(user, test) or is_chosen_proctor(user, test)


def _test(test_id: int) -> Test | None:
    return (
        Test.objects.select_related("owner", "checkpoint__course")
        .prefetch_related("assignments")
        .filter(pk=test_id)
        .first()
    )


def access_proctored_test(user, test_id: int) -> Test:
    """The test `test_id` for its proctors (the live grid, its socket)."""
    test = _test(test_id)
    if test is None or not is_proctor(user, test):
        raise _not_found()
    return test


def access_test_settings(user, test_id: int) -> Test:
    """The test `test_id` for those who may change its proctoring settings (its writers)."""
    return access_test(user, test_id, write=True)


def access_proctored_attempt(user, attempt_id: int) -> Attempt:
    """An attempt for the proctors of its test (review, frames, extend, end, message)."""
    attempt = (
        Attempt.objects.select_related("test__owner", "student__user")
        .prefetch_related("test__assignments")
        .filter(pk=attempt_id)
        .first()
    )
    if attempt is None or not is_proctor(user, attempt.test):
        raise _not_found()
    return attempt


def access_attempt_to_annul(user, attempt_id: int) -> Attempt:
    """An attempt whose result `user` may annul from its review: a proctor of its test who
    may annul (hub.testing's `may_annul`: its teachers and the deanery)."""
    attempt = access_proctored_attempt(user, attempt_id)
    if not may_annul(user, attempt.test):
        raise _not_found()
    return attempt


def access_own_attempt(user, attempt_id: int) -> Attempt:
    """An attempt for its own student, who sends its frames and page events."""
    return access_attempt(user, attempt_id, take=True)


# What storing a frame reads of its attempt (the lean upload path, proctoring.upload).
FRAME_FIELDS = ("status", "deadline", "test_id")
