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


def test_the_bell_counts_an_announcement_live(browser, live_server_url, cast, university, enrolled):
    from datetime import date

    from academic.structure.actions import group_assign_curator

    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    student_context = browser.new_context(locale="en-US")
    student = student_context.new_page()
    student.set_default_timeout(15_000)
    sign_in(student, live_server_url, "student")
    student.wait_for_url(f"{live_server_url}/cabinet/student/")
    student.wait_for_function("document.querySelector('[data-unread-count]') !== null")

    curator_context = browser.new_context(locale="en-US")
    curator = curator_context.new_page()
    curator.set_default_timeout(15_000)
    sign_in(curator, live_server_url, "curator")
    curator.wait_for_url(f"{live_server_url}/cabinet/curator/")
    curator.goto(f"{live_server_url}/announcements/new/")
    curator.select_option("select[name=audience]", "group")
    curator.select_option("select[name=group]", label=university.group_a.name)
    curator.fill("input[name=title]", "Эртең жыйналыш")
    curator.fill("textarea[name=body]", "Саат 14:00дө 301-аудиторияда.")
    curator.click("form.form button[type=submit]")
    curator.wait_for_selector("text=Published to")

    badge = student.locator("[data-unread-count]").first
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1"
    student_context.close()
    curator_context.close()
