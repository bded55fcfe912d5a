"""Who may read and write staff records: the only access checks of this app.

Writing (cards, orders, the establishment) is the HR office's work for the
whole institution: the owner of staff legal movements (AC-2) with
institution-wide EDIT on the staff module. Reading needs VIEW on the staff
module: institution-wide it covers everyone; a department (or faculty,
college) scope covers the employees holding a post there now or from a later
date. Everyone reads their own card. Orders and reports across departments
are for institution-wide readers; a department reads its own figures.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.staff.models import Employee, EmployeeDocument, StaffOrder
from academic.structure.models import Department
from hub.accounts.access import Level, Module, Scope, has_right, owns_data, scopes_for
from hub.accounts.models import DataKind, ScopeKind


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def may_write_staff(user) -> bool:
    """True for the HR office (owner of staff movements, EDIT on staff) and superusers."""
    institution = Scope.institution()
    return owns_data(user, DataKind.STAFF_MOVEMENTS, scope=institution) and has_right(
        user, Module.STAFF, Level.EDIT, scope=institution
    )


def read_scopes(user) -> list[Scope]:
    """The unit scopes where `user` reads staff records (own-data scopes left out)."""
    return [s for s in scopes_for(user, Module.STAFF, Level.VIEW) if s.kind != ScopeKind.OWN]


def may_read_staff(user) -> bool:
    """Does `user` read the staff of any unit (for menus and the list pages)?"""
    return bool(read_scopes(user))


def reads_whole_staff(user) -> bool:
    """Does `user` read every employee, every order and the institution's reports?"""
    return Scope.institution() in read_scopes(user)


def readable_department_ids(user) -> list[int] | None:
    """The departments whose staff `user` reads; None means all of them."""
    scopes = read_scopes(user)
    if Scope.institution() in scopes:
        return None
    ids = {scope.id for scope in scopes if scope.kind == ScopeKind.DEPARTMENT}
    faculties = [scope.id for scope in scopes if scope.kind == ScopeKind.FACULTY]
    colleges = [scope.id for scope in scopes if scope.kind == ScopeKind.COLLEGE]
    if faculties or colleges:
        units = Department.objects.filter(Q(faculty_id__in=faculties) | Q(college_id__in=colleges))
        ids.update(units.values_list("pk", flat=True))
    return sorted(ids)


def employees_in_departments(department_ids: list[int]) -> Q:
    """A filter on Employee: holding a post in one of the departments now or later."""
    today = timezone.localdate()
    return Q(
        pk__in=Employee.objects.filter(
            Q(positions__valid_to__isnull=True) | Q(positions__valid_to__gte=today),
            positions__department_id__in=department_ids,
        ).values("pk")
    )


def visible_employees(user) -> QuerySet[Employee]:
    """The cards `user` reads as a staff reader (their own card is not added here)."""
    department_ids = readable_department_ids(user)
    if department_ids is None:
        return Employee.objects.all()
    return Employee.objects.filter(employees_in_departments(department_ids))


def access_staff(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads (or, with `write`, keeps) staff records."""
    allowed = may_write_staff(user) if write else may_read_staff(user)
    if not allowed:
        raise _not_found()


def access_staff_orders(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads every order (or, with `write`, is the HR office)."""
    allowed = may_write_staff(user) if write else reads_whole_staff(user)
    if not allowed:
        raise _not_found()


def access_employee(user, employee_id: int, *, write: bool = False) -> Employee:
    """The card `employee_id` if `user` may read it (keep it, with `write`).

    Read: the employee themselves, or a staff reader whose scope holds the card.
    A missing and a forbidden card give the same Http404.
    """
    employee = (
        Employee.objects.select_related("user", "soate__parent__parent__parent")
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        raise _not_found()
    if write:
        allowed = may_write_staff(user)
    else:
        allowed = (user.is_authenticated and employee.user_id == user.pk) or visible_employees(
            user
        ).filter(pk=employee.pk).exists()
    if not allowed:
        raise _not_found()
    return employee


def access_employee_document(user, document_id: int) -> EmployeeDocument:
    """The document `document_id` if `user` may read its card; Http404 otherwise."""
    document = EmployeeDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise _not_found()
    document.employee = access_employee(user, document.employee_id)
    return document


def access_staff_order(user, order_id: int, *, write: bool = False) -> StaffOrder:
    """The order `order_id` for an institution-wide staff reader (the HR office, with `write`).

    A missing and a forbidden order give the same Http404.
    """
    order = StaffOrder.objects.select_related("signer").filter(pk=order_id).first()
    if order is None:
        raise _not_found()
    allowed = may_write_staff(user) if write else reads_whole_staff(user)
    if not allowed:
        raise _not_found()
    return order
