"""A teacher types a score and a mark into the journal grid; the student's "My grades" shows
the score live, without a reload; a second teacher's stale edit is shown as a conflict."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from academic.grades.models import Attendance, Lesson, Score
from tests.academic.grades import conftest as grades
from tests.e2e.test_cabinets import sign_in

# The course of group A taught by cast.teacher, with the fixtures it stands on.
grades_year, grades_plan, term, course = (
    grades.grades_year,
    grades.grades_plan,
    grades.term,
    grades.course,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(browser, base_url: str, username: str):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base_url, username)
    page.wait_for_url(f"{base_url}/cabinet/**")
    return context, page


def term_around_today(term) -> date:
    """Stretch the course's term over today (the server's clock), so its journal is open."""
    today = date.today()
    term.starts_on = min(grades.TERM_STARTS, today - timedelta(days=30))
    term.ends_on = max(grades.TERM_ENDS, today + timedelta(days=30))
    term.save()
    return today


def test_a_score_typed_by_the_teacher_appears_live_on_the_students_page(
    browser, live_server_url, cast, enrolled, course, term, screenshot_dir
):
    today = term_around_today(term)
    module = course.checkpoints.get(order=1)
    lesson = Lesson.objects.create(
        course=course, date=today, kind="practice", checkpoint=module, max_score=10
    )
    student_context, student = signed_in(browser, live_server_url, "student")
    frames: list[str] = []
    student.on(
        "websocket", lambda socket: socket.on("framereceived", lambda frame: frames.append(frame))
    )
    student.goto(f"{live_server_url}/grades/my/")
    for _attempt in range(100):  # notification.synced arrives once the socket is up
        if frames:
            break
        student.wait_for_timeout(100)
    assert frames, "the student's page never opened its live socket"
    total = student.locator(f'tr[data-course="{course.pk}"] [data-course-total]')
    assert total.inner_text() == "0"

    teacher_context, teacher = signed_in(browser, live_server_url, "teacher")
    teacher.goto(f"{live_server_url}/grades/journal/{course.pk}/")
    row = f'tr[data-student="{enrolled.student.pk}"]'
    mark = teacher.locator(f'{row} input[data-field="mark"][data-lesson="{lesson.pk}"]')
    mark.click()
    teacher.keyboard.press("p")  # present, and the cursor goes down a row
    score = teacher.locator(f'{row} input[data-field="score"][data-lesson="{lesson.pk}"]')
    score.click()
    teacher.keyboard.type("8")
    teacher.keyboard.press("Enter")

    teacher.wait_for_selector(f'{row} input[data-field="score"][data-state="saved"]')
    assert teacher.locator(f'{row} [data-total="all"]').inner_text() == "8"
    teacher.screenshot(path=screenshot_dir / "journal-grid.png", full_page=True)
    student.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.textContent === text",
        arg=[f'tr[data-course="{course.pk}"] [data-course-total]', "8"],
    )
    assert (
        student.locator(
            f'tr[data-course="{course.pk}"] [data-checkpoint-total="{module.pk}"]'
        ).inner_text()
        == "8"
    )
    student.wait_for_function(
        "() => document.querySelector('[data-attendance=\"present\"] b')?.textContent === '1'"
    )
    assert Score.objects.get(lesson=lesson).value == 8
    student.screenshot(path=screenshot_dir / "journal-my-grades.png", full_page=True)

    # The connection drops: the typed mark waits in the queue, marked unsaved, and goes out
    # when the browser is back online.
    other_row = f'tr[data-student="{enrolled.other_student.pk}"]'
    other_mark = teacher.locator(f'{other_row} input[data-field="mark"][data-lesson="{lesson.pk}"]')
    teacher_context.set_offline(True)
    other_mark.click()
    teacher.keyboard.press("a")
    teacher.wait_for_selector(f'{other_row} input[data-field="mark"][data-state="unsaved"]')
    assert not Attendance.objects.filter(student=enrolled.other_student).exists()
    teacher_context.set_offline(False)
    teacher.wait_for_selector(f'{other_row} input[data-field="mark"][data-state="saved"]')
    assert Attendance.objects.get(student=enrolled.other_student).mark == "absent"

    # Another editor who opened the grid before the save types over the same cell.
    other_context, other = signed_in(browser, live_server_url, "deanery_a")
    other.goto(f"{live_server_url}/grades/journal/{course.pk}/")
    # The grid re-reads the cells once its socket is up: tamper only after that.
    other.wait_for_selector("[data-synced]", state="attached")
    stale = other.locator(f'{row} input[data-field="score"][data-lesson="{lesson.pk}"]')
    stale.evaluate("input => { input.dataset.version = '0'; }")  # as if read before the save
    stale.fill("3")
    stale.press("Enter")
    other.wait_for_selector(f'{row} input[data-field="score"][data-state="conflict"]')
    assert stale.input_value() == "8"
    assert Score.objects.get(lesson=lesson).value == 8

    for context in (student_context, teacher_context, other_context):
        context.close()
