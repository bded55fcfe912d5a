"""Lifting a sign-in lock: `user_unlock` (the page is exercised in test_login_lockout)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hub.accounts.actions import user_unlock
from hub.accounts.selectors import locks_current
from hub.audit.models import AuditEntry


def lock(username: str, times: int) -> None:
    client = Client()
    for _i in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong-pass-1"})


def test_unlocking_is_audited_under_the_account(cast, settings):
    lock("student", settings.AXES_FAILURE_LIMIT)

    user_unlock(by=cast.admin, username="student")

    entry = AuditEntry.objects.get(action="user_unlock")
    assert (entry.actor, entry.object_id) == (cast.admin, str(cast.student.pk))
    assert locks_current() == []


def test_unlocking_a_login_that_is_not_locked_changes_and_records_nothing(cast):
    assert user_unlock(by=cast.admin, username="student") == 0
    assert not AuditEntry.objects.filter(action="user_unlock").exists()
