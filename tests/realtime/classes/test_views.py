"""The class page, start and end, and the attendance confirmation page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academic.grades.models import Attendance
from realtime.classes import actions
from realtime.classes.models import ClassStatus, OnlineClass

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_the_teacher_sees_why_the_builtin_server_is_chosen_and_starts(
    client, cast, lesson, settings
):
    client.force_login(cast.teacher)
    page = client.get(reverse("classes:lesson", args=[lesson.pk]))

    assert page.status_code == 200
    limit = settings.CLASSES_BUILTIN_MAX
    assert f"built-in media server (up to {limit} participants)" in page.content.decode()
    assert "Start the class" in page.content.decode()

    started = client.post(reverse("classes:start", args=[lesson.pk]), {"record": "1"})

    assert started.status_code == 302
    online_class = OnlineClass.objects.get(lesson=lesson)
    assert online_class.status == ClassStatus.LIVE and online_class.record
    live = client.get(reverse("classes:lesson", args=[lesson.pk])).content.decode()
    assert "data-online-class" in live and "js/online-class.js" in live


def test_the_teacher_is_told_when_no_server_can_take_the_class(client, cast, lesson, settings):
    from realtime.classes import rooms

    settings.CLASSES_BUILTIN_MAX = 1
    rooms.reset()
    client.force_login(cast.teacher)

    page = client.get(reverse("classes:lesson", args=[lesson.pk])).content.decode()

    assert "no external media server is configured" in page
    assert "Start the class" not in page


def test_a_student_waits_then_joins(client, cast, lesson):
    client.force_login(cast.student)
    assert (
        "has not started yet"
        in client.get(reverse("classes:lesson", args=[lesson.pk])).content.decode()
    )

    actions.class_start(by=cast.teacher, lesson=lesson)
    page = client.get(reverse("classes:lesson", args=[lesson.pk])).content.decode()

    assert "data-online-class" in page and "Raise hand" in page and "End the class" not in page


def test_the_teacher_ends_and_confirms_the_attendance(client, cast, enrolled, lesson):
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)
    actions.class_join(by=cast.student, online_class=online_class)
    client.force_login(cast.teacher)

    ended = client.post(reverse("classes:end", args=[online_class.pk]))

    url = reverse("classes:attendance", args=[online_class.pk])
    assert ended.status_code == 302 and ended.url == url
    page = client.get(url).content.decode()
    assert 'value="present" selected' in page and 'value="absent" selected' in page

    # The teacher corrects the absent student to excused before confirming.
    confirmed = client.post(url, {f"mark-{enrolled.other_student.pk}": "excused"})

    assert confirmed.status_code == 302
    marks = dict(Attendance.objects.filter(lesson=lesson).values_list("student_id", "mark"))
    assert marks == {enrolled.student.pk: "present", enrolled.other_student.pk: "excused"}
