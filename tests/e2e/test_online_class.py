"""The teacher starts an online class with a (fake) camera; a student joins and the teacher's video plays.

Chromium's fake capture devices stand in for the camera and microphone, and
its fake permission prompt accepts them. The media goes browser -> the
built-in aiortc server inside the Daphne process -> the other browser, over
loopback with host candidates only (no STUN/TURN configured). The page counts
the decoded frames of every video it shows (figure[data-frames]); a student
whose count of the teacher's camera keeps rising is watching the class.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from realtime.classes.models import ClassStatus, OnlineClass
from tests.e2e.test_cabinets import sign_in
from tests.realtime import conftest as realtime
from tests.realtime.classes import conftest as classes

# Today's lesson of group A's course taught by cast.teacher, with the fixtures it stands on.
grades_year, term, fresh_rooms, lesson = (
    realtime.grades_year,
    realtime.term,
    classes.fresh_rooms,
    classes.lesson,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A headless browser's captured screen changes too rarely to count its frames: "Share the
# screen" gets a second stream of the fake camera's moving pattern instead.
SCREEN_FROM_CAMERA = """
navigator.mediaDevices.getDisplayMedia = () =>
  navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } });
"""
# Frames of the teacher's camera the student must have seen: at 15 fps, about a second of video.
FRAMES = 10
# ICE, DTLS and the first key frame take a few seconds on a loaded machine.
MEDIA_TIMEOUT_MS = 30_000

TEACHER_VIDEO = "[data-class-videos] figure[data-mid]"


class ClassPage:
    """One participant's signed-in browser context on the class page, with its console kept."""

    def __init__(
        self,
        browser,
        base_url: str,
        username: str,
        lesson_id: int,
        *,
        droppable: bool = False,
        screen: bool = False,
    ) -> None:
        self.username = username
        self.context = browser.new_context(
            locale="en-US",
            viewport={"width": 1280, "height": 800},
            permissions=["camera", "microphone"],
        )
        # With `droppable`, the class sockets pass through Playwright, which can cut them.
        self.sockets = []
        if droppable:
            self.context.route_web_socket("**/ws/class/**", self._pass_through)
        if screen:
            self.context.add_init_script(SCREEN_FROM_CAMERA)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        sign_in(self.page, base_url, username)
        self.page.wait_for_url(f"{base_url}/cabinet/**")
        self.page.goto(f"{base_url}/classes/lesson/{lesson_id}/")

    def _pass_through(self, socket) -> None:
        socket.connect_to_server()
        self.sockets.append(socket)

    def mark_videos_old(self) -> None:
        """Mark the videos the page shows now `data-old`, to tell them from those that come later."""
        self.page.evaluate(
            "() => document.querySelectorAll('[data-class-videos] figure').forEach("
            "(f) => { f.dataset.old = '1'; })"
        )

    def drop_socket(self) -> None:
        """Cut the page's class socket as a network failure would (not a close code that stops the
        page): the page reconnects by itself. Its current videos are marked `data-old`."""
        self.mark_videos_old()
        self.sockets[-1].close(code=4000, reason="dropped by the test")

    def wait_for_new_video(self, others: list[ClassPage], what: str, caption: str) -> None:
        """Wait until a video not marked `data-old`, captioned with `caption`, counts FRAMES frames."""
        wait_or_fail(
            self,
            others,
            what,
            """([caption, frames]) => [...document.querySelectorAll(
                 '[data-class-videos] figure[data-mid]:not([data-old])')].some((f) =>
                 f.querySelector('video') && f.innerText.includes(caption)
                 && Number(f.dataset.frames || 0) >= frames)""",
            arg=[caption, FRAMES],
        )

    def status(self) -> str:
        found = self.page.locator("[data-class-status]")
        return found.inner_text() if found.count() else "(no status line)"

    def report(self) -> str:
        """What the page said and logged, for an assertion message."""
        videos = self.page.evaluate(
            """() => [...document.querySelectorAll('[data-class-videos] figure')].map(
                 (f) => `mid=${f.dataset.mid} frames=${f.dataset.frames || 0} "${f.innerText}"`)"""
        )
        log = "\n    ".join(self.console[-30:]) or "(empty)"
        return f"{self.username}: status {self.status()!r}, videos {videos}\n  console:\n    {log}"


def daphne_log_tail() -> str:
    logs = sorted(
        Path(settings.VAR_DIR).resolve().glob("e2e-daphne-*.log"), key=lambda p: p.stat().st_mtime
    )
    return logs[-1].read_text()[-3000:] if logs else "(no Daphne log)"


def wait_or_fail(
    page: ClassPage, others: list[ClassPage], what: str, script: str, arg=None
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.page.wait_for_function(script, arg=arg, timeout=MEDIA_TIMEOUT_MS)
    except PlaywrightTimeout:
        reports = "\n".join(p.report() for p in [page, *others])
        pytest.fail(
            f"{what} within {MEDIA_TIMEOUT_MS / 1000:.0f} s\n{reports}\n"
            f"Daphne log (tail):\n{daphne_log_tail()}"
        )


def assert_watching_the_teacher(student: ClassPage, teacher: ClassPage) -> None:
    """The student's page plays the teacher's camera: FRAMES frames counted, and more after."""
    wait_or_fail(
        student,
        [teacher],
        f"the student's page did not count {FRAMES} frames of the teacher's video",
        """(frames) => [...document.querySelectorAll('[data-class-videos] figure[data-mid]')]
             .some((f) => f.querySelector('video') && Number(f.dataset.frames || 0) >= frames)""",
        arg=FRAMES,
    )
    video = student.page.locator(TEACHER_VIDEO).filter(has=student.page.locator("video")).first
    caption = video.locator("figcaption").inner_text()
    assert "(teacher)" in caption and "Camera" in caption, (
        f"the video is not labelled as the teacher's camera: {caption!r}\n{student.report()}"
    )
    assert video.locator("video").evaluate("(v) => v.videoWidth") > 0, student.report()
    # The video keeps playing, not just a burst of frames at the start.
    counted = int(video.get_attribute("data-frames"))
    wait_or_fail(
        student,
        [teacher],
        "the teacher's video stopped after its first frames",
        """([selector, counted]) => [...document.querySelectorAll(selector)]
             .some((f) => Number(f.dataset.frames || 0) >= counted + 5)""",
        arg=[TEACHER_VIDEO, counted],
    )


def test_the_teacher_starts_a_class_and_a_student_watches_the_teachers_camera(
    media_browser, live_server_url, cast, enrolled, lesson, screenshot_dir
):
    teacher = ClassPage(media_browser, live_server_url, "teacher", lesson.pk)
    teacher.page.get_by_role("button", name="Start the class").click()
    teacher.page.wait_for_selector("[data-online-class]")
    online_class = OnlineClass.objects.get(lesson=lesson)
    assert online_class.status == ClassStatus.LIVE and online_class.provider == "builtin"

    # The fake camera opens and the teacher sees themselves.
    wait_or_fail(
        teacher,
        [],
        "the teacher's own camera did not play",
        """() => { const v = document.querySelector('[data-class-self]');
                   return v && !v.hidden && v.readyState >= 2 && v.videoWidth > 0; }""",
    )

    student = ClassPage(media_browser, live_server_url, "student", lesson.pk)
    student.page.wait_for_selector("[data-online-class]")
    assert_watching_the_teacher(student, teacher)
    # The teacher turns the camera off and on again: the student's video goes on.
    camera = teacher.page.get_by_role("button", name="Camera and microphone")
    camera.click()
    teacher.page.wait_for_selector("[data-class-self]", state="hidden")
    camera.click()
    teacher.page.wait_for_selector("[data-class-self]", state="visible")
    counted = int(student.page.locator(TEACHER_VIDEO).first.get_attribute("data-frames") or 0)
    wait_or_fail(
        student,
        [teacher],
        "the teacher's video did not come back after the camera was turned off and on",
        """([selector, counted]) => [...document.querySelectorAll(selector)]
             .some((f) => Number(f.dataset.frames || 0) >= counted + 10)""",
        arg=[TEACHER_VIDEO, counted],
    )

    # The teacher sees the student among the participants.
    listed = teacher.page.locator("[data-class-people] li")
    listed.first.wait_for()
    assert listed.count() == 1, teacher.report()
    assert cast.student.last_name_latin in listed.inner_text() or cast.student.last_name in (
        listed.inner_text()
    ), f"the student is not listed: {listed.inner_text()!r}"
    student.page.screenshot(path=screenshot_dir / "online-class-student.png", full_page=True)
    teacher.page.screenshot(path=screenshot_dir / "online-class-teacher.png", full_page=True)

    # The teacher ends the class: the student's page says so, the teacher confirms the attendance.
    teacher.page.get_by_role("button", name="End the class").click()
    teacher.page.wait_for_url(f"{live_server_url}/classes/{online_class.pk}/attendance/")
    student.page.wait_for_function(
        "() => document.querySelector('[data-class-status]')?.textContent === 'The class has ended.'"
    )
    online_class.refresh_from_db()
    assert online_class.status == ClassStatus.ENDED
    assert not [line for line in student.console + teacher.console if "error" in line], (
        f"{student.report()}\n{teacher.report()}"
    )

    for page in (student, teacher):
        page.context.close()


def test_a_student_waiting_before_the_teacher_publishes_receives_the_video_when_they_do(
    media_browser, live_server_url, cast, enrolled, lesson
):
    # The teacher starts the class, but their page's script is held back: nobody publishes yet.
    teacher = ClassPage(media_browser, live_server_url, "teacher", lesson.pk)
    teacher.context.route("**/online-class*.js", lambda route: route.abort())
    teacher.page.get_by_role("button", name="Start the class").click()
    teacher.page.wait_for_selector("[data-online-class]")
    assert OnlineClass.objects.get(lesson=lesson).status == ClassStatus.LIVE

    student = ClassPage(media_browser, live_server_url, "student", lesson.pk)
    student.page.wait_for_selector("[data-online-class]")
    # The student's media connection is set up with nothing to receive.
    wait_or_fail(
        student,
        [],
        "the student's media connection did not come up before the teacher's",
        "() => document.querySelector('[data-online-class]')?.dataset.media === 'connected'",
    )
    assert student.page.locator(TEACHER_VIDEO).count() == 0, student.report()

    # The teacher's page comes to life after the student's and publishes: the server offers
    # the student the teacher's tracks on a connection that is already up.
    teacher.context.unroute("**/online-class*.js")
    teacher.console.clear()  # the held-back script's load error
    teacher.page.reload()
    teacher.page.wait_for_selector("[data-online-class]")
    assert_watching_the_teacher(student, teacher)
    assert not [line for line in student.console + teacher.console if "error" in line], (
        f"{student.report()}\n{teacher.report()}"
    )

    for page in (student, teacher):
        page.context.close()


def test_after_a_dropped_socket_the_allowed_student_and_the_shared_screen_come_back(
    media_browser, live_server_url, cast, enrolled, lesson
):
    teacher = ClassPage(
        media_browser, live_server_url, "teacher", lesson.pk, droppable=True, screen=True
    )
    teacher.page.get_by_role("button", name="Start the class").click()
    teacher.page.wait_for_selector("[data-online-class]")
    student = ClassPage(media_browser, live_server_url, "student", lesson.pk, droppable=True)
    student.page.wait_for_selector("[data-online-class]")
    assert_watching_the_teacher(student, teacher)
    name = cast.student.last_name_latin

    # The teacher shares the screen and lets the student speak: each sees the other's new video.
    teacher.page.get_by_role("button", name="Share the screen").click()
    student.wait_for_new_video([teacher], "the student did not get the teacher's screen", "Screen")
    teacher.page.locator("[data-class-people] li").get_by_role(
        "button", name="Allow to speak"
    ).click()
    student.page.wait_for_selector("[data-class-self]", state="visible")
    teacher.wait_for_new_video([student], "the teacher did not get the student's camera", name)

    # The student's socket drops: the page reconnects, still allowed, and publishes again.
    teacher.mark_videos_old()
    student.drop_socket()
    teacher.wait_for_new_video(
        [student], "the student's camera did not come back after their reconnect", name
    )
    student.wait_for_new_video(
        [teacher], "the student did not get the teacher's camera after reconnecting", "Camera"
    )

    # The teacher's socket drops: camera and the still shared screen are published again.
    student.mark_videos_old()
    teacher.drop_socket()
    student.wait_for_new_video(
        [teacher], "the teacher's screen did not come back after their reconnect", "Screen"
    )
    student.wait_for_new_video(
        [teacher], "the teacher's camera did not come back after their reconnect", "Camera"
    )
    assert len(student.sockets) == 2 and len(teacher.sockets) == 2
    assert not [line for line in student.console + teacher.console if "error" in line], (
        f"{student.report()}\n{teacher.report()}"
    )

    for page in (student, teacher):
        page.context.close()
