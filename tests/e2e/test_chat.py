"""A student and a teacher chat live; the student leaves, the teacher writes, the student sees it."""

from __future__ import annotations

import pytest

from realtime.chat.actions import private_chat_open
from tests.e2e.test_cabinets import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_chat(browser, base_url: str, username: str, chat_id: int):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base_url, username)
    page.wait_for_url(f"{base_url}/cabinet/**")
    page.goto(f"{base_url}/chats/{chat_id}/")
    return context, page


def say(page, text: str) -> None:
    page.fill("#chat-text", text)
    page.click(".chat-send button[type=submit]")


def test_a_student_and_a_teacher_chat_live_and_nothing_is_lost(
    browser, live_server_url, cast, enrolled
):
    chat = private_chat_open(by=cast.student, other=cast.teacher)
    student_context, student = open_chat(browser, live_server_url, "student", chat.pk)
    teacher_context, teacher = open_chat(browser, live_server_url, "teacher", chat.pk)

    say(student, "Агай, саламатсызбы! https://example.org/task")
    teacher.wait_for_selector(".chat-message >> text=Агай, саламатсызбы!")
    assert teacher.locator(".chat-message a[href='https://example.org/task']").count() == 1
    student.wait_for_selector(".chat-message[data-id]")

    say(teacher, "<script>alert(1)</script> Саламатчылык!")
    student.wait_for_selector(".chat-message >> text=Саламатчылык!")
    assert student.locator(".chat-message script").count() == 0

    student_context.close()  # the student goes away
    say(teacher, "Тапшырманы жума күнү тапшыргыла.")
    teacher.wait_for_selector(".chat-message[data-id] >> text=Тапшырманы жума күнү")

    student_context, student = open_chat(browser, live_server_url, "student", chat.pk)
    student.wait_for_selector(".chat-message >> text=Тапшырманы жума күнү")
    assert student.locator(".chat-message >> text=Тапшырманы жума күнү").count() == 1
    student_context.close()
    teacher_context.close()
