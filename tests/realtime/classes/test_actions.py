"""The actions of online classes: start, presence spans, hands, moderation, end, attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from academic.grades.models import Attendance, AttendanceMark
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from realtime.classes import actions, rooms
from realtime.classes.models import ClassMessage, ClassStatus, Participation
from realtime.classes.selectors import attendance_proposal, message_payload
from realtime.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_start_chooses_the_builtin_server_and_notifies_the_students(cast, enrolled, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    assert online_class.status == ClassStatus.LIVE
    assert online_class.provider == "builtin"
    assert "built-in media server" in online_class.provider_reason
    notified = Notification.objects.filter(url=f"/classes/lesson/{lesson.pk}/")
    assert set(notified.values_list("recipient_id", flat=True)) == {
        cast.student.pk,
        cast.other_student.pk,
    }
    assert AuditEntry.objects.filter(action="class_start").count() == 1


def test_starting_twice_gives_the_live_class(cast, lesson):
    first = actions.class_start(by=cast.teacher, lesson=lesson)

    assert actions.class_start(by=cast.teacher, lesson=lesson) == first


def test_only_the_lessons_teacher_starts_it(cast, lesson):
    for someone in (cast.other_teacher, cast.student, cast.deanery_a):
        with pytest.raises(DomainError):
            actions.class_start(by=someone, lesson=lesson)


def test_a_class_too_large_for_the_builtin_server_without_livekit_is_refused(
    cast, lesson, settings
):
    settings.CLASSES_BUILTIN_MAX = 2  # two students and the teacher make three
    rooms.reset()

    with pytest.raises(DomainError, match="no external media server"):
        actions.class_start(by=cast.teacher, lesson=lesson)


def test_a_large_class_goes_to_livekit_when_configured(cast, lesson, settings):
    settings.CLASSES_BUILTIN_MAX = 2
    settings.LIVEKIT_URL = "https://livekit.example.kg"
    settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET = "key", "secret" * 6
    rooms.reset()

    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    assert online_class.provider == "LiveKit"
    assert "LiveKit" in online_class.provider_reason


def test_join_and_leave_record_spans_and_a_rejoin_opens_a_new_one(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    actions.class_join(by=cast.student, online_class=online_class)
    actions.class_leave(by=cast.student, online_class=online_class)
    actions.class_join(by=cast.student, online_class=online_class)

    spans = Participation.objects.filter(online_class=online_class, user=cast.student)
    assert spans.count() == 2
    assert spans.filter(left_at__isnull=True).count() == 1


def test_a_reconnect_closes_the_previous_span_and_keeps_the_permission(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    actions.class_join(by=cast.student, online_class=online_class)
    actions.participant_allow(by=cast.teacher, online_class=online_class, user_id=cast.student.pk)

    span = actions.class_join(by=cast.student, online_class=online_class)

    assert span.allowed_to_speak
    assert Participation.objects.filter(user=cast.student, left_at__isnull=True).count() == 1


def test_a_student_whose_socket_closed_before_the_reconnect_keeps_the_permission(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    actions.class_join(by=cast.student, online_class=online_class)
    actions.participant_allow(by=cast.teacher, online_class=online_class, user_id=cast.student.pk)
    actions.class_leave(by=cast.student, online_class=online_class)

    span = actions.class_join(by=cast.student, online_class=online_class)
    other = actions.class_join(by=cast.other_student, online_class=online_class)

    assert span.allowed_to_speak and not other.allowed_to_speak


def test_a_removed_student_who_comes_back_is_not_allowed_any_more(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    actions.class_join(by=cast.student, online_class=online_class)
    actions.participant_allow(by=cast.teacher, online_class=online_class, user_id=cast.student.pk)
    actions.participant_remove(by=cast.teacher, online_class=online_class, user_id=cast.student.pk)

    span = actions.class_join(by=cast.student, online_class=online_class)

    assert not span.allowed_to_speak


def test_hands_go_up_and_down(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    actions.class_join(by=cast.student, online_class=online_class)

    assert actions.hand_raise(by=cast.student, online_class=online_class).hand_raised
    assert not actions.hand_lower(by=cast.student, online_class=online_class).hand_raised


def test_a_hand_needs_the_class_joined(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    with pytest.raises(DomainError, match="Join the class first"):
        actions.hand_raise(by=cast.student, online_class=online_class)


def test_only_the_teacher_allows_mutes_and_removes(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    actions.class_join(by=cast.student, online_class=online_class)
    actions.class_join(by=cast.other_student, online_class=online_class)

    with pytest.raises(DomainError):
        actions.participant_allow(
            by=cast.other_student, online_class=online_class, user_id=cast.student.pk
        )
    allowed = actions.participant_allow(
        by=cast.teacher, online_class=online_class, user_id=cast.student.pk
    )
    muted = actions.participant_mute(
        by=cast.teacher, online_class=online_class, user_id=cast.student.pk
    )
    removed = actions.participant_remove(
        by=cast.teacher, online_class=online_class, user_id=cast.student.pk
    )

    assert allowed.allowed_to_speak and not muted.allowed_to_speak
    assert removed.left_at is not None
    assert AuditEntry.objects.filter(action__startswith="class_participant_").count() == 3


def test_a_chat_message_is_stored(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    actions.class_message_post(by=cast.student, online_class=online_class, text=" Hello ")

    assert ClassMessage.objects.get().text == "Hello"
    with pytest.raises(DomainError):
        actions.class_message_post(by=cast.student, online_class=online_class, text="  ")


def test_names_go_out_in_cyrillic_and_in_latin(cast, lesson):
    cast.student.first_name, cast.student.last_name = "Айгерим", "Асанова"
    cast.student.first_name_latin, cast.student.last_name_latin = "Aigerim", "Asanova"
    cast.student.save()
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    message = actions.class_message_post(by=cast.student, online_class=online_class, text="Hi")

    payload = message_payload(message)

    assert (payload["author_name"], payload["author_name_en"]) == (
        "Асанова Айгерим",
        "Asanova Aigerim",
    )


def _span(online_class, user, minutes: int, left: int | None = None) -> None:
    start = online_class.started_at
    Participation.objects.create(
        online_class=online_class,
        user=user,
        joined_at=start + timedelta(minutes=minutes),
        left_at=start + timedelta(minutes=left) if left is not None else None,
    )


def test_attendance_is_proposed_from_the_first_join(cast, enrolled, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    _span(online_class, cast.student, 3, left=5)
    _span(online_class, cast.student, 30)  # back later: still present, from the first join
    _span(online_class, cast.other_student, 12)

    assert attendance_proposal(online_class) == {
        enrolled.student.pk: AttendanceMark.PRESENT,
        enrolled.other_student.pk: AttendanceMark.LATE,
    }


def test_end_closes_the_spans_and_stores_the_proposal(cast, enrolled, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    actions.class_join(by=cast.student, online_class=online_class)

    proposal = actions.class_end(by=cast.teacher, online_class=online_class)

    online_class.refresh_from_db()
    assert online_class.status == ClassStatus.ENDED and online_class.ended_at is not None
    assert proposal == {
        enrolled.student.pk: AttendanceMark.PRESENT,
        enrolled.other_student.pk: AttendanceMark.ABSENT,
    }
    assert online_class.attendance_proposal == {
        str(enrolled.student.pk): "present",
        str(enrolled.other_student.pk): "absent",
    }
    assert not Participation.objects.filter(left_at__isnull=True).exists()
    with pytest.raises(DomainError):
        actions.class_end(by=cast.teacher, online_class=online_class)


def test_a_student_cannot_end_the_class(cast, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    with pytest.raises(DomainError):
        actions.class_end(by=cast.student, online_class=online_class)


def test_confirming_writes_the_journal_over_the_current_cells(cast, enrolled, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    Attendance.objects.create(lesson=lesson, student=enrolled.other_student, mark="excused")
    actions.class_join(by=cast.student, online_class=online_class)
    proposal = actions.class_end(by=cast.teacher, online_class=online_class)

    failed = actions.class_attendance_confirm(
        by=cast.teacher, online_class=online_class, marks=proposal
    )

    assert failed == {}
    cells = {a.student_id: (a.mark, a.version) for a in Attendance.objects.filter(lesson=lesson)}
    assert cells == {
        enrolled.student.pk: ("present", 1),
        enrolled.other_student.pk: ("absent", 2),
    }
    online_class.refresh_from_db()
    assert online_class.attendance_confirmed_at is not None


def test_attendance_is_confirmed_only_after_the_end(cast, enrolled, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    with pytest.raises(DomainError):
        actions.class_attendance_confirm(
            by=cast.teacher, online_class=online_class, marks={enrolled.student.pk: "present"}
        )


def test_the_proposal_reads_a_constant_number_of_queries(
    cast, enrolled, lesson, django_assert_num_queries
):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    for minute in range(0, 40, 5):
        _span(online_class, cast.student, minute, left=minute + 1)
        _span(online_class, cast.other_student, minute + 2, left=minute + 3)

    # The spans, and the group's students today (one query with a subquery).
    with django_assert_num_queries(2):
        attendance_proposal(online_class)
