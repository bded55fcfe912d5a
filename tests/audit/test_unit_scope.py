"""Office heads read the audit of their own unit (AM-4); the rest stays the administrator's."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from academic.records import actions
from academic.records.models import OrderKind
from hub.audit.models import AuditEntry
from hub.audit.units import unit_path

pytestmark = pytest.mark.django_db


def transfer(enrolled, university):
    order = actions.order_create(
        by=None,
        kind=OrderKind.TRANSFER,
        number="U-1",
        date=date(2025, 2, 1),
        effective_date=date(2025, 2, 1),
    )
    actions.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)
    actions.order_sign(by=None, order=order, signer="Ректор")


def test_entries_record_the_units_enclosing_the_object(enrolled, university):
    transfer(enrolled, university)
    opened = AuditEntry.objects.get(action="student_state_open", after__group=university.group_b.pk)

    group, department, faculty = university.group_b, university.department_b, university.faculty_b
    assert opened.unit_path == f"/faculty:{faculty.pk}/department:{department.pk}/group:{group.pk}/"
    # The student's own data lies inside the group they now study in.
    assert unit_path(enrolled.student) == f"{opened.unit_path}own:{enrolled.student.user_id}/"


def test_a_dean_reads_the_audit_of_their_faculty_only(client, cast, enrolled, university):
    transfer(enrolled, university)
    client.force_login(cast.deanery_b)

    page = client.get(reverse("audit:list"), {"action": "student_state_open"})

    shown = [entry.pk for entry, _rows in page.context["entries"]]
    in_b = AuditEntry.objects.filter(action="student_state_open", unit_path__contains="/faculty:2/")
    assert sorted(shown) == sorted(in_b.values_list("pk", flat=True))
    assert shown
    # Institution-wide entries (the order itself) are the administrator's.
    orders = client.get(reverse("audit:list"), {"action": "order_sign"}).context["entries"]
    assert orders == []


def test_the_administrator_reads_everything(client, cast, enrolled, university):
    transfer(enrolled, university)
    client.force_login(cast.admin)

    page = client.get(reverse("audit:list"), {"action": "order_sign"})
    assert len(page.context["entries"]) == 2  # the admission and the transfer


def test_students_and_teachers_do_not_read_the_audit(client, cast):
    for member in ("student", "teacher", "parent", "curator"):
        client.force_login(getattr(cast, member))
        assert client.get(reverse("audit:list")).status_code == 404
