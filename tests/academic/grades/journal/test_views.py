"""The journal's pages and its JSON cell endpoint."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.grades.actions import journal as actions
from academic.grades.models import Attendance, Lesson, Score
from academic.records.models import Student
from tests.academic.grades.journal.conftest import make_lesson, transfer
from tests.conftest import admit, make_user, personal_file

pytestmark = pytest.mark.usefixtures("today", "in_english")


def cell_url(course):
    return reverse("grades:journal-cell", kwargs={"course_id": course.pk})


def post_cell(client, course, **body):
    return client.post(cell_url(course), json.dumps(body), content_type="application/json")


def test_the_teacher_sees_the_grid_with_cells_and_totals(client, cast, enrolled, course, lesson):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(8),
        expected_version=0,
    )
    client.force_login(cast.teacher)

    response = client.get(reverse("grades:journal", kwargs={"course_id": course.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-writable="1"' in html
    assert f'data-field="score" data-lesson="{lesson.pk}" data-version="1"' in html
    assert "Asanov" in html or "Асанов" in html
    assert response.context["grid"].rows[0].total == Decimal(8)
    assert reverse("classes:lesson", args=[lesson.pk]) in html  # the lesson's online class


def test_the_curator_reads_the_grid_without_inputs(client, cast, enrolled, course, lesson):
    client.force_login(cast.curator)

    response = client.get(reverse("grades:journal", kwargs={"course_id": course.pk}))

    assert response.status_code == 200
    assert 'data-writable="0"' in response.content.decode()
    assert '<input class="jg-in' not in response.content.decode()


def test_a_transferred_student_is_greyed_after_leaving(
    client, cast, university, enrolled, course, lesson, late_lesson
):
    transfer(enrolled.other_student, university.group_b)
    client.force_login(cast.teacher)

    grid = client.get(reverse("grades:journal", kwargs={"course_id": course.pk})).context["grid"]

    row = next(r for r in grid.rows if r.student.pk == enrolled.other_student.pk)
    assert row.left_on == date(2026, 10, 15)
    assert [cell.on_roll for _lesson, cell in row.cells] == [True, False]


def add_students(university, count: int, start: int) -> None:
    students = [
        personal_file(make_user(f"bulk{n}", last_name=f"Студент{n}"), f"25-{n:04d}")
        for n in range(start, start + count)
    ]
    admit(students, university.group_a, number=f"bulk-{start}")


def add_lessons(course, checkpoint, count: int) -> list[Lesson]:
    return [
        make_lesson(course, date(2026, 9, 1 + n), checkpoint=checkpoint, max_score=5)
        for n in range(count)
    ]


def grid_queries(client, course) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("grades:journal", kwargs={"course_id": course.pk}))
    assert response.status_code == 200
    return len(queries)


def test_the_grid_costs_the_same_queries_for_5_and_20_students_and_lessons(
    client, cast, university, course, module_1
):
    client.force_login(cast.teacher)
    add_students(university, 5, 0)
    lessons = add_lessons(course, module_1, 5)
    small = grid_queries(client, course)

    add_students(university, 15, 100)
    lessons += add_lessons(course, module_1, 15)
    students = list(Student.objects.all())
    Score.objects.bulk_create(
        Score(checkpoint=module_1, lesson=lesson, student=student, value=1)
        for lesson in lessons
        for student in students
    )
    Attendance.objects.bulk_create(
        Attendance(lesson=lesson, student=student, mark="present")
        for lesson in lessons
        for student in students
    )
    large = grid_queries(client, course)

    assert large == small
    assert small <= 16


def test_my_grades_cost_the_same_queries_for_one_and_two_courses(
    client, cast, enrolled, course, credit_course, lesson
):
    client.force_login(cast.student)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("grades:journal-my-grades")).status_code == 200
    two = len(queries)
    credit_course.delete()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("grades:journal-my-grades"))

    assert len(queries) == two


def test_a_cell_is_saved_through_the_endpoint(client, cast, enrolled, course, lesson):
    client.force_login(cast.teacher)

    response = post_cell(
        client,
        course,
        lesson=lesson.pk,
        student=enrolled.student.pk,
        field="score",
        value="7,5",
        version=0,
    )

    assert response.status_code == 200
    assert response.json() == {
        "field": "score", "lesson": lesson.pk, "student": enrolled.student.pk, "value": "7.50",
        "version": 1, "checkpoint": lesson.checkpoint_id, "checkpoint_total": "7.50", "total": "7.50",
    }  # fmt: skip


def test_a_mark_is_saved_through_the_endpoint(client, cast, enrolled, course, lesson):
    client.force_login(cast.deanery_a)

    response = post_cell(
        client,
        course,
        lesson=lesson.pk,
        student=enrolled.student.pk,
        field="mark",
        value="absent",
        version=0,
    )

    assert response.status_code == 200 and response.json()["value"] == "absent"
    assert Attendance.objects.get().updated_by == cast.deanery_a


def test_the_second_editor_gets_409_with_the_current_value(client, cast, enrolled, course, lesson):
    client.force_login(cast.teacher)
    post_cell(
        client,
        course,
        lesson=lesson.pk,
        student=enrolled.student.pk,
        field="score",
        value="6",
        version=0,
    )
    client.force_login(cast.deanery_a)

    response = post_cell(
        client,
        course,
        lesson=lesson.pk,
        student=enrolled.student.pk,
        field="score",
        value="9",
        version=0,
    )

    assert response.status_code == 409
    answer = response.json()
    assert (answer["conflict"], answer["value"], answer["version"]) == (True, "6.00", 1)
    assert "changed this cell" in answer["detail"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"field": "score", "value": "11"}, "from 0 to 10"),
        ({"field": "score", "value": "abc"}, "is a number"),
        ({"field": "mark", "value": "sick"}, "present, absent, late or excused"),
        ({"field": "colour", "value": "red"}, "mark or score"),
        ({"field": "score", "value": "5", "version": "x"}, "version is missing"),
        ({"field": "score", "value": "5", "student": 999999}, "No such student"),
    ],
)
def test_bad_input_is_refused_with_a_reason(client, cast, enrolled, course, lesson, body, reason):
    client.force_login(cast.teacher)
    payload = {"lesson": lesson.pk, "student": enrolled.student.pk, "version": 0} | body

    response = post_cell(client, course, **payload)

    assert response.status_code == 400 and reason in response.json()["detail"]


def test_a_lesson_of_another_course_is_refused(client, cast, enrolled, course, credit_course):
    other = make_lesson(credit_course, date(2026, 10, 1))
    client.force_login(cast.teacher)

    response = post_cell(
        client,
        course,
        lesson=other.pk,
        student=enrolled.student.pk,
        field="mark",
        value="present",
        version=0,
    )

    assert response.status_code == 400
    assert "not in this course's journal" in response.json()["detail"]


def test_a_closed_journal_is_refused_by_the_endpoint(client, cast, enrolled, course, lesson, today):
    today.set(date(2027, 3, 1))
    client.force_login(cast.teacher)

    response = post_cell(
        client,
        course,
        lesson=lesson.pk,
        student=enrolled.student.pk,
        field="mark",
        value="present",
        version=0,
    )

    assert response.status_code == 400 and "Entries are open from" in response.json()["detail"]


def test_a_reader_cannot_write_a_cell(client, cast, enrolled, course, lesson):
    client.force_login(cast.curator)

    response = post_cell(
        client,
        course,
        lesson=lesson.pk,
        student=enrolled.student.pk,
        field="mark",
        value="present",
        version=0,
    )

    assert response.status_code == 404 and not Attendance.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_journal_exports(client, cast, enrolled, course, lesson, fmt):
    actions.attendance_set(
        by=cast.teacher, lesson=lesson, student=enrolled.student, mark="present", expected_version=0
    )
    client.force_login(cast.teacher)

    response = client.get(
        reverse("grades:journal", kwargs={"course_id": course.pk}), {"export": fmt}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert "Асанов" in text and "present" in text and "01.10" in text


def test_the_data_endpoint_gives_cells_and_totals(client, cast, enrolled, course, lesson):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(4),
        expected_version=0,
    )
    client.force_login(cast.curator)

    rows = client.get(reverse("grades:journal-data", kwargs={"course_id": course.pk})).json()[
        "rows"
    ]

    mine = next(r for r in rows if r["student"] == enrolled.student.pk)
    assert mine["cells"][str(lesson.pk)]["score"] == "4.00" and mine["total"] == "4.00"


def test_the_checkpoint_plan_page_saves_a_valid_plan(client, cast, course):
    client.force_login(cast.teacher)
    url = reverse("grades:journal-checkpoints", kwargs={"course_id": course.pk})
    forms = client.get(url).context["formset"]
    data = {
        "cp-TOTAL_FORMS": "3", "cp-INITIAL_FORMS": "3", "cp-MIN_NUM_FORMS": "0",
        "cp-MAX_NUM_FORMS": "1000", "admission_minimum": "40",
    }  # fmt: skip
    for n, (form, maximum) in enumerate(zip(forms, (25, 35, 40), strict=False)):
        initial = form.initial
        data |= {
            f"cp-{n}-id": initial["id"], f"cp-{n}-name": initial["name"],
            f"cp-{n}-kind": initial["kind"], f"cp-{n}-max_score": maximum,
        }  # fmt: skip

    response = client.post(url, data)

    assert response.status_code == 302
    assert list(course.checkpoints.values_list("max_score", flat=True)) == [25, 35, 40]


def test_the_checkpoint_plan_page_shows_why_a_plan_is_refused(client, cast, course):
    client.force_login(cast.teacher)
    url = reverse("grades:journal-checkpoints", kwargs={"course_id": course.pk})
    data = {
        "cp-TOTAL_FORMS": "1", "cp-INITIAL_FORMS": "0", "cp-MIN_NUM_FORMS": "0",
        "cp-MAX_NUM_FORMS": "1000", "cp-0-name": "Everything", "cp-0-kind": "final",
        "cp-0-max_score": "90", "admission_minimum": "",
    }  # fmt: skip

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "add up to 90, not 100" in response.content.decode()
    assert course.checkpoints.count() == 3


def test_a_lesson_is_added_and_deleted_after_confirmation(client, cast, course, module_1):
    client.force_login(cast.teacher)
    create = reverse("grades:journal-lesson-create", kwargs={"course_id": course.pk})

    response = client.post(
        create,
        {
            "date": "2026-10-05",
            "kind": "lab",
            "topic": "Indexes",
            "checkpoint": module_1.pk,
            "max_score": 5,
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(topic="Indexes")
    delete = reverse(
        "grades:journal-lesson-delete", kwargs={"course_id": course.pk, "lesson_id": lesson.pk}
    )
    assert "Delete the lesson of 05.10.2026" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not Lesson.objects.exists()


def test_a_lesson_outside_the_term_is_refused_on_the_form(client, cast, course):
    client.force_login(cast.teacher)
    create = reverse("grades:journal-lesson-create", kwargs={"course_id": course.pk})

    response = client.post(create, {"date": "2027-05-05", "kind": "lecture", "max_score": 0})

    assert response.status_code == 200
    assert "Entries are open from" in response.content.decode()


def test_the_course_list_shows_a_teachers_courses_only(
    client, cast, enrolled, course, credit_course
):
    credit_course.teacher = cast.other_teacher
    credit_course.save()
    client.force_login(cast.teacher)

    page = client.get(reverse("grades:journal-courses"), {"term": course.term_id}).context["page"]

    assert list(page.object_list) == [course]


def test_a_student_sees_their_totals_and_attendance(client, cast, enrolled, course, lesson):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(9),
        expected_version=0,
    )
    actions.attendance_set(
        by=cast.teacher, lesson=lesson, student=enrolled.student, mark="late", expected_version=0
    )
    client.force_login(cast.student)

    response = client.get(reverse("grades:journal-my-grades"))

    summary = next(s for s in response.context["summaries"] if s.course == course)
    assert summary.total == Decimal(9) and summary.attendance == {"late": 1}
    detail = client.get(reverse("grades:journal-my-course", kwargs={"course_id": course.pk}))
    assert detail.context["detail"].lessons[0].score == Decimal(9)


def test_a_student_never_sees_another_students_grades(client, cast, enrolled, course):
    client.force_login(cast.other_student)

    response = client.get(reverse("grades:journal-my-grades"), {"student": enrolled.student.pk})

    assert response.status_code == 404


def test_a_parent_sees_their_childs_grades(client, cast, enrolled, course, lesson):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(3),
        expected_version=0,
    )
    client.force_login(cast.parent)

    response = client.get(reverse("grades:journal-my-grades"), {"student": enrolled.student.pk})

    assert response.status_code == 200 and response.context["student"] == enrolled.student
    assert "Grades of" in response.content.decode()
    assert (
        client.get(
            reverse("grades:journal-my-grades"), {"student": enrolled.other_student.pk}
        ).status_code
        == 404
    )
