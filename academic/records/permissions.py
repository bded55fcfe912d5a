"""Who may read and write student records: the only access checks of this app.

Reading is scoped (AC-2): the records office and the rector's office read every
student, a deanery its faculty's, a curator its group's — through the group of
each student's running state (scopes.py). A student reads their own file, a
parent their children's (AC-8). Writing personal files and orders belongs to
the office that owns students' legal movements, institution-wide.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from academic.records.models import Order, Student
from academic.structure.permissions import groups_visible_filter
from hub.accounts.access import (
    Level,
    Module,
    Scope,
    can_read_person,
    has_right,
    owns_data,
    scopes_for,
)
from hub.accounts.models import DataKind, ScopeKind


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def office_scopes(user) -> list[Scope]:
    """The unit scopes (not own data) where `user` reads student records."""
    return [s for s in scopes_for(user, Module.RECORDS, Level.VIEW) if s.kind != ScopeKind.OWN]


def may_read_records(user) -> bool:
    """Does `user` read the records of any students beyond their own (menus, list pages)?"""
    return bool(office_scopes(user))


def may_read_orders(user) -> bool:
    """Orders concern the whole institution: read by institution-wide readers of records."""
    return has_right(user, Module.RECORDS, Level.VIEW, scope=Scope.institution())


def may_write_records(user) -> bool:
    """The owner of students' legal movements with EDIT on records, institution-wide."""
    institution = Scope.institution()
    return owns_data(user, DataKind.STUDENT_MOVEMENTS, scope=institution) and has_right(
        user, Module.RECORDS, Level.EDIT, scope=institution
    )


def visible_students(user) -> QuerySet[Student]:
    """The students whose files `user` reads as an office (by their running state's group).

    Students not yet admitted are seen by institution-wide readers only.
    """
    scopes = office_scopes(user)
    if not scopes:
        return Student.objects.none()
    condition = groups_visible_filter(scopes, prefix="group__")
    if condition is None:
        return Student.objects.all()
    from academic.records.models import StudentState

    states = StudentState.objects.filter(condition, valid_to__isnull=True)
    return Student.objects.filter(pk__in=states.values("student_id"))


def access_student(user, student_id: int, *, write: bool = False) -> Student:
    """The student `student_id` if `user` may read the file (keep it, with `write`).

    A missing and a forbidden student give the same Http404.
    """
    student = Student.objects.select_related("user").filter(pk=student_id).first()
    if student is None:
        raise _not_found()
    if write:
        allowed = may_write_records(user)
    else:
        allowed = can_read_person(user, student.user, module=Module.RECORDS) or (
            not student.states.exists() and may_read_orders(user)
        )
    if not allowed:
        raise _not_found()
    return student


def access_records(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads (or, with `write`, keeps) student records as an office."""
    if not (may_write_records(user) if write else may_read_records(user)):
        raise _not_found()


def access_orders(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads orders (drafts them, with `write`)."""
    if not (may_write_records(user) if write else may_read_orders(user)):
        raise _not_found()


def access_order(user, order_id: int, *, write: bool = False) -> Order:
    """The order `order_id` if `user` may read it (draft and sign it, with `write`)."""
    order = Order.objects.filter(pk=order_id).first()
    allowed = may_write_records(user) if write else may_read_orders(user)
    if order is None or not allowed:
        raise _not_found()
    return order
