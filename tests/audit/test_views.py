"""audit/ and audit/object/<type>/<id>/: who may look, what they find, at what cost."""

from __future__ import annotations

import uuid

import pytest

from hub.audit.models import AuditEntry
from tests.audit.conftest import bishkek
from tests.conftest import session_queries

PAGES = ["/audit/", "/audit/object/accounts.user/1/", "/audit/export.csv"]


# The shipped roles give VIEW on the audit module for the whole institution
# to the system administrator and the vice-rector (hub.accounts.roles).
MAY_LOOK = {"admin", "vice_rector", "deanery_a", "deanery_b"}


@pytest.mark.parametrize("url", PAGES)
def test_the_administrator_and_the_vice_rector_may_look(client, cast, url):
    for name in sorted(MAY_LOOK):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("url", PAGES)
def test_every_other_cast_member_gets_404(client, cast, url, make_entry):
    make_entry(actor=cast.admin)
    for name, user in cast.members().items():
        if name in MAY_LOOK:
            continue
        client.force_login(user)
        assert client.get(url).status_code == 404, name


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_the_pages_only_answer_get(client, cast, url):
    client.force_login(cast.admin)

    assert client.post(url).status_code == 405


def test_an_entry_shows_its_changes_as_a_before_after_table(client, cast, make_entry):
    entry = make_entry(
        actor=cast.curator,
        object_id=str(cast.student.pk),
        changes={"language": ["en", "ky"], "phone": ["", "+996555123456"]},
        ip="203.0.113.5",
        reason="Өтүнүч боюнча",
    )
    client.force_login(cast.admin)

    html = client.get("/audit/").content.decode()

    assert f'id="audit-entry-{entry.pk}"' in html
    assert "Токтосунова Гүлнара (curator)" in html
    assert "203.0.113.5" in html
    assert (
        '<tr data-field="language"><th scope="row">Preferred language</th>'
        "<td><del>English (en)</del></td><td><ins>Kyrgyz (ky)</ins></td></tr>"
    ) in html
    assert (
        '<tr data-field="phone"><th scope="row">Phone</th>'
        "<td><del>—</del></td><td><ins>+996555123456</ins></td></tr>"
    ) in html
    assert "Өтүнүч боюнча" in html
    assert f'href="/audit/object/accounts.user/{cast.student.pk}/"' in html


def test_an_entry_without_actor_is_by_the_system(client, cast, make_entry):
    make_entry()
    client.force_login(cast.admin)

    assert "System" in client.get("/audit/").content.decode()


def shown(response) -> list[int]:
    return [entry.pk for entry, _rows in response.context["entries"]]


@pytest.fixture
def log(cast, make_entry):
    """Five entries by two people on two objects across October 2026."""
    return {
        "first": make_entry(actor=cast.curator, object_id="1", at=bishkek(1)),
        "second": make_entry(actor=cast.admin, object_id="2", at=bishkek(10)),
        "third": make_entry(
            actor=cast.admin, object_id="1", action="user_language_set", at=bishkek(20)
        ),
        "job": make_entry(
            actor=cast.teacher, object_type="jobs.job", object_id="1", at=bishkek(25)
        ),
        "system": make_entry(object_id="3", at=bishkek(31, hour=23)),
    }


def pks(log, *names) -> list[int]:
    return [log[name].pk for name in names]


def test_the_list_is_newest_first(client, cast, log):
    client.force_login(cast.admin)

    assert shown(client.get("/audit/")) == pks(log, "system", "job", "third", "second", "first")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"object_type": "accounts.user", "object_id": "1"}, ["third", "first"]),
        ({"object_type": "Accounts.User"}, ["system", "third", "second", "first"]),
        ({"object_type": "jobs.job", "object_id": "1"}, ["job"]),
        ({"user": "curator"}, ["first"]),
        ({"user": "Абдыкадыров"}, ["third", "second"]),
        ({"user": "abdykadyrov marat"}, ["third", "second"]),
        ({"action": "user_language_set"}, ["third"]),
        ({"date_from": "2026-10-10", "date_to": "2026-10-20"}, ["third", "second"]),
        ({"date_from": "2026-10-31"}, ["system"]),
        ({"date_to": "2026-10-09"}, ["first"]),
    ],
    ids=[
        "object",
        "type",
        "other-type",
        "login",
        "cyrillic-name",
        "latin-name",
        "action",
        "period",
        "late-evening-counts-in-its-local-day",
        "until",
    ],
)
def test_filters_narrow_the_list(client, cast, log, query, expected):
    client.force_login(cast.admin)

    assert shown(client.get("/audit/", query)) == pks(log, *expected)


def test_a_batch_is_listed_together(client, cast, make_entry):
    batch_id = uuid.uuid4()
    members = [make_entry(object_id=str(i), batch_id=batch_id) for i in range(3)]
    make_entry(object_id="9")
    client.force_login(cast.admin)

    response = client.get("/audit/", {"batch": str(batch_id)})

    assert sorted(shown(response)) == [entry.pk for entry in members]
    assert f'href="/audit/?batch={batch_id}"' in response.content.decode()


def test_a_period_ending_before_it_starts_is_explained(client, cast, log):
    client.force_login(cast.admin)

    response = client.get("/audit/", {"date_from": "2026-10-20", "date_to": "2026-10-10"})

    assert "The end of the period is before its start." in response.content.decode()


def test_the_history_of_an_object_lists_only_its_entries(client, cast, log):
    client.force_login(cast.admin)

    response = client.get("/audit/object/accounts.user/1/")

    assert shown(response) == pks(log, "third", "first")
    html = response.content.decode()
    assert "History of accounts.user 1" in html
    assert 'name="object_type"' not in html
    assert 'href="/audit/export.csv?object_type=accounts.user&amp;object_id=1"' in html


def test_the_history_of_an_object_can_be_narrowed_further(client, cast, log):
    client.force_login(cast.admin)

    response = client.get("/audit/object/accounts.user/1/", {"user": "curator"})

    assert shown(response) == pks(log, "first")


def test_the_export_link_carries_the_current_filter(client, cast, log):
    client.force_login(cast.admin)

    html = client.get("/audit/", {"user": "curator", "action": "", "page": "1"}).content.decode()

    assert 'href="/audit/export.csv?user=curator"' in html


def test_fifty_entries_a_page_and_the_filter_stays_in_the_page_links(client, cast, make_entry):
    AuditEntry.objects.bulk_create(
        AuditEntry(action="job_start", object_type="jobs.job", object_id=str(i), at=bishkek(1))
        for i in range(60)
    )
    client.force_login(cast.admin)

    first = client.get("/audit/", {"action": "job_start"})
    second = client.get("/audit/", {"action": "job_start", "page": "2"})

    assert len(first.context["entries"]) == 50
    assert len(second.context["entries"]) == 10
    assert 'href="?action=job_start&amp;page=2"' in first.content.decode()
    assert "60 entries" in first.content.decode()


@pytest.mark.parametrize("rows", [1, 60])
@pytest.mark.parametrize("url", ["/audit/", "/audit/object/accounts.user/1/"])
def test_the_pages_make_the_same_queries_for_one_entry_or_a_full_page(
    client, cast, rows, url, django_assert_num_queries
):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action="user_profile_update",
            object_type="accounts.user",
            object_id="1",
            actor=cast.curator,
            actor_repr="Токтосунова Гүлнара (curator)",
            changes={"phone": ["", str(i)], "language": ["en", "ky"]},
            at=bishkek(1),
        )
        for i in range(rows)
    )
    client.force_login(cast.admin)

    # (the session) + user + count + the page of entries
    with django_assert_num_queries(3 + session_queries()):
        assert client.get(url).status_code == 200
