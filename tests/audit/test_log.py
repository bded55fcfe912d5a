"""hub.audit.log: what one recorded change, one batch and one bulk operation leave."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import transaction

from hub.accounts.models import User
from hub.audit.log import (
    Change,
    audit_bulk,
    audit_context,
    audit_record,
    batch,
    diff,
    snapshot,
)
from hub.audit.models import AuditEntry


def test_snapshot_keeps_json_safe_values_and_foreign_key_ids(cast):
    cast.student.date_joined = dt.datetime(2026, 9, 1, 8, 30, tzinfo=dt.UTC)

    values = snapshot(cast.student, ["username", "date_joined", "is_active"])

    assert values == {
        "username": "student",
        "date_joined": "2026-09-01T08:30:00Z",
        "is_active": True,
    }


def test_snapshot_of_a_foreign_key_is_the_id(cast):
    from hub.jobs.models import Job

    job = Job(owner=cast.teacher, kind="demo.seed", params={"amount": Decimal("1.50")})

    assert snapshot(job, ["owner", "params"]) == {
        "owner": cast.teacher.pk,
        "params": {"amount": "1.50"},
    }


def test_snapshot_refuses_to_copy_a_password(cast):
    with pytest.raises(ValueError, match="secret"):
        snapshot(cast.student, ["password"])


def test_diff_lists_only_the_fields_that_changed():
    before = {"phone": "", "language": "ky", "email": "a@example.kg"}
    after = {"phone": "+996555123456", "language": "ky", "email": "b@example.kg"}

    assert diff(before, after) == {
        "phone": ["", "+996555123456"],
        "email": ["a@example.kg", "b@example.kg"],
    }


def test_diff_of_a_created_or_deleted_object_has_none_on_the_missing_side():
    assert diff(None, {"kind": "demo.seed"}) == {"kind": [None, "demo.seed"]}
    assert diff({"kind": "demo.seed"}, None) == {"kind": ["demo.seed", None]}


def test_a_record_names_the_object_and_keeps_before_and_after(cast):
    entry = audit_record(
        action="user_profile_update",
        obj=cast.student,
        before={"phone": ""},
        after={"phone": "+996555123456"},
        reason="requested at the desk",
        actor=cast.admin,
    )

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(cast.student.pk)
    assert entry.object_repr == "Асанов Бакыт"
    assert entry.changes == {"phone": ["", "+996555123456"]}
    assert (entry.before, entry.after) == ({"phone": ""}, {"phone": "+996555123456"})
    assert entry.actor == cast.admin
    assert entry.actor_repr == "Абдыкадыров Марат (admin)"
    assert entry.reason == "requested at the desk"
    assert entry.batch_id is None


def test_nothing_is_written_when_before_and_after_are_equal(cast):
    entry = audit_record(
        action="user_profile_update", obj=cast.student, before={"a": 1}, after={"a": 1}
    )

    assert entry is None
    assert not AuditEntry.objects.exists()


def test_an_object_without_a_model_is_named_by_type_and_id(db):
    audit_record(action="user_unlock", object_type="axes.lock", object_id=7, object_repr="x")

    entry = AuditEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("axes.lock", "7", "x")
    assert entry.actor is None
    assert entry.actor_repr == ""


def test_a_record_without_object_is_refused(db):
    with pytest.raises(ValueError, match="obj or object_type"):
        audit_record(action="nothing")


def test_the_context_gives_actor_ip_and_browser_to_a_task(cast):
    with audit_context(actor=cast.curator, ip="10.0.0.7", user_agent="celery " + "x" * 400):
        audit_record(action="user_profile_update", obj=cast.student, after={"phone": "1"})

    entry = AuditEntry.objects.get()
    assert entry.actor == cast.curator
    assert entry.ip == "10.0.0.7"
    assert len(entry.user_agent) == 255
    assert entry.user_agent.startswith("celery x")


def test_an_explicit_actor_wins_over_the_context(cast):
    with audit_context(actor=cast.curator):
        audit_record(action="a", obj=cast.student, after={"x": 1}, actor=cast.admin)

    assert AuditEntry.objects.get().actor == cast.admin


def test_the_context_ends_with_its_block(cast):
    with audit_context(actor=cast.curator, ip="10.0.0.7"):
        pass
    audit_record(action="a", obj=cast.student, after={"x": 1})

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.ip) == (None, None)


def test_entries_recorded_in_a_batch_share_its_id(cast):
    with batch() as batch_id:
        for user in (cast.student, cast.other_student, cast.parent):
            audit_record(action="user_profile_update", obj=user, after={"phone": "1"})
    audit_record(action="user_profile_update", obj=cast.teacher, after={"phone": "1"})

    batches = dict(AuditEntry.objects.values_list("object_id", "batch_id"))
    assert isinstance(batch_id, uuid.UUID)
    assert [batches[str(u.pk)] for u in (cast.student, cast.other_student, cast.parent)] == [
        batch_id
    ] * 3
    assert batches[str(cast.teacher.pk)] is None


def test_a_nested_batch_joins_the_outer_one(db):
    with batch() as outer, batch() as inner:
        pass

    assert inner == outer


def test_a_bulk_operation_writes_one_entry_per_changed_object_in_one_insert(
    cast, django_assert_num_queries
):
    users = [cast.student, cast.other_student, cast.parent, cast.curator]
    changes = [
        Change(obj=user, before={"is_active": True}, after={"is_active": False}) for user in users
    ]
    # An object the operation did not change leaves no entry.
    changes.append(Change(obj=cast.teacher, before={"is_active": True}, after={"is_active": True}))

    with django_assert_num_queries(1):
        entries = audit_bulk(action="users_deactivate", changes=changes, actor=cast.admin)

    stored = AuditEntry.objects.order_by("id")
    assert len(entries) == stored.count() == 4
    assert {e.object_id for e in stored} == {str(u.pk) for u in users}
    assert len({e.batch_id for e in stored}) == 1
    assert stored[0].batch_id is not None
    assert {e.changes["is_active"] == [True, False] for e in stored} == {True}


def test_a_bulk_operation_inside_a_batch_uses_the_batch_id(cast):
    with batch() as batch_id:
        audit_record(action="users_import", obj=cast.admin, after={"rows": 2})
        audit_bulk(
            action="user_create",
            changes=[Change(obj=cast.student, after={"username": "student"})],
        )

    assert set(AuditEntry.objects.values_list("batch_id", flat=True)) == {batch_id}


def _change_phone_then_fail(user: User) -> None:
    with transaction.atomic():
        before = snapshot(user, ["phone"])
        user.phone = "+996555000111"
        user.save(update_fields=["phone"])
        audit_record(action="user_profile_update", obj=user, before=before, after={"phone": "x"})
        raise RuntimeError("the next step failed")


def test_a_rolled_back_change_leaves_no_entry(cast):
    with pytest.raises(RuntimeError):
        _change_phone_then_fail(cast.student)

    cast.student.refresh_from_db()
    assert cast.student.phone == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(cast):
    # In autocommit the entry would outlive a change that fails after it.
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(action="a", obj=cast.student, after={"x": 1})

    assert not AuditEntry.objects.exists()
