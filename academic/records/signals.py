"""Signals of student records, sent and received.

Received: keep each student's search_text in step with the names on their
account. Names are changed by hub.accounts (profile, administrators), which
must not know this app; it tells everyone through post_save.

Sent: `order_signed`, so modules this app must not import (realtime chats,
later journals) follow who studies where without anyone touching them.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import Signal

# Sent by actions.order_sign inside its transaction, for modules that follow
# group membership (chats, journals): kwargs `order`, `groups` (ids of the
# groups left and joined) and `effective_date`. Receivers act after commit.
order_signed = Signal()

NAME_FIELDS = frozenset(
    {
        "last_name",
        "first_name",
        "patronymic",
        "last_name_latin",
        "first_name_latin",
        "patronymic_latin",
    }
)


def refresh_student_search_text(
    sender, instance, raw: bool = False, update_fields=None, **kwargs
) -> None:
    from academic.records.models import Student, search_text_for

    # A sign-in saves last_login only: no name changed, no query spent.
    if raw or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    student = Student.objects.filter(user_id=instance.pk).only("pk", "record_number").first()
    if student is not None:
        text = search_text_for(instance, student.record_number)
        Student.objects.filter(pk=student.pk).exclude(search_text=text).update(search_text=text)


def connect() -> None:
    from django.contrib.auth import get_user_model

    post_save.connect(
        refresh_student_search_text, sender=get_user_model(), dispatch_uid="records-search-text"
    )
