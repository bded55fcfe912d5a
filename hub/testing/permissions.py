"""Who may read and write banks, tests and attempts: the only access checks of this app.

- A bank is read by its owner, the colleagues it is shared with, and those
  with VIEW on testing institution-wide; written (import, copy into it) by
  its owner (EDIT on testing over own data) and by EDIT on testing
  institution-wide. Its writers also share it and stop sharing it
  (`access_bank(..., write=True)`); a colleague it is shared with cannot.
- A test is managed (read, its attempts seen) by its owner, by those
  with VIEW on testing over one of the groups it is given to (the
  distance-learning office) and by those keeping the grades (EDIT on grades)
  of one of them (the deanery of the faculty); written (assigned) by its
  owner and EDIT on testing over one of its groups. An attempt is annulled by the test's writers and by
  those keeping the grades (EDIT on grades) of one of its groups: the deanery.
- An attempt is taken (answers, submit) only by its student; read by its
  student and the test's managers.

Every `access_*` gives the same Http404 for a missing and a forbidden object.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from django.contrib.auth import get_user
from django.db import DEFAULT_DB_ALIAS
from django.http import Http404
from django.utils.translation import gettext as _

from academic.records.models import Student, StudentState
from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.models import ScopeKind, User
from hub.compiled import Compiled
from hub.lean import SESSION_USER_FIELDS, session_user_id, session_verifies
from hub.testing.models import Attempt, Bank, Test, camera_interval


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def is_teacher(user) -> bool:
    """Does `user` make tests (EDIT on testing over their own data)?"""
    return has_right(user, Module.TESTING, Level.EDIT, scope=Scope.own())


def is_test_taker(user) -> bool:
    """May `user` take tests (VIEW on testing over their own data)?"""
    return has_right(user, Module.TESTING, Level.VIEW, scope=Scope.own())


def _institution(user, level: int) -> bool:
    return has_right(user, Module.TESTING, level, scope=Scope.institution())


def may_read_bank(user, bank: Bank) -> bool:
    if not user.is_authenticated:
        return False
    if bank.owner_id == user.pk and is_teacher(user):
        return True
    if _institution(user, Level.VIEW):
        return True
    return is_teacher(user) and bank.shared_with.filter(pk=user.pk).exists()


def may_write_bank(user, bank: Bank) -> bool:
    if not user.is_authenticated:
        return False
    return (bank.owner_id == user.pk and is_teacher(user)) or _institution(user, Level.EDIT)


def access_bank(user, bank_id: int, *, write: bool = False) -> Bank:
    """The bank `bank_id` if `user` reads it (imports into it, with `write`)."""
    bank = Bank.objects.select_related("owner", "discipline").filter(pk=bank_id).first()
    if bank is None:
        raise _not_found()
    if not (may_write_bank(user, bank) if write else may_read_bank(user, bank)):
        raise _not_found()
    return bank


def test_group_ids(test: Test) -> list[int]:
    """The groups the test is given to, and the current groups of the students it is
    given to by name (read once per object)."""
    if not hasattr(test, "_group_ids"):
        groups = {a.group_id for a in test.assignments.all() if a.group_id}
        students = [a.student_id for a in test.assignments.all() if a.student_id]
        if students:
            groups |= set(
                StudentState.objects.filter(student_id__in=students).values_list(
                    "group_id", flat=True
                )
            )
        test._group_ids = sorted(groups)
    return test._group_ids


def _over_groups(user, test: Test, module: str, level: int) -> bool:
    return any(
        has_right(user, module, level, scope=Scope(ScopeKind.GROUP, group_id))
        for group_id in test_group_ids(test)
    )


def _owns(user, test: Test) -> bool:
    return test.owner_id == user.pk and is_teacher(user)


def may_manage_test(user, test: Test, *, write: bool = False) -> bool:
    """Its owner and testing offices over one of its groups; reading also for those keeping
    the grades of one of its groups (the deanery, who may annul its attempts)."""
    if not user.is_authenticated:
        return False
    level = Level.EDIT if write else Level.VIEW
    if _owns(user, test) or _over_groups(user, test, Module.TESTING, level):
        return True
    return not write and _over_groups(user, test, Module.GRADES, Level.EDIT)


def may_annul(user, test: Test) -> bool:
    """The test's writers and those keeping the grades of one of its groups (the deanery)."""
    return may_manage_test(user, test, write=True) or _over_groups(
        user, test, Module.GRADES, Level.EDIT
    )


def access_test(user, test_id: int, *, write: bool = False) -> Test:
    """The test `test_id` for its managers (assigning it, with `write`)."""
    test = (
        Test.objects.select_related("owner", "checkpoint__course")
        .prefetch_related("assignments")
        .filter(pk=test_id)
        .first()
    )
    if test is None or not may_manage_test(user, test, write=write):
        raise _not_found()
    return test


def access_own_attempt_reading(user, attempt_id: int, fields: tuple[str, ...]) -> Attempt:
    """The attempt of `user` as its student (the rule of `access_attempt(take=True)`), read
    in one narrow query with only `fields` and its student's user: for the requests every
    student of an exam sends every few seconds (answers here, camera frames in proctoring)."""
    attempts = Attempt.objects.select_related("student").only(*fields, "student__user_id")
    return _own_attempt(user, attempt_id, attempts)


def access_own_attempt_of_session(session, attempt_id: int, fields: tuple[str, ...]):
    """The signed-in user of `session` and their own attempt `attempt_id` read with only
    `fields` (the rule of `access_own_attempt_reading`), or None where Django answers (no
    user, another's attempt: its 404). For the lean paths (hub.lean): in one query, the
    attempt with its student's user, when the session verifies as get_user verifies it;
    else the standard way, get_user and then `access_own_attempt_reading`."""
    user_id = session_user_id(session)
    if user_id is not None:
        row = _own_attempt_with_user(fields).first(attempt_id=attempt_id, user_id=user_id)
        if row is not None:
            user, attempt = _user_and_attempt(attempt_id, user_id, fields, row)
            if session_verifies(session, user):
                return user, attempt
    user = get_user(SimpleNamespace(session=session))
    try:
        return user, access_own_attempt_reading(user, attempt_id, fields)
    except Http404:
        return None


@cache
def _own_attempt_with_user(fields: tuple[str, ...]) -> Compiled:
    """The query of `access_own_attempt_of_session` reading `fields`: the attempt's student,
    `fields` and its student's user, compiled once (hub.compiled): every student of an
    exam sends an answer or a camera frame every few seconds."""

    def own_attempt_with_user(attempt_id: int, user_id: int):
        return Attempt.objects.filter(pk=attempt_id, student__user_id=user_id).values_list(
            "student_id", *fields, *(f"student__user__{f}" for f in SESSION_USER_FIELDS)
        )

    return Compiled(own_attempt_with_user)


def _user_and_attempt(attempt_id: int, user_id: int, fields: tuple[str, ...], row: tuple):
    """The user and their attempt (its student and user attached) from a row of
    `_own_attempt_with_user`, as the ORM builds them with .only(): what was not read is
    deferred, read from the database if ever used."""
    student_id, *values = row
    read, user_read = values[: len(fields)], values[len(fields) :]
    user = _instance(
        User, {"id": user_id, **dict(zip(SESSION_USER_FIELDS, user_read, strict=True))}
    )
    student = _instance(Student, {"id": student_id, "user_id": user_id})
    student.user = user
    attempt = _instance(
        Attempt,
        {"id": attempt_id, "student_id": student_id, **dict(zip(fields, read, strict=True))},
    )
    attempt.student = student
    return user, attempt


def _instance(model, values: dict):
    """`model`'s instance of `values` (by field name or attname) as the database gave them,
    the other fields deferred."""
    by_attname = {model._meta.get_field(name).attname: value for name, value in values.items()}
    names = [f.attname for f in model._meta.concrete_fields if f.attname in by_attname]
    return model.from_db(DEFAULT_DB_ALIAS, names, [by_attname[name] for name in names])


# What an answer save reads of its attempt.
ANSWER_FIELDS = ("status", "deadline", "questions")


def access_attempt_to_answer(user, attempt_id: int) -> Attempt:
    """The attempt `user` saves an answer to: their own, with what a save reads."""
    return access_own_attempt_reading(user, attempt_id, ANSWER_FIELDS)


def access_attempt_page(user, attempt_id: int) -> Attempt:
    """The attempt `user` takes on its page: their own (the rule of `access_attempt(take=True)`),
    with its test and `camera_interval`, the seconds between camera frames if the test requires
    the camera (TS-8) or else None, all in one query: every student of an exam opens the page
    at its start. The student row is joined for the check, not read."""
    attempts = Attempt.objects.select_related("test").annotate(
        camera_interval=camera_interval("test__")
    )
    return _own_attempt(user, attempt_id, attempts)


def _own_attempt(user, attempt_id: int, attempts) -> Attempt:
    """The attempt `attempt_id` of `attempts` (a queryset: what to read with it) if it is
    `user`'s own as its student, else Django's 404."""
    attempt = (
        attempts.filter(pk=attempt_id, student__user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if attempt is None:
        raise _not_found()
    return attempt


def access_attempt(user, attempt_id: int, *, write: bool = False, take: bool = False) -> Attempt:
    """An attempt: `take` (answer, submit) for its student only; `write` (annul) for
    `may_annul`; reading for its student and the test's managers."""
    attempt = Attempt.objects.select_related("test", "student__user").filter(pk=attempt_id).first()
    if attempt is None or not user.is_authenticated:
        raise _not_found()
    own = attempt.student.user_id == user.pk
    if take:
        allowed = own
    elif write:
        allowed = may_annul(user, attempt.test)
    else:
        allowed = own or may_manage_test(user, attempt.test)
    if not allowed:
        raise _not_found()
    return attempt
