"""Stopping sharing a bank (TS-4): its writers (the owner, the administrator) choose a
colleague on the share page, confirm, and the colleague no longer reads the bank; audited.
Everyone else in the cast is refused with 404 and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hub.audit.models import AuditEntry
from hub.errors import DomainError
from hub.testing import actions
from hub.testing.permissions import may_read_bank
from tests.conftest import CAST_NAMES

pytestmark = pytest.mark.usefixtures("in_english")

UNSHARERS = {"teacher", "admin"}


@pytest.fixture
def shared(cast, setup):
    actions.bank_share(by=cast.teacher, bank=setup.bank, users=[cast.other_teacher])
    return setup.bank


def url(bank) -> str:
    return reverse("testing:bank-unshare", args=[bank.pk])


def test_the_share_page_links_each_colleague_to_the_confirmation(client, cast, shared):
    client.force_login(cast.teacher)

    html = client.get(reverse("testing:bank-share", args=[shared.pk])).content.decode()

    assert f"{url(shared)}?user={cast.other_teacher.pk}" in html
    assert "Stop sharing" in html


def test_the_confirmation_asks_first_and_changes_nothing(client, cast, shared):
    client.force_login(cast.teacher)

    response = client.get(url(shared), {"user": cast.other_teacher.pk})

    assert response.status_code == 200
    assert response.context["colleague"] == cast.other_teacher
    html = response.content.decode()
    assert f"with {cast.other_teacher.get_full_name()}?" in html
    assert list(shared.shared_with.all()) == [cast.other_teacher]


def test_confirming_stops_the_share_and_is_audited(client, cast, shared):
    client.force_login(cast.teacher)

    response = client.post(url(shared), {"user": cast.other_teacher.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("testing:bank-share", args=[shared.pk])
    assert not shared.shared_with.exists()
    assert not may_read_bank(cast.other_teacher, shared)
    entry = AuditEntry.objects.get(action="bank_unshare")
    assert entry.actor == cast.teacher and entry.object_id == str(shared.pk)
    assert entry.before == {"shared_with": [cast.other_teacher.pk]}
    client.force_login(cast.other_teacher)
    assert client.get(reverse("testing:bank", args=[shared.pk])).status_code == 404


def test_someone_the_bank_is_not_shared_with_is_refused_by_the_form(client, cast, shared):
    client.force_login(cast.teacher)

    response = client.post(url(shared), {"user": cast.student.pk})

    assert response.status_code == 200 and response.context["form"].errors
    assert list(shared.shared_with.all()) == [cast.other_teacher]
    assert not AuditEntry.objects.filter(action="bank_unshare").exists()


def test_the_action_refuses_someone_the_bank_is_not_shared_with(cast, setup):
    with pytest.raises(DomainError, match="not shared with"):
        actions.bank_unshare(by=cast.teacher, bank=setup.bank, user=cast.other_teacher)


@pytest.mark.parametrize("name", CAST_NAMES)
def test_only_the_banks_writers_may_stop_a_share(client, cast, shared, name):
    client.force_login(getattr(cast, name))

    response = client.post(url(shared), {"user": cast.other_teacher.pk})

    if name in UNSHARERS:
        assert response.status_code == 302
        assert not shared.shared_with.exists()
    else:
        assert response.status_code == 404
        assert list(shared.shared_with.all()) == [cast.other_teacher]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast, shared):
    response = client.post(url(shared), {"user": cast.other_teacher.pk})

    assert response.status_code == 302 and "login" in response["Location"]
    assert list(shared.shared_with.all()) == [cast.other_teacher]
