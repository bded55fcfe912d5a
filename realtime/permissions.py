"""Access to notifications and announcements: the only access checks of the realtime app.

A user sees and changes only their own notifications. Teachers and curators
announce to the groups they curate, a deanery to its faculty and its groups,
the rector's office and the administrator to everyone — each through a right
on the announcements module within the audience's scope (a curator through
the curatorship itself). An announcement is opened by its author and readers.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from academic.structure.models import Group
from hub.accounts.access import Level, Module, Scope, ScopeKind, has_right
from realtime.models import Announcement, Audience, Notification

SCOPE_OF = {
    Audience.GROUP: ScopeKind.GROUP,
    Audience.FACULTY: ScopeKind.FACULTY,
    Audience.INSTITUTION: ScopeKind.INSTITUTION,
}


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


def may_announce(user, audience: str, audience_id: int | None) -> bool:
    """May `user` publish to this audience? See the module docstring."""
    if audience == Audience.INSTITUTION:
        scope = Scope.institution()
    else:
        scope = Scope(SCOPE_OF[audience], audience_id)
    if has_right(user, Module.ANNOUNCEMENTS, Level.EDIT, scope=scope):
        return True
    return (
        audience == Audience.GROUP and Group.objects.filter(pk=audience_id, curator=user).exists()
    )


def may_announce_anywhere(user) -> bool:
    """For menus: may `user` publish to any audience at all?"""
    return (
        has_right(user, Module.ANNOUNCEMENTS, Level.EDIT)
        or Group.objects.filter(curator=user).exists()
        if user.is_authenticated
        else False
    )


def access_announcement(user, announcement_id: int) -> Announcement:
    """An announcement its author or one of its readers opens; Http404 otherwise."""
    announcement = Announcement.objects.select_related("author").filter(pk=announcement_id).first()
    if announcement is None or not (
        announcement.author_id == user.pk
        or Notification.objects.filter(
            recipient=user, url=f"/announcements/{announcement_id}/"
        ).exists()
    ):
        raise Http404(_("Page not found."))
    return announcement
