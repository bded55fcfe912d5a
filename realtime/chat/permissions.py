"""Who may read and write which chat: the only access checks of the chat app.

A chat is read and written by its current members only; moderators (the
curator of a group, the teacher of a stream) may also remove others'
messages. Who may open a private chat with whom follows the institution's
lines: staff with anyone, a student with staff and classmates, a parent with
the curator of their child's group.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.models import Cabinet, Guardianship, User
from realtime.chat.models import ChatMember, MemberRole

STAFF_CABINETS = {Cabinet.TEACHER, Cabinet.CURATOR, Cabinet.STAFF, Cabinet.ADMIN}


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def membership(user, chat_id: int) -> ChatMember | None:
    """The user's current membership of the chat, or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        ChatMember.objects.select_related("chat")
        .filter(chat_id=chat_id, user_id=user.pk, left_at__isnull=True)
        .first()
    )


def access_chat(user, chat_id: int, *, moderate: bool = False) -> ChatMember:
    """The user's membership of chat `chat_id` (a moderator's, with `moderate`).

    Missing chats, foreign chats and chats the user has left give the same Http404.
    """
    member = membership(user, chat_id)
    if member is None or (moderate and member.role != MemberRole.MODERATOR):
        raise _not_found()
    return member


def _group_today(user_id: int) -> int | None:
    from academic.records.models import StudentState
    from academic.records.selectors import covering

    return (
        StudentState.objects.filter(covering(timezone.localdate()), student__user_id=user_id)
        .values_list("group_id", flat=True)
        .first()
    )


def may_chat_privately(user, other) -> bool:
    """May `user` open a private chat with `other`? See the module docstring."""
    if user.pk == other.pk or not (user.is_active and other.is_active):
        return False
    staff = {u.pk for u in (user, other) if u.cabinet in STAFF_CABINETS or u.is_superuser}
    if len(staff) == 2:
        return True
    cabinets = {user.cabinet, other.cabinet}
    if staff and cabinets & {Cabinet.STUDENT}:
        return True
    if cabinets == {Cabinet.STUDENT}:
        group = _group_today(user.pk)
        return group is not None and group == _group_today(other.pk)
    if Cabinet.PARENT in cabinets and staff:
        parent, curator = (user, other) if user.cabinet == Cabinet.PARENT else (other, user)
        return _curates_a_child_of(curator, parent)
    return False


def _curates_a_child_of(curator, parent) -> bool:
    from academic.structure.models import Group

    children = Guardianship.objects.filter(parent=parent).values_list("child_id", flat=True)
    groups = {_group_today(child) for child in children} - {None}
    return Group.objects.filter(pk__in=groups, curator=curator).exists()


def access_private_chat_with(user, other) -> None:
    """Raise Http404 unless `user` may chat privately with `other`."""
    if not may_chat_privately(user, other):
        raise _not_found()


def _is_staff(user) -> bool:
    return user.cabinet in STAFF_CABINETS or user.is_superuser


def private_partners(user) -> QuerySet[User]:
    """Everyone `user` may open a private chat with: `may_chat_privately` as one query.

    Staff: other staff, students, and the parents of the students of the
    groups they curate; a student: staff and today's classmates; a parent:
    the curators of their children's groups today; anyone else: nobody.
    """
    from academic.records.models import StudentState
    from academic.records.selectors import covering
    from academic.structure.models import Group

    users = User.objects.filter(is_active=True).exclude(pk=user.pk)
    if not (user.is_authenticated and user.is_active):
        return users.none()
    staff = Q(cabinet__in=STAFF_CABINETS) | Q(is_superuser=True)
    today = StudentState.objects.filter(covering(timezone.localdate()))
    if _is_staff(user):
        children = today.filter(group__curator=user).values("student__user_id")
        parents = Guardianship.objects.filter(child_id__in=children).values("parent_id")
        return users.filter(
            staff | Q(cabinet=Cabinet.STUDENT) | Q(cabinet=Cabinet.PARENT, pk__in=parents)
        )
    if user.cabinet == Cabinet.STUDENT:
        group = today.filter(student__user_id=user.pk).values("group_id")[:1]
        classmates = today.filter(group_id__in=group).values("student__user_id")
        return users.filter(staff | Q(cabinet=Cabinet.STUDENT, pk__in=classmates))
    if user.cabinet == Cabinet.PARENT:
        children = Guardianship.objects.filter(parent=user).values("child_id")
        groups = today.filter(student__user_id__in=children).values("group_id")
        curators = Group.objects.filter(pk__in=groups).values("curator_id")
        return users.filter(staff, pk__in=curators)
    return users.none()
