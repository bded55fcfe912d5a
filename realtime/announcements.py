"""Announcements and news (TC-7): who receives them, and publishing them.

Who may publish to whom is realtime/permissions.py's `may_announce`, and, for a
teacher, academic/grades/permissions.py's `may_announce_as_teacher` (the groups
they teach a course to this term: TC-7 "to groups, courses"). Readers are today's
students of the audience (the records decide) and its curators; publishing
stores the announcement, then one notification per reader through
notification_send, which tells their open tabs after commit.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.permissions import may_announce_as_teacher, taught_group_ids
from academic.records.models import Status, StudentState
from academic.records.selectors import covering
from academic.structure.models import Faculty, Group
from academic.structure.permissions import groups_visible_filter
from hub.accounts.access import Level, Module, Scope, ScopeKind, scopes_for
from hub.accounts.models import User
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from realtime.actions import notification_send
from realtime.models import Announcement, Audience, Notification, NotificationKind
from realtime.permissions import may_announce, may_announce_anywhere


def audience_groups(user) -> QuerySet[Group]:
    """The active groups `user` may address (for the form's choices), in one query.

    The same answer as asking `may_publish` per group: the groups inside the
    user's EDIT scopes on announcements, those the user curates and those they
    teach a course to this term.
    """
    groups = Group.objects.filter(is_active=True).order_by("name")
    if not user.is_authenticated:
        return groups.none()
    inside = groups_visible_filter(scopes_for(user, Module.ANNOUNCEMENTS, Level.EDIT))
    if inside is None:
        return groups
    return groups.filter(inside | Q(curator=user) | Q(pk__in=taught_group_ids(user)))


def audience_faculties(user) -> QuerySet[Faculty]:
    """The faculties `user` may address: those inside the user's EDIT scopes on announcements."""
    faculties = Faculty.objects.order_by("code")
    scopes = scopes_for(user, Module.ANNOUNCEMENTS, Level.EDIT)
    if Scope.institution() in scopes:
        return faculties
    ids = [scope.id for scope in scopes if scope.kind == ScopeKind.FACULTY]
    return faculties.filter(pk__in=ids)


def may_publish(user, audience: str, audience_id: int | None) -> bool:
    """May `user` publish to this audience: by a right or curatorship, or as its teacher."""
    if may_announce(user, audience, audience_id):
        return True
    return audience == Audience.GROUP and may_announce_as_teacher(user, audience_id)


def may_publish_anywhere(user) -> bool:
    """For menus: may `user` publish at all (a right, a curatorship, a course taught now)?"""
    return user.is_authenticated and (may_announce_anywhere(user) or may_announce_as_teacher(user))


def readers(audience: str, audience_id: int | None) -> list[int]:
    """User ids who receive an announcement to this audience today."""
    if audience == Audience.INSTITUTION:
        return list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    states = StudentState.objects.filter(covering(timezone.localdate()), status=Status.STUDYING)
    groups = Group.objects.filter(is_active=True)
    if audience == Audience.GROUP:
        states, groups = states.filter(group_id=audience_id), groups.filter(pk=audience_id)
    else:
        states = states.filter(group__specialty__department__faculty_id=audience_id)
        groups = groups.filter(specialty__department__faculty_id=audience_id)
    students = set(states.values_list("student__user_id", flat=True))
    curators = set(groups.exclude(curator=None).values_list("curator_id", flat=True))
    return sorted(students | curators)


@transaction.atomic
def announcement_publish(
    *, by: User, audience: str, audience_id: int | None, title: str, body: str
) -> Announcement:
    """Publish an announcement: stored, audited, and each reader notified live after commit."""
    if audience not in Audience.values:
        raise DomainError(_("Choose who the announcement is for."))
    if audience != Audience.INSTITUTION and audience_id is None:
        raise DomainError(_("Choose the group or the faculty."))
    if not may_publish(by, audience, audience_id):
        raise Http404(_("Page not found."))
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise DomainError(_("An announcement needs a title and a text."))
    announcement = Announcement.objects.create(
        author=by,
        audience=audience,
        audience_id=None if audience == Audience.INSTITUTION else audience_id,
        title=title[:200],
        body=body,
    )
    ids = [i for i in readers(audience, audience_id) if i != by.pk]
    announcement.recipients = notification_send(
        recipients=ids,
        title=announcement.title,
        body=body[:500],
        url=f"/announcements/{announcement.pk}/",
        kind=NotificationKind.ANNOUNCEMENT,
        important=True,
    )
    announcement.save(update_fields=["recipients"])
    audit_record(
        action="announcement_publish",
        obj=announcement,
        after=snapshot(announcement, ("audience", "audience_id", "title", "recipients")),
        actor=by,
    )
    return announcement


def announcements_for(user) -> QuerySet[Notification]:
    """The user's announcement notifications, newest first (read and unread)."""
    return Notification.objects.filter(recipient=user, kind=NotificationKind.ANNOUNCEMENT).order_by(
        "-id"
    )
