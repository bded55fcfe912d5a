"""Django's admin site cannot delete accounts: they are deactivated instead."""

from __future__ import annotations

from django.urls import reverse

from hub.accounts.models import User


def test_the_admin_site_refuses_to_delete_an_account(client, cast):
    client.force_login(cast.admin)

    page = client.get(reverse("admin:accounts_user_delete", args=[cast.student.pk]))
    client.post(reverse("admin:accounts_user_delete", args=[cast.student.pk]), {"post": "yes"})

    assert page.status_code == 403
    assert User.objects.filter(pk=cast.student.pk).exists()


def test_the_admin_list_offers_no_bulk_delete(client, cast):
    client.force_login(cast.admin)

    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()

    assert "delete_selected" not in page
