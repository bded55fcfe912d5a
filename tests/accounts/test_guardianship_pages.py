"""Administrators link parents to their children's accounts (AC-8), and unlink after asking."""

import pytest
from django.urls import reverse

from hub.accounts.models import Guardianship
from hub.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_parent_is_linked_to_a_child_by_login(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts-user-child-add", kwargs={"user_id": cast.parent.pk})

    response = client.post(url, {"child": "other_student", "relation": "mother"})

    assert response.status_code == 302
    assert Guardianship.objects.filter(parent=cast.parent, child=cast.other_student).exists()
    assert AuditEntry.objects.filter(action="guardianship_link").count() >= 1
    page = client.get(reverse("accounts-user", kwargs={"user_id": cast.parent.pk}))
    assert "Өмүрбекова" in page.content.decode()


def test_an_unknown_login_re_renders_with_a_message(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts-user-child-add", kwargs={"user_id": cast.parent.pk})

    response = client.post(url, {"child": "nobody", "relation": "mother"})

    assert response.status_code == 200
    assert "There is no active account with this login." in response.content.decode()


def test_unlinking_asks_first(client, cast):
    link = cast.parent.wards.get()
    client.force_login(cast.admin)
    url = reverse(
        "accounts-user-child-remove", kwargs={"user_id": cast.parent.pk, "link_id": link.pk}
    )

    assert "Remove the link" in client.get(url).content.decode()
    assert Guardianship.objects.filter(pk=link.pk).exists()
    client.post(url)
    assert not Guardianship.objects.filter(pk=link.pk).exists()
