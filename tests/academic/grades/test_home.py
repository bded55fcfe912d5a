"""The grades home page offers each member of the cast the grades pages they may open."""

from __future__ import annotations

import pytest
from django.urls import reverse


def _links(client, user) -> set[str]:
    client.force_login(user)
    page = client.get(reverse("grades:home"))
    assert page.status_code == 200
    return {entry.url for _title, entries in page.context["sections"] for entry in entries}


def test_a_student_finds_their_grades_record_book_and_certificates(client, cast, enrolled):
    own = enrolled.student.pk
    links = _links(client, cast.student)
    assert {
        reverse("grades:journal-my-grades"),
        reverse("grades:documents-record-book", args=[own]),
        reverse("grades:documents-transcript", args=[own]),
        reverse("grades:documents-student", args=[own]),
    } <= links
    assert reverse("grades:sheets") not in links
    assert reverse("grades:session-results") not in links


def test_a_teacher_finds_journals_and_sheets_but_no_office_pages(client, cast, university):
    links = _links(client, cast.teacher)
    assert {reverse("grades:journal-courses"), reverse("grades:sheets")} <= links
    assert reverse("grades:debts") not in links
    assert reverse("grades:journal-my-grades") not in links


@pytest.mark.parametrize("member", ["deanery_a", "vice_rector", "curator"])
def test_offices_find_results_debts_and_ratings(client, cast, university, member):
    links = _links(client, getattr(cast, member))
    assert {
        reverse("grades:session-results"),
        reverse("grades:debts"),
        reverse("grades:rating"),
        reverse("grades:journal-courses"),
    } <= links


def test_only_the_keepers_of_curricula_are_offered_course_generation(client, cast, university):
    assert reverse("grades:courses-generate") in _links(client, cast.academic_affairs)
    assert reverse("grades:courses-generate") not in _links(client, cast.deanery_a)


def test_the_home_page_stays_within_a_dozen_queries(
    client, cast, enrolled, django_assert_max_num_queries
):
    client.force_login(cast.deanery_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("grades:home"))
