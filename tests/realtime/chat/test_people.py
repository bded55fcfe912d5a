"""Starting a private chat: the people page offers exactly those the policy allows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.structure.actions import group_assign_curator
from realtime.chat.membership import group_chat_sync
from realtime.chat.permissions import may_chat_privately, private_partners
from realtime.chat.selectors import chat_partners
from tests.conftest import CAST_NAMES, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def curated(cast, university, enrolled):
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    university.group_a.refresh_from_db()
    return enrolled


def test_the_partners_are_exactly_whom_the_policy_allows(cast, curated):
    users = [getattr(cast, name) for name in CAST_NAMES]
    wrong = []
    for user in users:
        partners = set(private_partners(user).values_list("pk", flat=True))
        for other in users:
            if (other.pk in partners) != may_chat_privately(user, other):
                wrong.append(f"{user.username} → {other.username}")
    assert not wrong


def test_a_parent_may_write_to_the_curator_of_their_childs_group(cast, curated):
    assert list(private_partners(cast.parent)) == [cast.curator]
    assert cast.parent in private_partners(cast.curator)
    assert cast.parent not in private_partners(cast.teacher)


def test_without_a_name_the_page_offers_the_people_of_ones_chats(client, cast, university, curated):
    group_chat_sync(group=university.group_a)
    assert set(chat_partners(cast.student)) == {cast.other_student, cast.curator}
    # By name (or login) anyone allowed, not only the people of one's chats.
    assert chat_partners(cast.student, "Токтосунова") == [cast.curator]
    assert chat_partners(cast.student, "deanery_b") == [cast.deanery_b]
    # A student of another group is never offered, even by name.
    stranger = make_user("stranger", last_name="Стрейнджер")
    assert chat_partners(cast.student, "stranger") == []
    assert stranger in chat_partners(cast.teacher, "stranger")


def test_the_page_lists_them_with_a_button_to_write(client, cast, university, curated):
    group_chat_sync(group=university.group_a)
    client.force_login(cast.student)
    page = client.get(reverse("chat:people"))
    assert page.status_code == 200
    assert reverse("chat:private", kwargs={"user_id": cast.curator.pk}) in page.content.decode()
    response = client.post(reverse("chat:private", kwargs={"user_id": cast.curator.pk}))
    assert response.status_code == 302


def page_queries(client, q: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("chat:people"), {"q": q}).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_whatever_the_number_found(client, cast):
    client.force_login(cast.teacher)
    few = page_queries(client, "zz-person")
    for i in range(12):
        make_user(f"zz-person-{i}")
    assert page_queries(client, "zz-person") == few
