"""Analytics of e-courses (DL-6): the figures computed by hand on a small course, who sees
which courses, the visit record of the course page, export, and constant query counts.

The course of every test here: cast.teacher's stream of group A with three students
(student, other_student and a third), four weeks planned, three sections of which two
hold materials (a file and a link; a video), and two assignments:

- "Essay" for the whole stream, its deadline passed: student sent it on time and was
  scored 2 hours later; other_student sent it late (accepted, marked) and was scored
  6 hours later; the third sent nothing, so is behind.
- "Draft" for student by name, its deadline ahead: sent on time, not scored yet.

So: expected 3 + 1 = 4, submitted 2 + 1 = 3 (75.0 %), on time 1 + 1 = 2 of 3 (66.7 %),
checked 2, checking delay median 4 h and mean 4 h; only student opened the course.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academic.curricula.models import WorkingPlanLine
from hub.learning.actions import (
    assignment_give,
    ecourses_sync,
    material_add,
    section_create,
    submission_check,
    submission_submit,
)
from hub.learning.analytics import by_teacher, course_figures, percent
from hub.learning.models import CourseVisit, ECourse, LatePolicy, Submission
from tests.conftest import admit, make_user, personal_file
from tests.grades_objects import graded_course, plan_line
from tests.hub.learning.conftest import in_days, pdf

pytestmark = pytest.mark.django_db


def third_student(university):
    user = make_user("third", last_name="Эсенов", first_name="Азамат")
    student = personal_file(user, "24-0003")
    admit([student], university.group_a, number="2-A")
    return student


def build(stream, cast, university):
    """The course described at the top of this file; returns the third student."""
    third = third_student(university)
    WorkingPlanLine.objects.filter(pk=stream.line.pk).update(weeks=4)
    teacher = cast.teacher
    week1 = section_create(by=teacher, ecourse=stream.ecourse, title_en="Week 1")
    week2 = section_create(by=teacher, ecourse=stream.ecourse, title_en="Week 2")
    section_create(by=teacher, ecourse=stream.ecourse, title_en="Week 3")
    material_add(by=teacher, section=week1, kind="file", title_en="Notes", file=pdf())
    material_add(
        by=teacher, section=week1, kind="link", title_en="Book", url="https://lib.example.kg/1"
    )
    material_add(
        by=teacher, section=week2, kind="video", title_en="Talk", url="https://youtu.be/dQw4w9WgXcQ"
    )
    essay = assignment_give(
        by=teacher, ecourse=stream.ecourse, title_en="Essay", deadline=in_days(1), max_score=10,
        late_policy=LatePolicy.MARK,
    )  # fmt: skip
    draft = assignment_give(
        by=teacher, ecourse=stream.ecourse, title_en="Draft", deadline=in_days(5), max_score=10,
        students=[stream.student],
    )  # fmt: skip
    on_time = submission_submit(by=cast.student, assignment=essay, text="Mine")
    essay.deadline = timezone.now() - timedelta(hours=1)
    type(essay).objects.filter(pk=essay.pk).update(deadline=essay.deadline)
    late = submission_submit(by=cast.other_student, assignment=essay, text="Mine, late")
    submission_submit(by=cast.student, assignment=draft, text="A draft")
    submission_check(by=teacher, submission=on_time, score="8")
    submission_check(by=teacher, submission=late, score="6")
    # The times of sending and checking, as if spread over days.
    sent = timezone.now() - timedelta(days=3)
    Submission.objects.filter(pk=on_time.pk).update(
        submitted_at=sent, checked_at=sent + timedelta(hours=2)
    )
    Submission.objects.filter(pk=late.pk).update(
        submitted_at=sent, checked_at=sent + timedelta(hours=6)
    )
    return third


def figures_of(ecourse):
    [item] = course_figures(ECourse.objects.filter(pk=ecourse.pk))
    return item


def test_the_figures_of_a_course_are_computed_exactly(stream, cast, client, university):
    third = build(stream, cast, university)
    client.force_login(cast.student)
    client.get(reverse("learning:course", args=[stream.ecourse.pk]))

    item = figures_of(stream.ecourse)

    assert (item.students, item.sections, item.sections_filled) == (3, 3, 2)
    assert item.sections_planned == 4
    assert item.completeness == Decimal("50.0")
    assert (item.materials_of("file"), item.materials_of("link"), item.materials_of("video")) == (
        1,
        1,
        1,
    )
    assert item.materials_total == 3
    assert (item.assignments, item.submissions) == (2, 3)
    assert (item.expected, item.submitted, item.on_time, item.checked) == (4, 3, 2, 2)
    assert item.submission_rate == Decimal("75.0")
    assert item.on_time_rate == Decimal("66.7")
    assert item.delay_median == timedelta(hours=4)
    assert item.delay_mean == timedelta(hours=4)
    assert item.delay_median_hours == Decimal("4.0")
    assert set(item.not_opened) == {stream.other_student.pk, third.pk}
    assert item.behind == {third.pk: 1}


def test_each_assignment_has_its_own_figures(stream, cast, university):
    build(stream, cast, university)

    essay, draft = figures_of(stream.ecourse).assignment_rows

    assert essay.assignment.title_en == "Essay"
    assert (essay.expected, essay.submitted, essay.on_time, essay.checked) == (3, 2, 1, 2)
    assert (essay.submission_rate, essay.on_time_rate) == (Decimal("66.7"), Decimal("50.0"))
    assert (draft.expected, draft.submitted, draft.on_time, draft.checked) == (1, 1, 1, 0)
    assert draft.delay_median is None


def test_a_check_of_an_earlier_sending_is_not_a_delay(stream, cast, university):
    build(stream, cast, university)
    # other_student's work sent again after it was checked (returned, say).
    row = Submission.objects.get(student=stream.other_student)
    Submission.objects.filter(pk=row.pk).update(submitted_at=row.checked_at + timedelta(hours=1))

    item = figures_of(stream.ecourse)

    assert (item.checked, item.delays) == (1, [timedelta(hours=2)])


def test_an_empty_course_has_no_rates(stream):
    item = figures_of(stream.ecourse)

    assert (item.students, item.assignments, item.sections_planned) == (2, 0, 15)
    assert (item.completeness, item.submission_rate, item.on_time_rate) == (
        Decimal("0.0"),
        None,
        None,
    )
    assert item.delay_median is None and item.delay_mean is None
    assert item.behind == {}


def test_courses_add_up_per_teacher(stream, cast, university):
    build(stream, cast, university)
    line = plan_line(university.group_a, stream.term, code="LRN-2")
    graded_course(university.group_a, stream.term, line, teacher=cast.teacher)
    ecourses_sync()
    other = ECourse.objects.get(discipline=line.discipline)
    quiz = assignment_give(
        by=cast.teacher, ecourse=other, title_en="Quiz", deadline=in_days(3), max_score=5
    )
    work = submission_submit(by=cast.student, assignment=quiz, text="Answers")
    submission_check(by=cast.teacher, submission=work, score="5")
    Submission.objects.filter(pk=work.pk).update(checked_at=work.submitted_at + timedelta(hours=11))

    [summary] = by_teacher(course_figures(ECourse.objects.filter(teacher=cast.teacher)))

    assert summary.courses == 2
    assert (summary.expected, summary.submitted, summary.on_time) == (4 + 3, 3 + 1, 2 + 1)
    assert summary.submission_rate == percent(4, 7) == Decimal("57.1")
    # Delays of 2, 6 and 11 hours.
    assert summary.delay_median == timedelta(hours=6)
    assert summary.delay_mean == timedelta(hours=19) / 3


def test_opening_the_course_records_a_visit_of_the_student_only(stream, cast, client):
    url = reverse("learning:course", args=[stream.ecourse.pk])
    client.force_login(cast.student)
    client.get(url)
    client.get(url)
    client.force_login(cast.teacher)
    client.get(url)

    visit = CourseVisit.objects.get()
    assert (visit.user, visit.ecourse, visit.visits) == (cast.student, stream.ecourse, 2)
    assert visit.first_seen <= visit.last_seen


def test_the_teacher_sees_their_own_courses_only(stream, cast, client, university, in_english):
    build(stream, cast, university)
    line = plan_line(university.group_a, stream.term, code="FOREIGN-1")
    graded_course(university.group_a, stream.term, line, teacher=cast.other_teacher)
    ecourses_sync()
    client.force_login(cast.teacher)

    page = client.get(reverse("learning:analytics")).content.decode()

    assert "Subject LRN-1" in page and "FOREIGN-1" not in page
    assert "By faculty" not in page  # a teacher is no office


def test_the_deanery_sees_its_faculty_and_the_worst_course_first(
    stream, cast, client, university, in_english
):
    build(stream, cast, university)
    line = plan_line(university.group_a, stream.term, code="IDLE-1")
    graded_course(university.group_a, stream.term, line, teacher=cast.other_teacher)
    ecourses_sync()
    client.force_login(cast.deanery_a)

    response = client.get(reverse("learning:analytics"))

    page = response.content.decode()
    assert [row.ecourse.discipline.code for row in response.context["page"].object_list] == [
        "IDLE-1",  # no work given at all
        "LRN-1",
    ]
    [faculty] = response.context["faculties"]
    assert (faculty.key, faculty.courses) == (university.faculty_a.pk, 2)
    assert "By faculty" in page and "analytics-submission-rate" in page


def test_the_other_deanery_sees_nothing_of_faculty_a(stream, cast, client, university):
    build(stream, cast, university)
    client.force_login(cast.deanery_b)

    response = client.get(reverse("learning:analytics"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert response.context["faculties"] == []
    detail = client.get(reverse("learning:course-analytics", args=[stream.ecourse.pk]))
    assert detail.status_code == 404


def test_the_list_is_searched_by_course_and_teacher(stream, cast, client, university):
    line = plan_line(university.group_a, stream.term, code="OTHER-9")
    graded_course(university.group_a, stream.term, line, teacher=cast.other_teacher)
    ecourses_sync()
    client.force_login(cast.admin)
    url = reverse("learning:analytics")

    def codes(query: str) -> list[str]:
        page = client.get(url, {"q": query}).context["page"]
        return sorted(row.ecourse.discipline.code for row in page.object_list)

    assert codes("") == ["LRN-1", "OTHER-9"]
    assert codes("other-9") == ["OTHER-9"]
    assert codes(cast.teacher.last_name) == ["LRN-1"]
    assert codes("Zheenbekov") == ["OTHER-9"]  # the teacher's name in Latin letters
    assert codes("nothing-like-this") == []


def test_the_course_page_lists_the_students_not_opened_and_behind(
    stream, cast, client, university, in_english
):
    build(stream, cast, university)
    client.force_login(cast.teacher)

    response = client.get(reverse("learning:course-analytics", args=[stream.ecourse.pk]))

    assert response.status_code == 200
    assert len(response.context["not_opened"]) == 3  # nobody has opened it yet
    [(state, missed)] = response.context["behind"]
    assert (state.student.user.last_name, missed) == ("Эсенов", 1)
    page = response.content.decode()
    assert "Эсенов Азамат" in page or "Азамат Эсенов" in page
    assert "75.0" in page and "66.7" in page


def test_the_course_analytics_export_keeps_kyrgyz_letters(stream, cast, client, university):
    build(stream, cast, university)
    client.force_login(cast.deanery_a)

    response = client.get(
        reverse("learning:course-analytics", args=[stream.ecourse.pk]), {"export": "csv"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3  # the headers and two assignments
    assert rows[1][2:8] == ["3", "2", "1", "2", "66.7", "50.0"]


def test_the_list_export_has_a_row_per_course(stream, cast, client, university):
    build(stream, cast, university)
    client.force_login(cast.admin)

    response = client.get(reverse("learning:analytics"), {"export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][1] == str(stream.ecourse.discipline)
    assert rows[1][5:] == [
        "3",
        "2",
        "4",
        "50.0",
        "3",
        "2",
        "3",
        "75.0",
        "66.7",
        "4.0",
        "4.0",
        "3",
        "1",
    ]


def count(client, url: str) -> int:
    client.get(url)  # the first request of a session reads and writes the session once more
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("member", ["teacher", "deanery_a", "admin"])
def test_the_list_does_not_grow_with_courses(stream, cast, client, university, member):
    build(stream, cast, university)
    client.force_login(getattr(cast, member))
    url = reverse("learning:analytics")
    one = count(client, url)

    for code in ("Q-1", "Q-2", "Q-3"):
        line = plan_line(university.group_a, stream.term, code=code)
        graded_course(university.group_a, stream.term, line, teacher=cast.teacher)
    ecourses_sync()
    for ecourse in ECourse.objects.exclude(pk=stream.ecourse.pk):
        section = section_create(by=cast.teacher, ecourse=ecourse, title_en="Week 1")
        material_add(by=cast.teacher, section=section, kind="file", title_en="N", file=pdf())
        given = assignment_give(
            by=cast.teacher, ecourse=ecourse, title_en="Task", deadline=in_days(2), max_score=5
        )
        submission_submit(by=cast.other_student, assignment=given, text="Done")

    assert ECourse.objects.count() == 4
    assert count(client, url) == one


def test_the_course_analytics_does_not_grow_with_work(stream, cast, client, university):
    client.force_login(cast.teacher)
    url = reverse("learning:course-analytics", args=[stream.ecourse.pk])
    one = count(client, url)

    build(stream, cast, university)

    assert count(client, url) == one
