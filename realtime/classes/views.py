"""Pages of online classes: the class page of a lesson, start and end, the attendance to confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academic.grades.models import AttendanceMark
from hub.errors import DomainError
from realtime.classes import actions, rooms
from realtime.classes.media.provider import Role
from realtime.classes.models import ClassStatus
from realtime.classes.permissions import access_class, access_lesson
from realtime.classes.selectors import attendance_rows, class_of_lesson, class_size

# The marks the teacher chooses from when confirming (excused is set in the journal).
CONFIRM_MARKS = [
    (AttendanceMark.PRESENT, AttendanceMark.PRESENT.label),
    (AttendanceMark.LATE, AttendanceMark.LATE.label),
    (AttendanceMark.ABSENT, AttendanceMark.ABSENT.label),
    (AttendanceMark.EXCUSED, AttendanceMark.EXCUSED.label),
]


def _errors(request: HttpRequest, error: DomainError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def lesson_class(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """The class page of a lesson: start it (teacher), join it (students), and the class itself."""
    lesson, role = access_lesson(request.user, lesson_id)
    online_class = class_of_lesson(lesson)
    live = online_class is not None and online_class.status == ClassStatus.LIVE
    reason = online_class.provider_reason if live else ""
    may_start = False
    if role == Role.TEACHER and not live:
        choice = rooms.choose(class_size(lesson))
        reason, may_start = str(choice.reason), choice.provider is not None
    return render(
        request,
        "classes/class.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "online_class": online_class,
            "live": live,
            "teacher": role == Role.TEACHER,
            "reason": reason,
            "may_start": may_start,
        },
    )


@login_required
@require_POST
def class_start(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """Start the lesson's class (its teacher only) and come back to its page."""
    lesson, _role = access_lesson(request.user, lesson_id, teach=True)
    try:
        actions.class_start(by=request.user, lesson=lesson, record=bool(request.POST.get("record")))
    except DomainError as error:
        _errors(request, error)
    return redirect("classes:lesson", lesson_id=lesson.pk)


@login_required
@require_POST
def class_end(request: HttpRequest, class_id: int) -> HttpResponse:
    """End the class (its teacher only); the open sockets close on class.ended."""
    online_class, _role = access_class(request.user, class_id, teach=True)
    try:
        actions.class_end(by=request.user, online_class=online_class)
    except DomainError as error:
        _errors(request, error)
        return redirect("classes:lesson", lesson_id=online_class.lesson_id)
    return redirect("classes:attendance", class_id=online_class.pk)


@login_required
@require_http_methods(["GET", "POST"])
def class_attendance(request: HttpRequest, class_id: int) -> HttpResponse:
    """The attendance proposed from the class, for the teacher to correct and confirm into the journal."""
    online_class, _role = access_class(request.user, class_id, teach=True)
    ended = online_class.status == ClassStatus.ENDED
    rows = attendance_rows(online_class) if ended else []
    if request.method == "POST" and ended:
        valid = set(AttendanceMark.values)
        marks = {
            row.student.pk: request.POST.get(f"mark-{row.student.pk}", row.proposed) for row in rows
        }
        marks = {pk: mark for pk, mark in marks.items() if mark in valid}
        try:
            failed = actions.class_attendance_confirm(
                by=request.user, online_class=online_class, marks=marks
            )
        except DomainError as error:
            _errors(request, error)
        else:
            for detail in sorted(set(failed.values())):
                messages.error(request, detail)
            if not failed:
                messages.success(request, _("The attendance is written into the journal."))
            return redirect("classes:attendance", class_id=online_class.pk)
    return render(
        request,
        "classes/attendance.html",
        {
            "online_class": online_class,
            "lesson": online_class.lesson,
            "course": online_class.lesson.course,
            "ended": ended,
            "rows": rows,
            "marks": CONFIRM_MARKS,
        },
    )
