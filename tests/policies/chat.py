"""Chats: a chat is its members' only; everyone has a list of their own."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from realtime.chat.actions import message_post
from realtime.chat.membership import group_chat_sync
from tests.conftest import enrol_cast
from tests.policy import SIGNED_IN, Policy

# Group A's chat: its two students (the fixture admits both).
CHAT_MEMBERS = frozenset({"student", "other_student"})

POLICY = {
    "chat:list": SIGNED_IN,
    "chat:people": SIGNED_IN,
    "chat:detail": Policy(CHAT_MEMBERS, kwargs="chat_a"),
    "chat:history": Policy(CHAT_MEMBERS, kwargs="chat_a", data={"before": "1000"}),
    "chat:online": Policy(CHAT_MEMBERS, kwargs="chat_a"),
    # Without a file the members get a 400 with the reason; others a 404.
    "chat:attach": Policy(CHAT_MEMBERS, kwargs="chat_a", method="post", ok=(400,)),
    "chat:attachment": Policy(CHAT_MEMBERS, kwargs="chat_file"),
    # A student may open a private chat with staff and classmates only.
    "chat:private": Policy(
        frozenset(
            {
                "admin",
                "teacher",
                "other_teacher",
                "curator",
                "deanery_a",
                "deanery_b",
                "records_office",
                "cashier",
                "vice_rector",
                "hr",
                "academic_affairs",
                "other_student",
            }
        ),
        method="post",
        ok=(302,),
        kwargs="chat_with_student",
    ),
}


def objects(cast, university) -> dict[str, dict]:
    enrol_cast(cast, university)
    chat = group_chat_sync(group=university.group_a).chat
    message = message_post(
        by=cast.student,
        chat_id=chat.pk,
        text="Конспект",
        attachment=SimpleUploadedFile("конспект.pdf", b"%PDF-1.4 test"),
    )
    return {
        "chat_a": {"chat_id": chat.pk},
        "chat_file": {"chat_id": chat.pk, "message_id": message.pk},
        "chat_with_student": {"user_id": cast.student.pk},
    }
