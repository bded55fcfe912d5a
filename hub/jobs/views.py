"""Pages of background jobs: the list (with start buttons), a job's progress, its status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hub.jobs.actions import JobError, job_start
from hub.jobs.permissions import access_job, access_job_kind
from hub.jobs.registry import get_kind
from hub.jobs.selectors import job_kinds_startable_by, job_status_data, jobs_of_owner

JOBS_PER_PAGE = 20


def _render_list(request: HttpRequest, *, bound: tuple[str, object] | None = None) -> HttpResponse:
    page = Paginator(jobs_of_owner(owner=request.user), JOBS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    starters = []
    for kind in job_kinds_startable_by(user=request.user):
        form = bound[1] if bound and bound[0] == kind.name else kind.form()
        starters.append({"kind": kind, "form": form})
    return render(request, "jobs/job_list.html", {"page": page, "starters": starters})


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


@login_required
@require_POST
def job_start_view(request: HttpRequest, kind: str) -> HttpResponse:
    job_kind = access_job_kind(request.user, kind)
    form = job_kind.form(data=request.POST)
    if not form.is_valid():
        return _render_list(request, bound=(kind, form))
    try:
        job = job_start(owner=request.user, kind=kind, params=form.cleaned_data)
    except JobError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _render_list(request, bound=(kind, form))
    return redirect("jobs:detail", job.pk)


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    kind = get_kind(job.kind)
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "result_template": kind.result_template if kind else None},
    )


@login_required
@require_GET
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    """The poll target of the detail page when its live socket is down."""
    return JsonResponse(job_status_data(access_job(request.user, job_id)))
