"""The curator's live view of their group (CR-1…CR-3): everyone on one screen, live.

Each student's online status now, today's attendance and the newest scores
from the journal (kept current by ATTENDANCE_CHANGED / GRADE_CHANGED on the
group), and the payment status the cashier module fills when it exists
(empty until then). The page listens on `academic.<group id>` (the
notification socket's `watch`) and refreshes presence every 30 seconds.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from academic.grades.models import AttendanceMark
from academic.records.selectors import group_students_on
from academic.structure.models import Group
from academic.structure.permissions import access_group
from realtime.presence import online_among
from realtime.selectors import curator_journal


@login_required
@require_GET
def my_groups(request: HttpRequest) -> HttpResponse:
    """The groups the signed-in user curates."""
    groups = Group.objects.filter(curator=request.user, is_active=True).order_by("name")
    return render(request, "realtime/curator_groups.html", {"groups": groups})


@login_required
@require_GET
def group_live(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    today = timezone.localdate()
    students = list(group_students_on(group.pk, today))
    online = online_among(s.user_id for s in students)
    courses = curator_journal(group_id=group.pk, students=students, on=today)
    rows = [(student, student.user_id in online) for student in students]
    context = {
        "group": group,
        "rows": rows,
        "courses": {str(pk): code for pk, code in courses.items()},
        "today": today,
        "marks": AttendanceMark.choices,
        "mark_labels": {key: str(label) for key, label in AttendanceMark.choices},
    }
    return render(request, "realtime/curator_live.html", context)


@login_required
@require_GET
def group_online(request: HttpRequest, group_id: int) -> JsonResponse:
    """The group's students online now (user ids)."""
    group = access_group(request.user, group_id)
    ids = group_students_on(group.pk).values_list("user_id", flat=True)
    return JsonResponse({"online": sorted(online_among(ids))})
