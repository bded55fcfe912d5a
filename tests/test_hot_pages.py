"""Hot pages make a fixed number of queries, however much the user has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hub.jobs.models import Job
from realtime.models import Notification
from tests.conftest import session_queries

pytestmark = pytest.mark.django_db

# The session (where it is read from the database) and the user: the page itself reads
# nothing more.
CABINET_QUERIES = 1
# The session, the user, the count and the page of rows (+ the unread count on the inbox;
# + the user's roles with their rights on the jobs page, which offers the kinds they may
# start).
LIST_QUERIES = {"jobs:list": 4, "notification-list": 4}


def fill(user, rows: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, title=f"Notice {i}") for i in range(rows)
    )
    Job.objects.bulk_create(Job(owner=user, kind="demo.seed", params={}) for _ in range(rows))


@pytest.mark.parametrize("rows", [1, 60])
def test_the_cabinet_page_makes_two_queries(client, cast, rows, django_assert_num_queries):
    fill(cast.teacher, rows)
    client.force_login(cast.teacher)
    url = reverse("cabinet-page", kwargs={"kind": "teacher"})

    with django_assert_num_queries(CABINET_QUERIES + session_queries()):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url_name", list(LIST_QUERIES))
@pytest.mark.parametrize("rows", [1, 60])
def test_list_pages_make_the_same_queries_for_one_row_or_a_full_page(
    client, cast, url_name, rows, django_assert_num_queries
):
    fill(cast.teacher, rows)
    client.force_login(cast.teacher)

    with django_assert_num_queries(LIST_QUERIES[url_name] + session_queries()):
        assert client.get(reverse(url_name)).status_code == 200
