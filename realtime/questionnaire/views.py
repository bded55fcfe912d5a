"""Questionnaire pages: a group's students with completeness (and export), one student's form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hub.errors import DomainError
from hub.exports import export_response, requested_format
from realtime.questionnaire.actions import questionnaire_save
from realtime.questionnaire.forms import QuestionnaireForm
from realtime.questionnaire.models import Living, Questionnaire
from realtime.questionnaire.permissions import (
    access_group_questionnaires,
    access_student_questionnaire,
    may_write_questionnaires,
)
from realtime.questionnaire.selectors import group_completeness, group_questionnaires


@login_required
@require_GET
def group_questionnaire_list(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's students today with how complete each questionnaire is; `?export=` exports."""
    group = access_group_questionnaires(request.user, group_id)
    rows = group_questionnaires(group)
    fmt = requested_format(request)
    if fmt is not None:
        return _export(fmt, group, rows)
    context = {
        "group": group,
        "rows": rows,
        "average": group_completeness(rows),
        "may_write": may_write_questionnaires(request.user, group),
    }
    return render(request, "realtime/questionnaire_list.html", context)


def _export(fmt: str, group, rows) -> HttpResponse:
    headers = [
        _("Record number"),
        _("Student"),
        _("Living arrangement"),
        _("Address during studies"),
        _("Phone"),
        _("Social status"),
        _("Hobbies and clubs"),
        _("Health notes"),
        _("Curator's notes"),
        _("Filled, %"),
    ]
    labels = dict(Living.choices)
    data = []
    for row in rows:
        q = row.questionnaire or Questionnaire()
        data.append(
            [
                row.student.record_number,
                row.student.user.get_full_name(),
                str(labels.get(q.living, "")),
                q.address,
                q.phone,
                ", ".join(q.social_categories),
                q.hobbies,
                q.health_notes,
                q.notes,
                row.completeness,
            ]
        )
    title = _("Questionnaires of group %(group)s") % {"group": group.name}
    return export_response(
        fmt=fmt, filename=f"questionnaires-{group.name}", title=title, headers=headers, rows=data
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_questionnaire(request: HttpRequest, student_id: int) -> HttpResponse:
    """One student's questionnaire: a form for the group's curator, read-only for the deanery."""
    student, group = access_student_questionnaire(
        request.user, student_id, write=request.method == "POST"
    )
    may_write = may_write_questionnaires(request.user, group)
    questionnaire = Questionnaire.objects.filter(student=student).first()
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire_save(by=request.user, student=student, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The questionnaire is saved."))
            return redirect("questionnaire-group", group_id=group.pk)
    context = {
        "student": student,
        "group": group,
        "form": form,
        "questionnaire": questionnaire,
        "may_write": may_write,
        "living": dict(Living.choices).get(questionnaire.living, "") if questionnaire else "",
    }
    return render(request, "realtime/questionnaire_form.html", context)
