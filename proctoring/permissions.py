"""Who proctors a test: the only access checks of proctoring (TS-8).

- A test's proctors are its owner, the colleagues chosen in its proctoring
  settings, and those who may manage the test (hub.testing.permissions:
  testing offices over its groups, the deanery keeping their grades). They see
  the live grid, the review pages and the frames, message a student, extend
  or end an attempt.
- The proctoring settings of a test are changed by those who may write the
  test (its owner, EDIT on testing over its groups).
- Frames and page events are sent only by the attempt's own student
  (`access_own_attempt`; the lean frame upload path: `access_own_attempt_of_session`,
  else `access_own_attempt_to_send`).
- Annulling from the review page: `access_attempt_to_annul` (a proctor who may annul, by hub.testing's `may_annul`).

Every `access_*` gives the same Http404 for a missing and a forbidden object.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from hub.accounts.models import User
from hub.testing.models import Attempt, Test
from hub.testing.permissions import (
    access_attempt,
    access_own_attempt_reading,
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


def access_own_attempt_to_send(user, attempt_id: int) -> Attempt:
    """An attempt for its own student sending a camera frame, by the same rule as
    `access_own_attempt` (hub.testing's `take`: the attempt's student only) in one narrow
    query: what storing a frame reads (status, deadline, test, student). The lean upload
    path (proctoring.upload) calls it a hundred times a second during a test."""
    return access_own_attempt_reading(user, attempt_id, ("status", "deadline", "test_id"))


# What the lean upload path reads of the user: the session's check and the answer's language.
_SENDER_FIELDS = ("password", "is_active", "language", "must_change_password")
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def access_own_attempt_of_session(session, attempt_id: int) -> tuple[User, Attempt] | None:
    """The signed-in user of `session` and their own attempt `attempt_id`, for a camera
    frame, in one query (the attempt with its student's user) rather than two, when the
    session verifies exactly as Django's get_user verifies it: signed in through
    ModelBackend, the user active, the session's password hash the user's current one.
    None for anything else (another's attempt, another backend, a hash to rotate or that
    fails): the caller then resolves the user the standard way (get_user) and checks
    with `access_own_attempt_to_send`, so this only ever lets through less."""
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend != _MODEL_BACKEND or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    attempt = (
        Attempt.objects.select_related("student__user")
        .only("status", "deadline", "test_id", *(f"student__user__{f}" for f in _SENDER_FIELDS))
        .filter(pk=attempt_id, student__user_id=user_id)
        .first()
    )
    if attempt is None:
        return None
    user = attempt.student.user
    session_hash = session.get(HASH_SESSION_KEY)
    if not user.is_active or not session_hash:
        return None
    if not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    return user, attempt
