"""Group and course-stream chats kept in step with the records: nobody adds or removes members.

A group's chat holds the students studying in the group on the day (the
records' `group_students_on`, which follows signed orders from their effective
dates), its curator as moderator and its head among the students.

A course stream is the courses (grades.Course) of one term and discipline
taught by one teacher, whatever groups they are for; its chat holds the
teacher as moderator and the students studying in those groups on the day.
Streams of terms not yet over are kept; a finished term's chats stay as they were.

A signed order re-syncs the group chats and stream chats of the groups it
touched once it commits; saving or deleting a course re-syncs the streams of
its term and discipline (a teacher change moves the group from one teacher's
stream to the other's). Orders effective later, and courses made in bulk, are
caught by the nightly `chat.sync_group_chats` task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from academic.records.models import Status
from academic.records.selectors import group_students_on, states_on
from academic.structure.models import Group
from hub.audit.log import Change, audit_bulk, audit_record
from realtime.chat.models import Chat, ChatKind, ChatMember, MemberRole
from realtime.events import EventType, send_event
from realtime.groups import group_user


@dataclass(frozen=True)
class SyncResult:
    chat: Chat | None
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
    return _apply_roster(_group_chat(group), group_chat_roster(group, on))


def _apply_roster(chat: Chat, roster: dict[int, str]) -> SyncResult:
    """Make `chat`'s current members exactly `roster` (user id → role); audited, published."""
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


# --- Course streams --------------------------------------------------------------------


@dataclass(frozen=True)
class Stream:
    """One teacher's courses of one discipline in one term."""

    term_id: int
    discipline_id: int
    teacher_id: int


def _stream_courses(stream: Stream):
    from academic.grades.models import Course

    return Course.objects.filter(
        term_id=stream.term_id, discipline_id=stream.discipline_id, teacher_id=stream.teacher_id
    )


def stream_chat_roster(stream: Stream, on: date) -> tuple[dict[int, str], list[str]]:
    """Who belongs in the stream's chat on `on` (user id → role), and its groups' names.

    The teacher is the moderator while they teach at least one course of the
    stream; without courses the roster is empty and everyone leaves.
    """
    groups = list(
        Group.objects.filter(pk__in=_stream_courses(stream).values("group_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    if not groups:
        return {}, []
    students = (
        states_on(on)
        .filter(group_id__in=[pk for pk, _name in groups], status=Status.STUDYING)
        .values_list("student__user_id", flat=True)
    )
    roster = {user_id: MemberRole.MEMBER for user_id in students}
    roster[stream.teacher_id] = MemberRole.MODERATOR
    return roster, [name for _pk, name in groups]


def stream_chat_title(discipline, group_names: list[str]) -> str:
    """ "Databases — ГР-1-24, ГР-2-24": the discipline (in the site's language) and the groups."""
    with translation.override(settings.LANGUAGE_CODE):
        name = str(discipline)
    title = f"{name} — {', '.join(group_names)}" if group_names else name
    return title[:255]


@transaction.atomic
def stream_chat_sync(*, stream: Stream, on: date | None = None) -> SyncResult:
    """Make the stream's chat members exactly its roster on `on` (today by default).

    Creates the chat on the stream's first sync; its title follows the groups
    taught. Members are changed, audited and told as in `group_chat_sync`.
    """
    from academic.curricula.models import Discipline

    on = on or timezone.localdate()
    roster, group_names = stream_chat_roster(stream, on)
    discipline = Discipline.objects.get(pk=stream.discipline_id)
    title = stream_chat_title(discipline, group_names)
    chat = Chat.objects.filter(
        kind=ChatKind.STREAM,
        term_id=stream.term_id,
        discipline_id=stream.discipline_id,
        teacher_id=stream.teacher_id,
    ).first()
    if chat is None:
        if not roster:
            return SyncResult(None, [], [])
        chat = Chat.objects.create(
            kind=ChatKind.STREAM,
            title=title,
            term_id=stream.term_id,
            discipline_id=stream.discipline_id,
            teacher_id=stream.teacher_id,
        )
    elif group_names and chat.title != title:
        chat.title = title
        chat.save(update_fields=["title"])
    return _apply_roster(chat, roster)


def streams_of(
    *,
    on: date | None = None,
    group_ids: list[int] | None = None,
    term_id: int | None = None,
    discipline_id: int | None = None,
) -> list[Stream]:
    """The streams of terms not over on `on`: those with courses and those with a chat.

    Narrowed to the streams teaching one of `group_ids`, or to a term and discipline.
    """
    from academic.grades.models import Course

    on = on or timezone.localdate()
    courses = Course.objects.filter(teacher__isnull=False, term__ends_on__gte=on)
    chats = Chat.objects.filter(kind=ChatKind.STREAM, term__ends_on__gte=on)
    if group_ids is not None:
        courses = courses.filter(group_id__in=group_ids)
        chats = chats.none()
    if term_id is not None:
        courses = courses.filter(term_id=term_id, discipline_id=discipline_id)
        chats = chats.filter(term_id=term_id, discipline_id=discipline_id)
    keys = {
        *courses.values_list("term_id", "discipline_id", "teacher_id"),
        *chats.values_list("term_id", "discipline_id", "teacher_id"),
    }
    return [Stream(*key) for key in sorted(keys)]


def stream_chats_sync(
    *,
    on: date | None = None,
    group_ids: list[int] | None = None,
    term_id: int | None = None,
    discipline_id: int | None = None,
) -> int:
    """Sync the chats of the streams `streams_of` finds (all current ones by default).

    Returns how many streams were synced. Call it after making courses in bulk
    (bulk_create sends no signal): `stream_chats_sync(term_id=…, discipline_id=…)`
    or simply `stream_chats_sync()`.
    """
    streams = streams_of(on=on, group_ids=group_ids, term_id=term_id, discipline_id=discipline_id)
    _hand_over(streams, on or timezone.localdate())
    for stream in streams:
        stream_chat_sync(stream=stream, on=on)
    return len(streams)


@transaction.atomic
def _hand_over(streams: list[Stream], on: date) -> None:
    """A teacher change keeps the stream's chat: the chat of a stream left without courses
    passes to the new teacher's stream of the same term and discipline that has no chat
    yet and shares students with it (the sync that follows swaps the teacher member)."""
    chats = {
        (c.term_id, c.discipline_id, c.teacher_id): c
        for c in Chat.objects.select_for_update().filter(
            kind=ChatKind.STREAM,
            term_id__in={s.term_id for s in streams},
            discipline_id__in={s.discipline_id for s in streams},
        )
    }
    homeless = [s for s in streams if (s.term_id, s.discipline_id, s.teacher_id) not in chats]
    if not homeless:
        return  # the nightly run's usual case: every stream has its chat
    orphans = [chat for key, chat in chats.items() if not _stream_courses(Stream(*key)).exists()]
    for stream in homeless:
        key = (stream.term_id, stream.discipline_id, stream.teacher_id)
        roster = stream_chat_roster(stream, on)[0] if orphans else {}
        if not roster:
            continue
        students = {user_id for user_id, role in roster.items() if role == MemberRole.MEMBER}
        candidates = [
            (len(students & _active_member_ids(chat)), chat.pk, chat)
            for chat in orphans
            if (chat.term_id, chat.discipline_id) == key[:2]
        ]
        shared, _pk, chat = max(candidates, default=(0, 0, None), key=lambda c: c[:2])
        if chat is None or not shared:
            continue
        before = chat.teacher_id
        chat.teacher_id = stream.teacher_id
        chat.save(update_fields=["teacher"])
        audit_record(
            action="chat_stream_hand_over",
            obj=chat,
            before={"teacher": before},
            after={"teacher": chat.teacher_id},
        )
        orphans.remove(chat)
        chats[key] = chat


def _active_member_ids(chat: Chat) -> set[int]:
    return set(
        ChatMember.objects.filter(chat=chat, left_at__isnull=True).values_list("user_id", flat=True)
    )


# --- Receivers ---------------------------------------------------------------------------


def _after_order_signed(sender, groups: list[int], effective_date: date, **kwargs) -> None:
    # Orders effective later change nothing today; the nightly task catches them.
    if effective_date <= timezone.localdate():

        def sync() -> None:
            group_chats_sync(group_ids=groups)
            stream_chats_sync(group_ids=groups)

        transaction.on_commit(sync)


def _after_course_changed(sender, instance, **kwargs) -> None:
    # A course made, deleted or given another teacher changes the streams of its
    # term and discipline: every teacher's stream of them is synced once committed.
    term_id, discipline_id = instance.term_id, instance.discipline_id
    transaction.on_commit(lambda: stream_chats_sync(term_id=term_id, discipline_id=discipline_id))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from academic.grades.models import Course
    from academic.records.signals import order_signed

    order_signed.connect(_after_order_signed, dispatch_uid="chat-membership")
    post_save.connect(_after_course_changed, sender=Course, dispatch_uid="chat-stream-course")
    post_delete.connect(
        _after_course_changed, sender=Course, dispatch_uid="chat-stream-course-gone"
    )
