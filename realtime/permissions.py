"""Access to notifications: a user sees and changes only their own."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from realtime.models import Notification


def access_notification(user, notification_id: int, *, write: bool = False) -> Notification:
    """Return the notification if `user` may see it (and change it, with `write`).

    Raises Http404 both when the id does not exist and when it belongs to
    someone else, so ids cannot be probed. Only the recipient may read or mark
    a notification, so `write` asks for nothing more today.
    """
    if user is None or not user.is_authenticated:
        raise Http404(_("Notification not found."))
    queryset = Notification.objects.filter(recipient=user)
    if write:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(id=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Notification not found.")) from None
