"""Opening a closed account again: `user_reactivate` and its page."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from hub.accounts.actions import user_deactivate, user_reactivate
from hub.audit.models import AuditEntry
from tests.conftest import PASSWORD


def test_a_reactivated_user_signs_in_with_the_old_password(cast):
    user_deactivate(by=cast.admin, user=cast.student)

    user_reactivate(by=cast.admin, user=cast.student)

    request = RequestFactory().post(reverse("login"))
    assert authenticate(request, username="student", password=PASSWORD) is not None


def test_reactivating_an_active_account_changes_and_records_nothing(cast):
    user_reactivate(by=cast.admin, user=cast.student)

    assert not AuditEntry.objects.filter(action="user_reactivate").exists()


def test_the_page_reactivates_on_post_only(client, cast):
    user_deactivate(by=cast.admin, user=cast.student)
    client.force_login(cast.admin)
    url = reverse("accounts-user-reactivate", args=[cast.student.pk])

    client.get(url)
    cast.student.refresh_from_db()
    assert not cast.student.is_active

    client.post(url)
    cast.student.refresh_from_db()
    assert cast.student.is_active
    assert AuditEntry.objects.get(action="user_reactivate").changes == {"is_active": [False, True]}
