"""Course-stream chats: one teacher's courses of one discipline in one term, kept in step.

The teacher and the students of every group taught together share a chat; a
transfer moves a student between stream chats from the order's effective date,
and a teacher change hands the chat to the new teacher.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from academic.records import actions as records
from academic.records.models import OrderKind
from hub.accounts.models import User
from hub.audit.models import AuditEntry
from realtime.chat.actions import message_post
from realtime.chat.membership import Stream, stream_chat_sync, stream_chats_sync
from realtime.chat.models import Chat, ChatKind, ChatMember, MemberRole
from realtime.chat.tasks import sync_group_chats
from tests.conftest import admit, personal_file
from tests.realtime.conftest import make_course as course

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def student_b(cast, university):
    """A third student, studying in group B."""
    user = User.objects.create_user(
        username="b-student", first_name="Айбек", last_name="Токтогулов"
    )
    student = personal_file(user, "24-0100")
    admit([student], university.group_b, number="1-B")
    return student


def members(chat) -> dict[int, str]:
    return dict(
        ChatMember.objects.filter(chat=chat, left_at__isnull=True).values_list("user_id", "role")
    )


def stream_chat(term, discipline, teacher) -> Chat:
    return Chat.objects.get(kind=ChatKind.STREAM, term=term, discipline=discipline, teacher=teacher)


def test_groups_taught_together_share_one_chat_with_their_teacher(
    cast,
    university,
    enrolled,
    student_b,
    term,
    grades_plan,
):
    db_a = course(university.group_a, term, grades_plan, cast.teacher)
    course(university.group_b, term, grades_plan, cast.teacher)
    # Another discipline of the same teacher is another stream.
    course(university.group_a, term, grades_plan, cast.teacher, code="PH")

    assert stream_chats_sync() == 2

    chat = stream_chat(term, db_a.discipline, cast.teacher)
    assert members(chat) == {
        cast.teacher.pk: MemberRole.MODERATOR,
        cast.student.pk: MemberRole.MEMBER,
        cast.other_student.pk: MemberRole.MEMBER,
        student_b.user_id: MemberRole.MEMBER,
    }
    assert university.group_a.name in chat.title and university.group_b.name in chat.title
    assert "Маалымат базалары" in chat.title  # the discipline, in the site's language
    physics = stream_chat(
        term, grades_plan.lines.get(discipline__code="PH").discipline, cast.teacher
    )
    assert set(members(physics)) == {cast.teacher.pk, cast.student.pk, cast.other_student.pk}
    # Idempotent: nothing changes on a second run.
    assert all(
        (r.joined, r.left) == ([], [])
        for r in [stream_chat_sync(stream=Stream(term.pk, db_a.discipline_id, cast.teacher.pk))]
    )


def test_a_new_course_makes_its_stream_chat_once_committed(
    cast,
    university,
    enrolled,
    term,
    grades_plan,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        db_a = course(university.group_a, term, grades_plan, cast.teacher)

    chat = stream_chat(term, db_a.discipline, cast.teacher)
    assert set(members(chat)) == {cast.teacher.pk, cast.student.pk, cast.other_student.pk}


def test_a_transfer_moves_the_student_between_stream_chats_from_the_effective_date(
    cast,
    university,
    enrolled,
    student_b,
    term,
    grades_plan,
):
    db_a = course(university.group_a, term, grades_plan, cast.teacher)
    course(university.group_b, term, grades_plan, cast.other_teacher)
    stream_chats_sync()
    chat_a = stream_chat(term, db_a.discipline, cast.teacher)
    chat_b = stream_chat(term, db_a.discipline, cast.other_teacher)
    assert cast.student.pk in members(chat_a) and cast.student.pk not in members(chat_b)

    effective = TODAY + timedelta(days=7)
    order = records.order_create(
        by=None, kind=OrderKind.TRANSFER, number="T-7", date=TODAY, effective_date=effective
    )
    records.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)
    records.order_sign(by=None, order=order, signer="Ректор")

    # Before the effective date nothing moves, even on a sync.
    stream_chats_sync()
    assert cast.student.pk in members(chat_a)
    # From the effective date (the nightly sync of that day) the student has moved.
    stream_chats_sync(on=effective)
    assert cast.student.pk not in members(chat_a)
    assert members(chat_b)[cast.student.pk] == MemberRole.MEMBER
    assert ChatMember.objects.get(chat=chat_a, user=cast.student).left_at is not None


def test_a_transfer_effective_today_moves_the_student_when_the_order_is_signed(
    cast, university, enrolled, student_b, term, grades_plan,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    db_a = course(university.group_a, term, grades_plan, cast.teacher)
    course(university.group_b, term, grades_plan, cast.other_teacher)
    stream_chats_sync()
    order = records.order_create(
        by=None, kind=OrderKind.TRANSFER, number="T-0", date=TODAY, effective_date=TODAY
    )
    records.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)
    with django_capture_on_commit_callbacks(execute=True):
        records.order_sign(by=None, order=order, signer="Ректор")

    assert cast.student.pk not in members(stream_chat(term, db_a.discipline, cast.teacher))
    assert cast.student.pk in members(stream_chat(term, db_a.discipline, cast.other_teacher))


def test_a_teacher_change_replaces_the_teacher_in_the_same_chat(
    cast,
    university,
    enrolled,
    term,
    grades_plan,
    django_capture_on_commit_callbacks,
):
    db_a = course(university.group_a, term, grades_plan, cast.teacher)
    stream_chats_sync()
    chat = stream_chat(term, db_a.discipline, cast.teacher)
    message_post(by=cast.student, chat_id=chat.pk, text="Саламатсызбы")

    db_a.teacher = cast.other_teacher
    with django_capture_on_commit_callbacks(execute=True):
        db_a.save(update_fields=["teacher"])

    chat.refresh_from_db()
    assert chat.teacher_id == cast.other_teacher.pk
    assert members(chat) == {
        cast.other_teacher.pk: MemberRole.MODERATOR,
        cast.student.pk: MemberRole.MEMBER,
        cast.other_student.pk: MemberRole.MEMBER,
    }
    assert ChatMember.objects.get(chat=chat, user=cast.teacher).left_at is not None
    # The history stays with the chat.
    assert chat.messages.count() == 1
    assert AuditEntry.objects.filter(action="chat_stream_hand_over").exists()


def test_a_teacher_taking_one_group_of_a_stream_gets_a_chat_of_their_own(
    cast, university, enrolled, student_b, term, grades_plan,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    db_a = course(university.group_a, term, grades_plan, cast.teacher)
    db_b = course(university.group_b, term, grades_plan, cast.teacher)
    stream_chats_sync()
    old = stream_chat(term, db_a.discipline, cast.teacher)

    db_b.teacher = cast.other_teacher
    with django_capture_on_commit_callbacks(execute=True):
        db_b.save(update_fields=["teacher"])

    assert set(members(old)) == {cast.teacher.pk, cast.student.pk, cast.other_student.pk}
    assert university.group_b.name not in Chat.objects.get(pk=old.pk).title
    new = stream_chat(term, db_a.discipline, cast.other_teacher)
    assert set(members(new)) == {cast.other_teacher.pk, student_b.user_id}


def test_a_removed_course_empties_its_stream_chat(
    cast,
    university,
    enrolled,
    term,
    grades_plan,
    django_capture_on_commit_callbacks,
):
    db_a = course(university.group_a, term, grades_plan, cast.teacher)
    stream_chats_sync()
    chat = stream_chat(term, db_a.discipline, cast.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        db_a.delete()
    assert members(chat) == {}


def test_a_finished_terms_chats_are_left_as_they_were(
    cast,
    university,
    enrolled,
    term,
    grades_plan,
):
    db_a = course(university.group_a, term, grades_plan, cast.teacher)
    stream_chats_sync()
    chat = stream_chat(term, db_a.discipline, cast.teacher)
    after_the_term = term.ends_on + timedelta(days=1)
    assert stream_chats_sync(on=after_the_term) == 0
    assert len(members(chat)) == 3


def test_the_nightly_task_syncs_the_streams_too(cast, university, enrolled, term, grades_plan):
    course(university.group_a, term, grades_plan, cast.teacher)
    assert sync_group_chats() == 3  # two groups and one stream
    assert Chat.objects.filter(kind=ChatKind.STREAM).count() == 1
