"""Staff fixtures: position titles, cards for the cast, a department reader, orders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from academic.staff import actions
from academic.staff.models import Employee, OrderKind, PositionTitle, Sex
from academic.staff.titles import position_titles_install
from hub.accounts import roles
from hub.accounts.access import Scope
from hub.accounts.actions import role_assign
from hub.accounts.models import Cabinet, Role, ScopeKind
from tests.conftest import make_user

ON = date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def titles(db) -> dict[str, PositionTitle]:
    # A transactional test flushes the rows the data migration shipped.
    position_titles_install(PositionTitle)
    return {title.code: title for title in PositionTitle.objects.all()}


def card(user, number: str, *, born: date = date(1980, 5, 17), **fields) -> Employee:
    return actions.employee_create(
        by=None, user=user, personnel_number=number, birth_date=born, sex=Sex.FEMALE, **fields
    )


def sign(order):
    return actions.staff_order_sign(by=None, order=order)


def order(cast, kind: str, number: str, *, on: date = ON, **fields):
    return actions.staff_order_create(
        by=cast.hr,
        kind=kind,
        number=number,
        date=fields.pop("date", on),
        effective_date=on,
        signer=cast.vice_rector,
        **fields,
    )


def hire(cast, employee, department, title, *, on: date = ON, rate="1.0", number=None, **extra):
    """A signed hiring order giving `employee` one post from `on`; returns the new post."""
    hiring = order(cast, OrderKind.HIRING, number or f"H-{employee.pk}-{on}", on=on)
    actions.staff_order_line_add(
        by=cast.hr,
        order=hiring,
        employee=employee,
        title=title,
        department=department,
        rate=Decimal(rate),
        **extra,
    )
    sign(hiring)
    return employee.positions.get(opened_by__order=hiring)


@pytest.fixture
def teacher_card(cast):
    return card(cast.teacher, "10001")


@pytest.fixture
def other_card(cast):
    return card(cast.other_teacher, "10002", born=date(1955, 1, 2))


@pytest.fixture
def staffed(cast, university, titles, teacher_card, other_card):
    """The teacher a docent of department A, the other teacher a professor of department B."""
    hire(cast, teacher_card, university.department_a, titles["docent"])
    hire(cast, other_card, university.department_b, titles["professor"])
    return teacher_card, other_card


@pytest.fixture
def department_reader(cast, university):
    """A member of department A's office: the shipped department role scoped to it."""
    user = make_user("department_a", cabinet=Cabinet.STAFF, last_name="Кафедра", first_name="Өмүр")
    role = Role.objects.get(code=roles.DEPARTMENT)
    role_assign(
        by=None, user=user, role=role, scope=Scope(ScopeKind.DEPARTMENT, university.department_a.pk)
    )
    return user
