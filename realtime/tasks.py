"""Background work of the notification centre: e-mailing important notifications."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import translation

from hub.celery import app
from realtime.models import Notification, NotificationSettings


@app.task(name="realtime.email_notifications")
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail each important notification to its recipient, in their language.

    Skips recipients without an e-mail address and those who turned e-mail
    off; returns how many messages were sent. Safe to run twice: a sent
    notification is marked, so a redelivered task sends nothing again.
    """
    declined = set(
        NotificationSettings.objects.filter(email_important=False).values_list("user_id", flat=True)
    )
    sent = 0
    notes = Notification.objects.filter(
        pk__in=notification_ids, important=True, emailed_at__isnull=True
    ).select_related("recipient")
    for note in notes:
        user = note.recipient
        if not user.email or not user.is_active or user.pk in declined:
            continue
        with translation.override(user.language):
            body = f"{note.body}\n\n{note.url}" if note.url else note.body
            send_mail(
                subject=note.title, message=body, from_email=None, recipient_list=[user.email]
            )
        Notification.objects.filter(pk=note.pk).update(emailed_at=_now())
        sent += 1
    return sent


def _now():
    from django.utils import timezone

    return timezone.now()
