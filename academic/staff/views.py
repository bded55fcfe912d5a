"""Staff records pages (HR-1…HR-3): cards, orders, the establishment and reports."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from academic.staff import actions
from academic.staff.forms import (
    DocumentForm,
    EducationForm,
    EmployeeFilterForm,
    EmployeeForm,
    EstablishmentForm,
    OrderFilterForm,
    OrderForm,
    OrderLineForm,
)
from academic.staff.models import Establishment, StaffOrderLine
from academic.staff.permissions import (
    access_employee,
    access_employee_document,
    access_staff,
    access_staff_order,
    access_staff_orders,
    may_read_staff,
    may_write_staff,
    readable_department_ids,
    reads_whole_staff,
)
from academic.staff.selectors import (
    employee_card,
    employees_list,
    order_lines,
    orders_list,
    staff_report,
)
from hub.errors import DomainError
from hub.exports import export_response, requested_format

PAGE_SIZE = 50


def _on_date(request: HttpRequest) -> date:
    """The date a page shows the staff on: ?on=YYYY-MM-DD, today by default."""
    try:
        return parse_date(request.GET.get("on", "")) or timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _show_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _form_page(request: HttpRequest, form, *, title: str, back: str, files: bool = False):
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    context = {"form": form, "title": title, "back": back, "multipart": files}
    return render(request, "staff/form.html", context)


# --- Employees ---------------------------------------------------------------------------


def _posts_text(employee) -> tuple[str, str, str]:
    posts = employee.current_positions
    return (
        "; ".join(post.title.name for post in posts),
        "; ".join(post.unit_name for post in posts),
        "; ".join(f"{post.rate.normalize():f}" for post in posts),
    )


def _employees_export(fmt: str, employees, on: date) -> HttpResponse:
    headers = [
        _("Personnel number"),
        _("Name"),
        _("Name (Latin)"),
        _("Position"),
        _("Department"),
        _("Staff rate"),
        _("Academic degree"),
        _("Academic title"),
        _("Date of birth"),
    ]
    rows = (
        (
            e.personnel_number,
            e.user.get_full_name(),
            e.user.get_full_name_latin(),
            *_posts_text(e),
            e.get_degree_display(),
            e.get_title_display(),
            e.birth_date,
        )
        for e in employees
    )
    title = _("Staff on %(date)s") % {"date": on.isoformat()}
    return export_response(fmt=fmt, filename="staff", title=title, headers=headers, rows=rows)


@login_required
def employee_list(request: HttpRequest) -> HttpResponse:
    access_staff(request.user)
    form = EmployeeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    on = timezone.localdate()
    employees = employees_list(
        department_ids=readable_department_ids(request.user),
        on=on,
        q=filters.get("q", ""),
        department=getattr(filters.get("department"), "pk", None),
        degree=filters.get("degree", ""),
        title=filters.get("title", ""),
        sort=filters.get("sort") or "name",
    )
    fmt = requested_format(request)
    if fmt:
        return _employees_export(fmt, employees, on)
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "may_write": may_write_staff(request.user),
        "reads_whole_staff": reads_whole_staff(request.user),
    }
    return render(request, "staff/employee_list.html", context)


@login_required
def employee_detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = access_employee(request.user, employee_id)
    context = {
        "card": employee_card(employee=employee),
        "may_write": may_write_staff(request.user),
        "may_read_list": may_read_staff(request.user),
    }
    return render(request, "staff/employee_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def employee_create(request: HttpRequest) -> HttpResponse:
    access_staff(request.user, write=True)
    form = EmployeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = actions.employee_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The personnel card is opened."))
            return redirect("staff:employee", employee_id=employee.pk)
    return _form_page(request, form, title=_("New personnel card"), back=reverse("staff:employees"))


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = access_employee(request.user, employee_id, write=True)
    # The form works on a copy, so the action snapshots the card as it was.
    form = EmployeeForm(request.POST or None, instance=copy.copy(employee))
    if request.method == "POST" and form.is_valid():
        try:
            actions.employee_update(by=request.user, employee=employee, **form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:employee", employee_id=employee.pk)
    back = reverse("staff:employee", args=[employee.pk])
    return _form_page(request, form, title=str(employee), back=back)


def _card_form(
    request: HttpRequest,
    employee_id: int,
    *,
    form_class: type,
    title: str,
    save: Callable[..., object],
    files: bool = False,
) -> HttpResponse:
    """A form adding something to a card; on a valid POST `save(employee, **data)`."""
    employee = access_employee(request.user, employee_id, write=True)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(employee, **form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:employee", employee_id=employee.pk)
    back = reverse("staff:employee", args=[employee.pk])
    return _form_page(request, form, title=f"{title}: {employee}", back=back, files=files)


@login_required
@require_http_methods(["GET", "POST"])
def education_add(request: HttpRequest, employee_id: int) -> HttpResponse:
    return _card_form(
        request,
        employee_id,
        form_class=EducationForm,
        title=_("Education"),
        save=lambda employee, **data: actions.education_add(
            by=request.user, employee=employee, **data
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, employee_id: int) -> HttpResponse:
    return _card_form(
        request,
        employee_id,
        form_class=DocumentForm,
        title=_("Document"),
        files=True,
        save=lambda employee, **data: actions.document_upload(
            by=request.user, employee=employee, **data
        ),
    )


@login_required
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    document = access_employee_document(request.user, document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Page not found.")) from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


# --- The staff establishment ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def establishment(request: HttpRequest) -> HttpResponse:
    access_staff(request.user)
    may_write = may_write_staff(request.user)
    form = EstablishmentForm(request.POST or None) if may_write else None
    if request.method == "POST":
        access_staff(request.user, write=True)
        if form.is_valid():
            try:
                actions.establishment_set(by=request.user, **form.cleaned_data)
            except DomainError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:establishment")
        messages.error(request, _("Please correct the errors below."))
    rows = Establishment.objects.select_related("department", "title")
    department_ids = readable_department_ids(request.user)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    context = {"rows": rows, "form": form, "may_write": may_write}
    return render(request, "staff/establishment.html", context)


# --- Reports -------------------------------------------------------------------------------


def _report_table(report, table: str) -> tuple[str, list[str], list[tuple]] | None:
    """(title, headers, rows) of one table of the report, for its export."""
    count = _("Employees")
    tables = {
        "departments": (
            _("Rate occupancy by department"),
            [_("Department"), count, _("Filled rates"), _("Budgeted rates"), _("Occupancy, %")],
            [
                (
                    row.department.name if row.department else _("Offices"),
                    row.employees,
                    row.filled,
                    row.budgeted,
                    row.occupancy,
                )
                for row in report.departments
            ],
        ),
        "degree": (_("Staff by academic degree"), [_("Academic degree"), count], report.by_degree),
        "title": (_("Staff by academic title"), [_("Academic title"), count], report.by_title),
        "age": (_("Staff by age"), [_("Age"), count], report.by_age),
    }
    return tables.get(table)


def _chart_data(report) -> dict:
    with_units = [row for row in report.departments if row.department is not None]
    return {
        "labels": [row.department.name for row in with_units],
        "series": [
            {"label": _("Budgeted rates"), "data": [float(row.budgeted) for row in with_units]},
            {"label": _("Filled rates"), "data": [float(row.filled) for row in with_units]},
        ],
    }


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    access_staff(request.user)
    on = _on_date(request)
    report = staff_report(on=on, department_ids=readable_department_ids(request.user))
    fmt = requested_format(request)
    if fmt:
        table = _report_table(report, request.GET.get("table", ""))
        if table is None:
            return _employees_export(fmt, report.employees, on)
        title, headers, rows = table
        title = f"{title} ({on.isoformat()})"
        return export_response(
            fmt=fmt, filename="staff-report", title=title, headers=headers, rows=rows
        )
    context = {"report": report, "on": on, "chart": _chart_data(report)}
    return render(request, "staff/reports.html", context)


# --- Orders -----------------------------------------------------------------------------------


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    access_staff_orders(request.user)
    form = OrderFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orders = orders_list(
        kind=filters.get("kind", ""), status=filters.get("status", ""), q=filters.get("q", "")
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_write": may_write_staff(request.user)}
    return render(request, "staff/order_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    access_staff_orders(request.user, write=True)
    today = timezone.localdate()
    form = OrderForm(request.POST or None, initial={"date": today, "effective_date": today})
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.staff_order_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The draft order is saved; add the employees."))
            return redirect("staff:order", order_id=order.pk)
    return _form_page(request, form, title=_("New staff order"), back=reverse("staff:orders"))


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_staff_order(request.user, order_id)
    context = {
        "order": order,
        "lines": order_lines(order=order),
        "may_write": may_write_staff(request.user) and not order.is_signed,
    }
    return render(request, "staff/order_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_staff_order(request.user, order_id, write=True)
    initial = {
        "number": order.number,
        "date": order.date,
        "effective_date": order.effective_date,
        "signer": order.signer_id,
        "reason": order.reason,
    }
    form = OrderForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.staff_order_update(by=request.user, order=order, **form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:order", order_id=order.pk)
    back = reverse("staff:order", args=[order.pk])
    return _form_page(request, form, title=str(order), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def order_line_add(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_staff_order(request.user, order_id, write=True)
    form = OrderLineForm(request.POST or None, kind=order.kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.staff_order_line_add(by=request.user, order=order, **form.line_values())
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The employee is added to the order."))
            return redirect("staff:order", order_id=order.pk)
    back = reverse("staff:order", args=[order.pk])
    return _form_page(request, form, title=_("Add to %(order)s") % {"order": order}, back=back)


@login_required
@require_POST
def order_line_remove(request: HttpRequest, order_id: int, line_id: int) -> HttpResponse:
    order = access_staff_order(request.user, order_id, write=True)
    line = StaffOrderLine.objects.filter(order=order, pk=line_id).first()
    if line is None:
        raise Http404(_("Page not found."))
    try:
        actions.staff_order_line_remove(by=request.user, line=line)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The employee is taken out of the order."))
    return redirect("staff:order", order_id=order.pk)


@login_required
@require_http_methods(["GET", "POST"])
def order_sign(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_staff_order(request.user, order_id, write=True)
    if request.method == "GET":
        question = _(
            "Record order %(order)s as signed by %(signer)s? From %(date)s it changes the "
            "employees' posts; a signed order can no longer be edited, only reversed by a "
            "new order."
        ) % {
            "order": order,
            "signer": order.signer.get_full_name() or order.signer.username,
            "date": order.effective_date.isoformat(),
        }
        context = {
            "question": question,
            "button": _("Sign the order"),
            "cancel_url": reverse("staff:order", args=[order.pk]),
        }
        return render(request, "confirm.html", context)
    try:
        actions.staff_order_sign(by=request.user, order=order)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The order is signed."))
    return redirect("staff:order", order_id=order.pk)
