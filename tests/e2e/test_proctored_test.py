"""A student takes a camera-proctored test in Chromium with a fake camera; the teacher
watches the live grid, sees the score land in the journal, annuls it, and the score leaves.

The student's Chromium has fake capture devices (a generated test pattern) and its fake
permission prompt allows them. The page posts a 320x240 JPEG every FRAME_INTERVAL
seconds; the server (eager_live_server_url: Celery tasks run where they are queued)
analyses it with OpenCV in the upload's request and publishes `proctor.frame` to the
teacher's grid over the socket. The test pattern has no face, so the frames are flagged;
the grid shows what the database says about the frame it names.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from academic.grades.models import Lesson, Score, ScoreSource
from hub.testing.models import Answer, Attempt, AttemptStatus, Layout, Question
from proctoring import actions as proctoring_actions
from proctoring.analysis import Flag
from proctoring.labels import labels
from proctoring.models import Frame
from tests.academic.grades import conftest as grades
from tests.e2e.test_cabinets import sign_in
from tests.e2e.test_journal_live import term_around_today
from tests.hub.testing.conftest import make_bank, make_test

# The course of group A taught by cast.teacher, with the fixtures it stands on.
grades_year, grades_plan, term, course = (
    grades.grades_year,
    grades.grades_plan,
    grades.term,
    grades.course,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Proctored geography"
FRAME_INTERVAL = 2  # seconds, the settings' minimum: the grid changes often
# Chromium's start, the camera and the first analysed frame on a loaded 2-core machine.
TIMEOUT_MS = 45_000
REASON = "Another person answered for the student."
THUMBNAIL = re.compile(r"/proctoring/frames/(\d+)/thumbnail/")

CAMERA_ON = """() => {
  const video = document.querySelector("[data-camera-video]");
  const question = document.querySelector("fieldset[data-question]");
  return video && video.readyState >= 2 && video.videoWidth > 0 && question && !question.disabled;
}"""
# The tile of an attempt, once its thumbnail has loaded: its picture, name, flags and counts.
TILE = """(id) => {
  const tile = document.querySelector(`#proctor-live [data-attempt="${id}"]`);
  const img = tile?.querySelector("img[data-thumb]");
  if (!img || !img.getAttribute("src") || !img.complete || img.naturalWidth === 0) return null;
  const text = (selector) => tile.querySelector(selector)?.textContent.trim() ?? null;
  return {
    src: img.getAttribute("src"),
    name: text(".proctor-tile__name"),
    flags: text("[data-flags]"),
    suspicion: text("[data-suspicion]"),
  };
}"""


class Person:
    """One signed-in browser context, its console kept for failure messages."""

    def __init__(self, browser, base_url: str, username: str, *, camera: bool = False) -> None:
        self.username = username
        self.context = browser.new_context(
            locale="en-US",
            viewport={"width": 1280, "height": 800},
            permissions=["camera"] if camera else [],
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        sign_in(self.page, base_url, username)
        self.page.wait_for_url(f"{base_url}/cabinet/**")

    def report(self) -> str:
        log = "\n    ".join(self.console[-30:]) or "(empty)"
        return f"{self.username} at {self.page.url}\n  console:\n    {log}"


def daphne_log_tail() -> str:
    logs = sorted(
        Path(settings.VAR_DIR).resolve().glob("e2e-daphne-*.log"), key=lambda p: p.stat().st_mtime
    )
    return logs[-1].read_text()[-3000:] if logs else "(no Daphne log)"


def wait_for(page, people: list[Person], what: str, script: str, arg=None):
    """Poll `script` in `page` until truthy; its value, or a failure saying why."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.wait_for_function(script, arg=arg, timeout=TIMEOUT_MS).json_value()
    except PlaywrightTimeout:
        reports = "\n".join(p.report() for p in people)
        pytest.fail(
            f"{what} within {TIMEOUT_MS / 1000:.0f} s\n{reports}\n"
            f"Daphne log (tail):\n{daphne_log_tail()}"
        )


def frame_of(src: str) -> Frame:
    found = THUMBNAIL.search(src)
    assert found, f"not a thumbnail's address: {src!r}"
    return Frame.objects.get(pk=int(found.group(1)))


def english_labels(flags) -> str:
    with translation.override("en"):
        return labels(flags)


def test_a_proctored_attempt_is_watched_live_graded_into_the_journal_and_annulled(
    media_browser, eager_live_server_url, cast, university, enrolled, course, term, screenshot_dir
):
    base = eager_live_server_url
    today = term_around_today(term)
    checkpoint = course.checkpoints.get(order=1)  # Module 1, 30 points
    # The journal's grid lists its students once the course has a lesson.
    Lesson.objects.create(course=course, date=today, kind="lecture")
    bank = make_bank(cast.teacher, title=TITLE)
    capital = Question.objects.get(bank=bank, name="capital")  # one right option: Бишкек
    round_earth = Question.objects.get(bank=bank, name="round")  # true
    test = make_test(
        cast.teacher, bank, title=TITLE, checkpoint=checkpoint, group=university.group_a,
        questions=[capital, round_earth], layout=Layout.ALL,
    )  # fmt: skip
    proctoring_actions.proctoring_settings_save(
        by=cast.teacher, test=test, requires_camera=True, frame_interval=FRAME_INTERVAL,
        proctors=[],
    )  # fmt: skip
    student_row = f'tr[data-student="{enrolled.student.pk}"]'
    module_total = f'{student_row} td[data-total="{checkpoint.pk}"]'

    # The teacher opens the test's live grid before anyone starts, and the journal beside it.
    teacher = Person(media_browser, base, "teacher")
    grid = teacher.page
    grid.goto(f"{base}/testing/tests/{test.pk}/")
    grid.get_by_role("link", name="Proctor's live view").click()
    grid.wait_for_url(f"{base}/proctoring/tests/{test.pk}/live/")
    grid.wait_for_selector("[data-live-status]:text-is('Live')")
    assert grid.locator("#proctor-live [data-empty]").is_visible()
    journal = teacher.context.new_page()
    journal.set_default_timeout(TIMEOUT_MS)
    sent: list[str] = []
    journal.on("websocket", lambda socket: socket.on("framesent", lambda f: sent.append(str(f))))
    journal.goto(f"{base}/grades/journal/{course.pk}/")
    # Its socket is up and follows the course. (Not [data-synced]: journal-grid.js misses
    # the socket's "synced" when it arrives before the script has run.)
    for _poll in range(TIMEOUT_MS // 100):
        if any('"watch_course"' in frame for frame in sent):
            break
        journal.wait_for_timeout(100)
    assert any('"watch_course"' in frame for frame in sent), sent
    assert journal.locator(module_total).inner_text() == "0"

    # The student starts the test: the questions wait for the camera, then open.
    student = Person(media_browser, base, "student", camera=True)
    page = student.page
    page.goto(f"{base}/testing/")
    page.locator("section.card", has_text=TITLE).get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r".*/testing/attempts/\d+/$"))
    attempt = Attempt.objects.get(test=test, student=enrolled.student)
    assert attempt.status == AttemptStatus.IN_PROGRESS
    wait_for(page, [student, teacher], "the student's camera did not start", CAMERA_ON)

    # The grid shows the student live: a tile with the name, the thumbnail and its flags.
    tile = wait_for(
        grid,
        [teacher, student],
        "the proctor's grid did not show the student's thumbnail",
        f"(id) => {{ const t = ({TILE})(id); return t && t.name.includes('Асанов') && t; }}",
        arg=attempt.pk,
    )
    frame = frame_of(tile["src"])
    assert frame.attempt_id == attempt.pk and frame.analysed_at is not None
    assert frame.thumbnail and not frame.raw, "the raw frame is kept after its analysis"
    assert frame.flags, "the fake camera's test pattern has no face, yet nothing was flagged"
    assert tile["flags"] == english_labels(frame.flags)
    # ... and keeps it current: the next frame replaces the thumbnail without a reload.
    tile = wait_for(
        grid,
        [teacher, student],
        "the proctor's grid did not show the student's next frame",
        f"([id, shown]) => {{ const t = ({TILE})(id); return t && t.src !== shown && t; }}",
        arg=[attempt.pk, tile["src"]],
    )
    newer = frame_of(tile["src"])
    assert newer.pk > frame.pk and newer.attempt_id == attempt.pk
    assert tile["flags"] == english_labels(newer.flags)
    assert int(tile["suspicion"]) > 0
    # The test pattern is bright: no frame, the first included, may pass for a dark camera.
    flagged = Frame.objects.filter(attempt=attempt).values_list("flags", flat=True)
    assert all(flags == [Flag.NO_FACE.value] for flags in flagged), list(flagged)
    # The tile built live has the acts of a tile the server rendered, for this attempt.
    built = grid.locator(f'#proctor-live [data-attempt="{attempt.pk}"]')
    assert built.locator(f'form[action="/proctoring/attempts/{attempt.pk}/extend/"]').count() == 1
    # (in the tile's closed "Act" box)
    assert built.locator("a", has_text="End the attempt").get_attribute("href") == (
        f"/proctoring/attempts/{attempt.pk}/end/"
    )
    grid.screenshot(path=screenshot_dir / "proctor-live-grid.png", full_page=True)

    # The student answers both questions rightly; each answer is saved as it is given.
    queue = f"test-attempt:{attempt.pk}:queue"
    page.locator(f'fieldset[data-question="{capital.pk}"] label.choice', has_text="Бишкек").click()
    page.locator(f'fieldset[data-question="{round_earth.pk}"] input[value="true"]').check()
    wait_for(
        page,
        [student],
        "the answers were not acknowledged by the server",
        "(key) => localStorage.getItem(key) === null && "
        "document.querySelector('[data-status]').textContent === 'Saved'",
        arg=queue,
    )
    saved = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "response"))
    assert set(saved) == {capital.pk, round_earth.pk}
    assert saved[round_earth.pk] == {"value": True}
    page.screenshot(path=screenshot_dir / "proctored-attempt.png", full_page=True)

    page.get_by_role("button", name="Finish the test").click()
    page.wait_for_url(f"{base}/testing/attempts/{attempt.pk}/result/")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.score == Decimal("30.00"), attempt.results
    assert re.search(r"\b30(\.00)? / 30\b", page.locator("main").inner_text())
    frames = Frame.objects.filter(attempt=attempt).exclude(thumbnail="").count()
    assert frames >= 2

    # The score is in the journal: the open grid shows it live, a fresh one from the server.
    wait_for(
        journal,
        [teacher, student],
        "the teacher's open journal did not show the test's score",
        "([selector, text]) => document.querySelector(selector)?.textContent === text",
        arg=[module_total, "30"],
    )
    scores = Score.objects.filter(student=enrolled.student, checkpoint=checkpoint)
    assert list(scores.values_list("source", "value")) == [(ScoreSource.TEST, Decimal("30.00"))]
    fresh = teacher.context.new_page()
    fresh.set_default_timeout(TIMEOUT_MS)
    fresh.goto(f"{base}/grades/journal/{course.pk}/")
    assert fresh.locator(module_total).inner_text() == "30"
    assert fresh.locator(f'{student_row} td[data-total="all"]').inner_text() == "30"

    # The teacher annuls it from the attempt's review: a reason is required, then confirmed.
    fresh.goto(f"{base}/testing/tests/{test.pk}/")
    attempts = fresh.locator("table tbody tr")
    assert attempts.count() == 1 and "30.00" in attempts.inner_text()
    attempts.get_by_role("link", name="Review").click()
    fresh.wait_for_url(f"{base}/proctoring/attempts/{attempt.pk}/review/")
    assert fresh.locator(".proctor-frames figure").count() == frames
    fresh.get_by_role("link", name="Annul the result").click()
    fresh.wait_for_url(f"{base}/proctoring/attempts/{attempt.pk}/annul/")
    assert "The score leaves the journal" in fresh.locator("main").inner_text()
    fresh.get_by_role("button", name="Annul the result").click()  # no reason yet
    fresh.wait_for_selector(".form__error")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert scores.count() == 1
    fresh.fill("textarea[name=reason]", REASON)
    fresh.get_by_role("button", name="Annul the result").click()
    fresh.wait_for_url(f"{base}/proctoring/attempts/{attempt.pk}/review/")
    assert f"Annulled: {REASON}" in fresh.locator("main").inner_text()
    assert fresh.get_by_role("link", name="Annul the result").count() == 0
    fresh.screenshot(path=screenshot_dir / "proctoring-review-annulled.png", full_page=True)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ANNULLED and attempt.annul_reason == REASON
    assert not scores.exists()

    # The score is gone from the journal: live in the open grid, and from the server.
    wait_for(
        journal,
        [teacher, student],
        "the teacher's open journal still shows the annulled score",
        "([selector, text]) => document.querySelector(selector)?.textContent === text",
        arg=[module_total, "0"],
    )
    fresh.goto(f"{base}/grades/journal/{course.pk}/")
    assert fresh.locator(module_total).inner_text() == "0"
    assert fresh.locator(f'{student_row} td[data-total="all"]').inner_text() == "0"

    errors = [line for p in (student, teacher) for line in p.console if "pageerror" in line]
    assert not errors, f"{student.report()}\n{teacher.report()}"
    for person in (student, teacher):
        person.context.close()
