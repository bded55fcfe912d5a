"""Pages of the records import (SR-4): upload, preview, confirm, report, passwords' list.

One flow for every kind of list (academic.records.imports.KINDS: students,
groups); the upload page chooses the kind and the later pages follow the job's.

Each page checks that the user keeps student records and that the job is
theirs (hub.jobs.permissions.access_job); a job of another kind is not found.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.validators import FileExtensionValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from academic.records import jobs
from academic.records.imports import KINDS, STUDENTS
from academic.records.models import validate_upload_size
from academic.records.permissions import access_records
from hub.jobs.actions import job_start
from hub.jobs.models import Job, JobStatus
from hub.jobs.permissions import access_job


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the list holds"),
        choices=[(kind.code, kind.title) for kind in KINDS.values()],
        initial=STUDENTS,
        required=False,  # a client that does not say imports students, as before groups could
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("Excel (.xlsx) or CSV file"),
        validators=[FileExtensionValidator(["xlsx", "csv"]), validate_upload_size],
    )
    create_groups = forms.BooleanField(
        label=gettext_lazy("Create missing groups"),
        required=False,
        help_text=gettext_lazy(
            "Rows naming a new group must then give its specialty code, intake year, course, "
            "study form and language."
        ),
    )

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or STUDENTS


class ImportConfirmForm(forms.Form):
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows only"), required=False
    )


def _import_job(request: HttpRequest, job_id: int, kind: str) -> Job:
    access_records(request.user, write=True)
    job = access_job(request.user, job_id)
    if job.kind != kind:
        raise Http404(_("No such job."))
    return job


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a list; its check runs in the background and the preview follows."""
    access_records(request.user, write=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = jobs.uploads().save(f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}", upload)
        params = {
            "kind": form.cleaned_data["kind"],
            "file": name,
            "filename": upload.name,
            "create_groups": form.cleaned_data["create_groups"],
            "today": timezone.localdate().isoformat(),
        }
        job = job_start(owner=request.user, kind=jobs.PREVIEW, params=params)
        return redirect("records:import-preview", job.pk)
    return render(request, "records/import_upload.html", {"form": form})


@login_required
def import_preview(request: HttpRequest, job_id: int) -> HttpResponse:
    """The check's progress, then every invalid row with its reasons and the counts."""
    job = _import_job(request, job_id, jobs.PREVIEW)
    if not job.is_finished:
        return render(request, "records/import_progress.html", {"job": job})
    return _render_preview(request, job, ImportConfirmForm())


def _render_preview(request: HttpRequest, job: Job, form: ImportConfirmForm) -> HttpResponse:
    summary = job.result or {}
    counts = summary.get("counts", {})
    context = {
        "job": job,
        "summary": summary,
        "counts": counts,
        "writable": counts.get("new", 0) + counts.get("updated", 0),
        "kind": jobs.kind_of(job).code,
        "form": form,
    }
    return render(request, "records/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    """Start writing a checked list; refused while rows are invalid, unless only valid go."""
    preview = _import_job(request, job_id, jobs.PREVIEW)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid() or preview.status != JobStatus.SUCCEEDED or not preview.result:
        raise Http404(_("No such job."))
    if preview.result.get("problems"):
        form.add_error(None, _("This file cannot be imported; upload a corrected one."))
        return _render_preview(request, preview, form)
    valid_only = form.cleaned_data["valid_only"]
    if preview.result["counts"]["invalid"] and not valid_only:
        form.add_error(
            None,
            _("Some rows are invalid: correct the file, or choose to import the valid rows only."),
        )
        return _render_preview(request, preview, form)
    job = jobs.import_confirm(by=request.user, preview=preview, valid_only=valid_only)
    return redirect("records:import-report", job.pk)


@login_required
def import_report(request: HttpRequest, job_id: int) -> HttpResponse:
    """The import's progress, then what it created, updated, left and skipped."""
    job = _import_job(request, job_id, jobs.APPLY)
    if not job.is_finished:
        return render(request, "records/import_progress.html", {"job": job})
    result = job.result or {}
    passwords_job = None
    if result.get("passwords_job"):
        passwords_job = Job.objects.filter(pk=result["passwords_job"]).first()
    context = {
        "job": job,
        "result": result,
        "passwords_job": passwords_job,
        "kind": jobs.kind_of(job).code,
    }
    return render(request, "records/import_report.html", context)


@login_required
@require_POST
def import_passwords(request: HttpRequest, job_id: int) -> HttpResponse:
    """The new accounts' logins and initial passwords as CSV, given once and then forgotten."""
    job = _import_job(request, job_id, jobs.APPLY)
    rows = jobs.passwords_take(job=job)
    if rows is None:
        raise Http404(_("The list of initial passwords was already downloaded."))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Login"), _("Full name"), _("Record book number"), _("Group"), _("Password")]
    )
    for _user_id, username, full_name, number, group, password in rows:
        writer.writerow([username, full_name, number, group, password])
    # UTF-8 with a byte-order mark: Excel then reads ң, ө, ү correctly.
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="passwords-{job.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response
