"""Pages of the audit log: the searchable list, one object's history, the CSV export."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hub.audit.forms import AuditFilterForm
from hub.audit.permissions import access_audit
from hub.audit.selectors import audit_entries, change_rows

ENTRIES_PER_PAGE = 50
# Spreadsheets run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _render(
    request: HttpRequest,
    *,
    form: AuditFilterForm,
    title: str,
    scopes: list,
    object_page: bool = False,
) -> HttpResponse:
    entries = audit_entries(filters=form.filters(), scopes=scopes)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    entries = [(entry, change_rows(entry)) for entry in page.object_list]
    query = {key: value for key, value in form.data.items() if key != "page" and value}
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "title": title,
            "object_page": object_page,
            "export_url": f"{reverse('audit:export')}?{urlencode(query)}",
        },
    )


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    scopes = access_audit(request.user)
    return _render(request, form=AuditFilterForm(request.GET), title=_("Audit log"), scopes=scopes)


@login_required
@require_GET
def object_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    scopes = access_audit(request.user)
    form = AuditFilterForm(
        {**request.GET.dict(), "object_type": object_type, "object_id": object_id}
    )
    title = _("History of %(type)s %(id)s") % {"type": object_type, "id": object_id}
    return _render(request, form=form, title=title, scopes=scopes, object_page=True)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@login_required
@require_GET
def entry_export(request: HttpRequest) -> HttpResponse:
    """The entries of the current filter as CSV; UTF-8 with a BOM so Excel reads ң ө ү."""
    scopes = access_audit(request.user)
    filters = AuditFilterForm(request.GET).filters()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Time"),
            _("User"),
            _("IP address"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Changes"),
            _("Reason"),
            _("Batch"),
        ]
    )
    for entry in audit_entries(filters=filters, scopes=scopes).iterator(chunk_size=2000):
        changes = "; ".join(
            f"{row.label}: {row.before} → {row.after}" for row in change_rows(entry)
        )
        writer.writerow(
            _cell(value)
            for value in (
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_repr or _("System"),
                entry.ip,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
                changes,
                entry.reason,
                entry.batch_id,
            )
        )
    return response
