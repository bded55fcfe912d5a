"""Group chats kept in step with the records: nobody adds or removes members by hand.

A group's chat holds the students studying in the group on the day (the
records' `group_students_on`, which follows signed orders from their effective
dates), its curator as moderator and its head among the students. A signed
order re-syncs the groups it touched once it commits; orders effective later
are caught by the nightly `chat.sync_group_chats` task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from academic.records.selectors import group_students_on
from academic.structure.models import Group
from hub.audit.log import Change, audit_bulk
from realtime.chat.models import Chat, ChatKind, ChatMember, MemberRole
from realtime.events import EventType, send_event
from realtime.groups import group_user


@dataclass(frozen=True)
class SyncResult:
    chat: Chat
    joined: list[int]
    left: list[int]


def group_chat_roster(group: Group, on: date) -> dict[int, str]:
    """Who belongs in the group's chat on `on`: user id → role."""
    roster = {
        user_id: MemberRole.MEMBER
        for user_id in group_students_on(group.pk, on).values_list("user_id", flat=True)
    }
    if group.curator_id:
        roster[group.curator_id] = MemberRole.MODERATOR
    return roster


def _group_chat(group: Group) -> Chat:
    chat, _created = Chat.objects.get_or_create(
        group=group, defaults={"kind": ChatKind.GROUP, "title": group.name}
    )
    return chat


@transaction.atomic
def group_chat_sync(*, group: Group, on: date | None = None) -> SyncResult:
    """Make the group's chat members exactly its roster on `on` (today by default).

    Creates the chat if missing; members who left the roster leave (their
    messages stay), newcomers join (or rejoin), roles follow the curatorship.
    Audited as one batch; each user who joined or left gets `chat.membership`
    on their own socket group after commit, so their chat list updates.
    """
    on = on or timezone.localdate()
    chat = _group_chat(group)
    roster = group_chat_roster(group, on)
    members = {m.user_id: m for m in ChatMember.objects.select_for_update().filter(chat=chat)}
    now = timezone.now()
    joined, left, changes = [], [], []
    for member in members.values():
        wanted = roster.get(member.user_id)
        if wanted is None and member.left_at is None:
            member.left_at = now
            left.append(member)
        elif wanted is not None and (member.left_at is not None or member.role != wanted):
            if member.left_at is not None:
                joined.append(member)
            member.left_at, member.role = None, wanted
            changes.append(member)
    new = [
        ChatMember(chat=chat, user_id=user_id, role=role)
        for user_id, role in roster.items()
        if user_id not in members
    ]
    ChatMember.objects.bulk_create(new)
    ChatMember.objects.bulk_update([*left, *changes], ["left_at", "role"])
    joined += new
    audit_bulk(
        action="chat_membership_sync",
        changes=[
            *(
                Change(obj=m, after={"chat": chat.pk, "user": m.user_id, "role": m.role})
                for m in joined
            ),
            *(Change(obj=m, before={"chat": chat.pk, "user": m.user_id}) for m in left),
        ],
    )
    for member, status in [*((m, "joined") for m in joined), *((m, "left") for m in left)]:
        send_event(
            group_user(member.user_id),
            EventType.CHAT_MEMBERSHIP,
            {"chat": chat.pk, "title": chat.title, "status": status},
        )
    return SyncResult(chat, [m.user_id for m in joined], [m.user_id for m in left])


def group_chats_sync(*, on: date | None = None, group_ids: list[int] | None = None) -> int:
    """Sync the chats of every active group (or of `group_ids`); returns how many."""
    groups = Group.objects.filter(is_active=True)
    if group_ids is not None:
        groups = Group.objects.filter(pk__in=group_ids)
    count = 0
    for group in groups.order_by("pk").iterator():
        group_chat_sync(group=group, on=on)
        count += 1
    return count


def _after_order_signed(sender, groups: list[int], effective_date: date, **kwargs) -> None:
    # Orders effective later change nothing today; the nightly task catches them.
    if effective_date <= timezone.localdate():
        transaction.on_commit(lambda: group_chats_sync(group_ids=groups))


def connect() -> None:
    from academic.records.signals import order_signed

    order_signed.connect(_after_order_signed, dispatch_uid="chat-membership")
