"""The announcement form's choices: one query each, the same answer as `may_announce` per unit."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.structure.actions import group_assign_curator
from academic.structure.models import Faculty, Group, StudyForm
from hub.accounts.access import forget_rights
from realtime.announcements import (
    announcement_publish,
    audience_faculties,
    audience_groups,
    may_publish,
)
from realtime.models import Audience, Notification
from tests.realtime.conftest import make_course

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def more_groups(university, count: int) -> None:
    for i in range(count):
        specialty = university.specialty_a if i % 2 else university.specialty_b
        Group.objects.create(
            name=f"EX-{i:03d}",
            specialty=specialty,
            intake_year=2024,
            course=1,
            study_form=StudyForm.FULL_TIME,
            language="ky",
        )


@pytest.fixture
def curated(cast, university):
    group_assign_curator(
        by=None, group=university.group_b, curator=cast.curator, on=date(2024, 9, 1)
    )


PUBLISHERS = ("admin", "deanery_a", "deanery_b", "curator", "teacher", "student", "vice_rector")


@pytest.mark.parametrize("name", PUBLISHERS)
def test_the_choices_are_what_may_announce_allows(cast, university, curated, name):
    more_groups(university, 6)
    user = getattr(cast, name)
    forget_rights(user)
    expected_groups = [
        g.pk
        for g in Group.objects.filter(is_active=True).order_by("name")
        if may_publish(user, Audience.GROUP, g.pk)
    ]
    expected_faculties = [
        f.pk for f in Faculty.objects.order_by("code") if may_publish(user, Audience.FACULTY, f.pk)
    ]
    assert [g.pk for g in audience_groups(user)] == expected_groups
    assert [f.pk for f in audience_faculties(user)] == expected_faculties


def test_a_deanery_gets_its_faculty_and_a_curator_their_group(cast, university, curated):
    assert set(audience_groups(cast.deanery_a)) == {university.group_a}
    assert list(audience_faculties(cast.deanery_a)) == [university.faculty_a]
    assert list(audience_groups(cast.curator)) == [university.group_b]
    assert list(audience_faculties(cast.curator)) == []


def form_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("announcement-create"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["admin", "deanery_a", "curator"])
def test_the_form_costs_the_same_whatever_the_number_of_groups(
    client, cast, university, curated, name
):
    user = getattr(cast, name)
    before = form_queries(client, user)
    more_groups(university, 40)
    assert form_queries(client, user) == before


# --- Teachers announce to the groups they teach this term (TC-7) ----------------------------


@pytest.fixture
def teaching(cast, university, enrolled, term, grades_plan):
    """cast.teacher teaches Databases to group A this term."""
    return make_course(university.group_a, term, grades_plan, cast.teacher)


def test_a_teacher_announces_to_the_groups_they_teach(client, cast, university, teaching):
    assert list(audience_groups(cast.teacher)) == [university.group_a]
    assert list(audience_faculties(cast.teacher)) == []
    client.force_login(cast.teacher)
    page = client.get(reverse("announcement-create"))
    assert page.status_code == 200
    assert [v for v, _label in page.context["form"].fields["audience"].choices] == [Audience.GROUP]
    response = client.post(
        reverse("announcement-create"),
        {
            "audience": Audience.GROUP,
            "group": university.group_a.pk,
            "title": "Лекция жылды",
            "body": "Бүгүнкү лекция бейшембиге жылды.",
        },
    )
    assert response.status_code == 302
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        cast.student.pk,
        cast.other_student.pk,
    }


def test_a_teacher_cannot_announce_to_a_group_they_do_not_teach(cast, university, teaching):
    from django.http import Http404

    assert not may_publish(cast.teacher, Audience.GROUP, university.group_b.pk)
    with pytest.raises(Http404):
        announcement_publish(
            by=cast.teacher,
            audience=Audience.GROUP,
            audience_id=university.group_b.pk,
            title="Жок",
            body="Жок.",
        )


def test_a_teacher_without_courses_this_term_may_not_publish(client, cast, university, teaching):
    client.force_login(cast.other_teacher)
    assert client.get(reverse("announcement-create")).status_code == 404
    # Nor after the term: the course is over.
    teaching.term.ends_on = teaching.term.starts_on.replace(year=2000)
    teaching.term.save(update_fields=["ends_on"])
    client.force_login(cast.teacher)
    assert client.get(reverse("announcement-create")).status_code == 404


def test_a_teachers_form_costs_the_same_whatever_the_number_of_groups(
    client, cast, university, teaching
):
    before = form_queries(client, cast.teacher)
    more_groups(university, 40)
    assert form_queries(client, cast.teacher) == before
