"""AuditEntry: written once, never changed nor deleted through the application."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from hub.audit.log import audit_record
from hub.audit.models import AuditEntry, AuditEntryImmutable


@pytest.fixture
def entry(cast):
    return audit_record(
        action="user_profile_update",
        obj=cast.student,
        before={"phone": ""},
        after={"phone": "+996555123456"},
        actor=cast.admin,
    )


def test_saving_a_stored_entry_again_is_refused(entry):
    entry.reason = "tidied up"

    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable):
        entry.save(update_fields=["reason"])

    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_a_copy_with_an_old_id_cannot_overwrite_the_entry(entry):
    forged = AuditEntry(pk=entry.pk, action="nothing_happened", object_type="accounts.user")

    with pytest.raises(DatabaseError), transaction.atomic():
        forged.save()

    assert AuditEntry.objects.get(pk=entry.pk).action == "user_profile_update"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AuditEntryImmutable):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda entries: entries.update(reason="tidied up"),
        lambda entries: entries.delete(),
        lambda entries: entries.bulk_update(list(entries), ["reason"]),
        lambda entries: entries.update_or_create(pk=entries.get().pk, defaults={"reason": "x"}),
        lambda entries: entries._raw_delete(entries.db),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create", "raw_delete"],
)
def test_querysets_refuse_to_change_or_delete_entries(entry, change):
    with pytest.raises(AuditEntryImmutable):
        change(AuditEntry.objects.filter(pk=entry.pk))

    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_the_actor_of_an_entry_cannot_be_deleted(entry, cast):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        cast.admin.delete()


def test_the_admin_site_only_shows_entries(entry, cast):
    admin = site._registry[AuditEntry]
    request = RequestFactory().get("/admin/audit/auditentry/")
    request.user = cast.admin

    assert admin.has_view_permission(request, entry)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert "delete_selected" not in admin.get_actions(request)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'tidied up' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_raw_sql_that_changes_an_entry(entry, sql):
    refused = pytest.raises(DatabaseError, match="audit entries cannot be changed or deleted")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.reason == ""


@postgres_only
@pytest.mark.postgres
def test_the_database_still_accepts_new_entries_by_raw_sql(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, actor_repr, user_agent, action, object_type,"
            " object_id, object_repr, changes, reason) VALUES"
            " (now(), '', '', 'raw', 'accounts.user', '1', '', '{}', '')"
        )

    assert AuditEntry.objects.filter(action="raw").count() == 1


def test_the_admin_site_lists_entries_without_a_delete_button(client, entry, cast):
    client.force_login(cast.admin)

    listing = client.get("/admin/audit/auditentry/")
    detail = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert "user_profile_update" in listing.content.decode()
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
