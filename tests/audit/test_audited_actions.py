"""The actions that change accounts or institutional data write their audit entries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from hub.accounts import roles
from hub.accounts.access import Scope
from hub.accounts.actions import (
    guardianship_link,
    guardianship_unlink,
    ownership_set,
    role_assign,
    role_create,
    role_revoke,
    role_update_rights,
    user_language_set,
    user_profile_update,
)
from hub.accounts.models import DataKind, DataOwnership, Level, Module, Role, ScopeKind
from hub.audit.log import audit_context
from hub.audit.models import AuditEntry
from hub.jobs.models import Job


def test_a_profile_update_records_only_the_fields_that_changed(cast):
    cast.student.email = "bakyt@example.kg"
    cast.student.save()

    with audit_context(actor=cast.student, ip="10.1.2.3"):
        user_profile_update(
            user=cast.student, phone="+996 555 123 456", email="bakyt@example.kg", language="en"
        )

    entry = AuditEntry.objects.get()
    assert entry.action == "user_profile_update"
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(cast.student.pk))
    assert entry.changes == {"phone": ["", "+996555123456"]}
    assert entry.before == {"phone": "", "email": "bakyt@example.kg", "language": "en"}
    assert entry.after == {"phone": "+996555123456", "email": "bakyt@example.kg", "language": "en"}
    assert (entry.actor, entry.ip) == (cast.student, "10.1.2.3")


def test_a_profile_update_that_changes_nothing_records_nothing(cast):
    user_profile_update(user=cast.student, language="en")

    assert not AuditEntry.objects.exists()


def test_a_refused_profile_update_records_nothing(cast):
    with pytest.raises(ValidationError):
        user_profile_update(user=cast.student, phone="12")

    assert not AuditEntry.objects.exists()


def test_a_language_change_rolled_back_by_the_caller_leaves_no_entry(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        user_language_set(user=cast.parent, language="ru")
        raise RuntimeError("the surrounding operation failed")

    cast.parent.refresh_from_db()
    assert cast.parent.language == "en"
    assert not AuditEntry.objects.exists()


def test_starting_a_job_records_who_started_what(client, cast):
    client.force_login(cast.admin)

    response = client.post("/jobs/start/demo.seed/", {"students": "15"}, REMOTE_ADDR="10.9.8.7")

    job = Job.objects.get()
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "job_start",
        "jobs.job",
        str(job.pk),
    )
    assert entry.after == {"kind": "demo.seed", "owner": cast.admin.pk, "params": job.params}
    assert (entry.actor, entry.ip) == (cast.admin, "10.9.8.7")


def test_assigning_and_revoking_a_role_records_the_assignment_both_times(cast):
    role = Role.objects.get(code=roles.CASHIER)

    assignment = role_assign(
        by=cast.admin, user=cast.teacher, role=role, scope=Scope(ScopeKind.FACULTY, 1)
    )
    assignment_id = assignment.pk
    role_revoke(by=cast.admin, assignment=assignment)

    assigned, revoked = AuditEntry.objects.order_by("id")
    expected = {
        "user": cast.teacher.pk,
        "role": role.pk,
        "scope_kind": "faculty",
        "scope_id": 1,
        "valid_from": None,
        "valid_to": None,
    }
    assert (assigned.action, assigned.after, assigned.actor) == (
        "role_assign",
        expected,
        cast.admin,
    )
    assert (revoked.action, revoked.before, revoked.after) == ("role_revoke", expected, None)
    assert assigned.object_id == revoked.object_id == str(assignment_id)


def test_changing_a_roles_rights_records_them_before_and_after(cast):
    role = role_create(
        by=cast.admin,
        code="exam-office",
        name_ky="Сынак бөлүмү",
        name_ru="Экзаменационный отдел",
        name_en="Exam office",
        rights={Module.GRADES: Level.EDIT},
    )

    role_update_rights(
        by=cast.admin, role=role, rights={Module.GRADES: Level.VIEW, Module.AUDIT: 1}
    )

    created, changed = AuditEntry.objects.order_by("id")
    assert created.action == "role_create"
    assert created.after["rights"] == {"grades": 2}
    assert changed.changes == {"rights": [{"grades": 2}, {"audit": 1, "grades": 1}]}
    assert changed.actor == cast.admin


def test_moving_the_ownership_of_data_records_the_old_and_new_owner(cast):
    old = DataOwnership.objects.get(data_kind=DataKind.values[0]).owner
    new = Role.objects.exclude(pk=old.pk).first()

    ownership_set(by=cast.admin, data_kind=DataKind.values[0], owner=new)

    entry = AuditEntry.objects.get()
    assert entry.changes == {"owner": [old.pk, new.pk]}


def test_linking_and_unlinking_a_parent_is_recorded(cast):
    link = guardianship_link(by=cast.admin, parent=cast.parent, child=cast.other_student)
    guardianship_unlink(by=cast.admin, link=link)

    linked, unlinked = AuditEntry.objects.order_by("id")
    assert linked.action == "guardianship_link"
    assert linked.after["child"] == cast.other_student.pk
    assert unlinked.action == "guardianship_unlink"
    assert unlinked.before == linked.after
