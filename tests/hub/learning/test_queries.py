"""The course page and the assignment lists cost a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.learning.actions import (
    assignment_give,
    material_add,
    section_create,
    submission_submit,
)
from hub.learning.models import CourseVisit
from tests.hub.learning.conftest import in_days, pdf

pytestmark = pytest.mark.django_db


def grow(stream, cast, size: int) -> None:
    """`size` more sections (each with a file, a link and a video) and assignments."""
    for i in range(size):
        section = section_create(by=cast.teacher, ecourse=stream.ecourse, title_en=f"Week {i}")
        material_add(by=cast.teacher, section=section, kind="file", title_en="Notes", file=pdf())
        material_add(
            by=cast.teacher, section=section, kind="link", title_en="Book",
            url="https://lib.example.kg/1",
        )  # fmt: skip
        material_add(
            by=cast.teacher, section=section, kind="video", title_en="Talk",
            url="https://youtu.be/dQw4w9WgXcQ",
        )  # fmt: skip
        assignment = assignment_give(
            by=cast.teacher, ecourse=stream.ecourse, title_en=f"Task {i}", deadline=in_days(5),
            max_score=5, groups=[stream.course.group] if i % 2 else [],
            students=[stream.other_student] if i % 3 == 0 else [],
        )  # fmt: skip
        submission_submit(by=cast.other_student, assignment=assignment, text="Done")


def count(client, url: str) -> int:
    client.get(url)  # the first request of a session reads and writes the session once more
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("member", ["teacher", "other_student", "deanery_a"])
def test_the_course_page_does_not_grow_with_its_content(
    stream, cast, client, member, django_assert_num_queries
):
    url = reverse("learning:course", args=[stream.ecourse.pk])
    client.force_login(getattr(cast, member))
    grow(stream, cast, 1)
    small = count(client, url)

    grow(stream, cast, 4)

    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.content.decode().count("Task ") == 5


def test_the_submission_list_does_not_grow_with_submissions(
    stream, cast, client, django_assert_num_queries
):
    assignment = assignment_give(
        by=cast.teacher, ecourse=stream.ecourse, title_en="Essay", deadline=in_days(5),
        max_score=5,
    )  # fmt: skip
    submission_submit(by=cast.student, assignment=assignment, text="One", files=[pdf()])
    url = reverse("learning:assignment", args=[assignment.pk])
    client.force_login(cast.teacher)
    small = count(client, url)

    submission_submit(
        by=cast.other_student, assignment=assignment, text="Two", files=[pdf(), pdf("b.pdf")]
    )

    with django_assert_num_queries(small):
        client.get(url)


def test_my_courses_does_not_grow_with_courses(stream, cast, client, university):
    from hub.learning.actions import ecourses_sync
    from tests.grades_objects import graded_course, plan_line

    client.force_login(cast.student)
    url = reverse("learning:courses")
    small = count(client, url)
    for code in ("Q-1", "Q-2", "Q-3"):
        line = plan_line(university.group_a, stream.term, code=code)
        graded_course(university.group_a, stream.term, line, teacher=cast.other_teacher)
    ecourses_sync()

    assert count(client, url) == small


def test_a_students_visit_is_the_one_write_of_the_course_page(stream, cast, client):
    # The visit record (DL-6 analytics) is a single upsert, whether the row exists or not.
    url = reverse("learning:course", args=[stream.ecourse.pk])
    client.force_login(cast.student)
    client.get(url)
    CourseVisit.objects.all().delete()

    for _ in range(2):  # the first visit, then a later one
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert len(writes) == 1 and "learning_coursevisit" in writes[0]


def test_others_opening_the_course_page_write_nothing(stream, cast, client):
    url = reverse("learning:course", args=[stream.ecourse.pk])
    client.force_login(cast.teacher)
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    assert [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")] == []
