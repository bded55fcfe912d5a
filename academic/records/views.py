"""Student records pages of the back office: the student list, personal files, orders."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academic.records import actions
from academic.records.forms import (
    PENDING,
    SORTS,
    ContactForm,
    DocumentForm,
    HistoryDateForm,
    NewStudentForm,
    OrderFilterForm,
    OrderForm,
    OrderHeadingForm,
    OrderLineForm,
    PersonalFileForm,
    SignForm,
    StarostaForm,
    StudentFilterForm,
)
from academic.records.models import Order, OrderKind, Student, StudentContact
from academic.records.permissions import (
    access_order,
    access_orders,
    access_records,
    access_student,
    may_read_orders,
    may_write_records,
    office_scopes,
    visible_students,
)
from academic.records.selectors import (
    course_on,
    group_students_on,
    name_matches,
    order_lines,
    orders_list,
    personal_file,
    starosta_terms,
    state_on,
    student_rows,
    students_not_admitted,
)
from academic.structure.permissions import access_group, groups_visible_filter
from hub.accounts.actions import NewUser
from hub.accounts.models import Cabinet
from hub.errors import DomainError
from hub.exports import export_response, requested_format

PAGE_SIZE = 50


def _form_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- Students --------------------------------------------------------------------------


@login_required
@require_GET
def student_list(request: HttpRequest) -> HttpResponse:
    """The students the user's office reads, on a date, filtered, sorted, exportable."""
    access_records(request.user)
    form = StudentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    on = filters.get("on") or timezone.localdate()
    if filters.get("status") == PENDING:
        return _not_admitted(request, form, filters)
    rows = student_rows(
        visible=groups_visible_filter(office_scopes(request.user), prefix="group__"),
        on=on,
        faculty=getattr(filters.get("faculty"), "pk", None),
        specialty=getattr(filters.get("specialty"), "pk", None),
        group=filters.get("group", ""),
        course=filters.get("course"),
        study_form=filters.get("study_form", ""),
        status=filters.get("status", ""),
        funding=filters.get("funding", ""),
        q=filters.get("q", ""),
        order_by=SORTS[filters.get("sort") or "name"],
    )
    fmt = requested_format(request)
    if fmt:
        return _export_students(fmt, rows, on)
    context = {
        "form": form,
        "on": on,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_write": may_write_records(request.user),
        "may_read_orders": may_read_orders(request.user),
    }
    return render(request, "records/student_list.html", context)


def _not_admitted(request: HttpRequest, form, filters: dict) -> HttpResponse:
    # Files without a group lie in no faculty: only institution-wide readers see them.
    students = (
        students_not_admitted(filters.get("q", ""))
        if may_read_orders(request.user)
        else (Student.objects.none())
    )
    context = {
        "form": form,
        "pending": Paginator(students, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_write": may_write_records(request.user),
        "may_read_orders": may_read_orders(request.user),
    }
    return render(request, "records/student_list.html", context)


def _export_students(fmt: str, rows, on) -> HttpResponse:
    headers = [
        _("Record book number"),
        _("Name"),
        _("Name (Latin)"),
        _("Group"),
        _("Course"),
        _("Status"),
        _("Funding"),
    ]
    data = (
        [
            row.student.record_number,
            row.student.user.get_full_name(),
            row.student.user.get_full_name_latin(),
            row.group.name,
            row.group.course,
            row.get_status_display(),
            row.get_funding_display(),
        ]
        for row in rows.iterator(chunk_size=2000)
    )
    title = _("Students on %(date)s") % {"date": on.strftime("%d.%m.%Y")}
    return export_response(fmt=fmt, filename="students", title=title, headers=headers, rows=data)


@login_required
@require_GET
def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    """The personal file with its history; `?on=` shows where the student was on a date."""
    student = personal_file(access_student(request.user, student_id).pk)
    form = HistoryDateForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    states = list(student.states.all())
    context = {
        "student": student,
        "states": states,
        "current": next((s for s in states if s.valid_to is None), None),
        "date_form": form,
        "on": on,
        "state_then": state_on(student, on) if on else None,
        "may_write": may_write_records(request.user),
        "office": bool(office_scopes(request.user)),
    }
    return render(request, "records/student_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def student_create(request: HttpRequest) -> HttpResponse:
    """Open a personal file with the student's account; the initial password is shown once."""
    access_records(request.user, write=True)
    form = NewStudentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        account, personal = form.split()
        try:
            student, password = actions.student_create(
                by=request.user, account=NewUser(cabinet=Cabinet.STUDENT, **account), **personal
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            context = {"student": student, "password": password}
            return render(request, "records/student_created.html", context)
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "records/form.html", {"form": form, "title": _("New personal file"), "files": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_edit(request: HttpRequest, student_id: int) -> HttpResponse:
    """Edit the personal file's own fields (the form works on a copy: the action snapshots)."""
    student = access_student(request.user, student_id, write=True)
    form = PersonalFileForm(
        request.POST or None, request.FILES or None, instance=copy.copy(student)
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            actions.student_update(by=request.user, student=student, **changes)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("records:student", student_id=student.pk)
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    title = _("Personal file of %(name)s") % {"name": student.user.get_full_name()}
    return render(request, "records/form.html", {"form": form, "title": title, "files": True})


@login_required
@require_http_methods(["GET", "POST"])
def student_document_add(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.student_document_add(by=request.user, student=student, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("records:student", student_id=student.pk)
    title = _("Attach a document")
    return render(request, "records/form.html", {"form": form, "title": title, "files": True})


@login_required
@require_GET
def student_document(request: HttpRequest, student_id: int, document_id: int) -> FileResponse:
    """A document of the file, only for those who read the file."""
    student = access_student(request.user, student_id)
    document = student.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404(_("Page not found."))
    return FileResponse(document.file.open("rb"), as_attachment=True)


@login_required
@require_http_methods(["GET", "POST"])
def student_contact_add(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, write=True)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.student_contact_add(by=request.user, student=student, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("records:student", student_id=student.pk)
    title = _("Parent or guardian")
    return render(request, "records/form.html", {"form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def student_contact_remove(request: HttpRequest, student_id: int, contact_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, write=True)
    contact = StudentContact.objects.filter(pk=contact_id, student=student).first()
    if contact is None:
        raise Http404(_("Page not found."))
    back = reverse("records:student", kwargs={"student_id": student.pk})
    if request.method == "POST":
        actions.student_contact_remove(by=request.user, contact=contact)
        messages.success(request, _("Removed."))
        return redirect(back)
    question = _("Remove %(name)s from the personal file?") % {"name": contact.full_name}
    return render(
        request,
        "confirm.html",
        {"question": question, "button": _("Remove"), "cancel_url": back},
    )


@login_required
@require_GET
def group_roster(request: HttpRequest, group_id: int) -> HttpResponse:
    """The students of a group on a date (today by default), with the group's course then."""
    group = access_group(request.user, group_id)
    form = HistoryDateForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    students = list(group_students_on(group.pk, on))
    fmt = requested_format(request)
    if fmt:
        headers = [_("Record book number"), _("Name"), _("Name (Latin)")]
        rows = (
            [s.record_number, s.user.get_full_name(), s.user.get_full_name_latin()]
            for s in students
        )
        title = _("Group %(group)s on %(date)s") % {
            "group": group.name,
            "date": on.strftime("%d.%m.%Y"),
        }
        return export_response(
            fmt=fmt, filename=group.name, title=title, headers=headers, rows=rows
        )
    may_write = may_write_records(request.user)
    context = {
        "group": group,
        "students": students,
        "on": on,
        "course": course_on(group, on),
        "date_form": form,
        "starostas": starosta_terms(group),
        "may_write": may_write,
        "starosta_form": StarostaForm(
            initial={"valid_from": timezone.localdate()},
            students=group_students_on(group.pk),
        )
        if may_write
        else None,
    }
    return render(request, "records/group_roster.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_starosta(request: HttpRequest, group_id: int) -> HttpResponse:
    """Name the head of a group from a date (the records office, SR-8)."""
    group = access_group(request.user, group_id)
    access_records(request.user, write=True)
    form = StarostaForm(request.POST or None, students=group_students_on(group.pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.group_assign_starosta(
                by=request.user,
                group=group,
                student=form.cleaned_data["student"],
                on=form.cleaned_data["valid_from"],
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The group head is saved."))
            return redirect("records:group-roster", group_id=group.pk)
    title = _("Head of group %(group)s") % {"group": group.name}
    return render(request, "records/form.html", {"form": form, "title": title})


# --- Orders ------------------------------------------------------------------------------


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    access_orders(request.user)
    form = OrderFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orders = orders_list(
        kind=filters.get("kind", ""), status=filters.get("status", ""), q=filters.get("q", "")
    )
    fmt = requested_format(request)
    if fmt:
        headers = [
            _("Number"),
            _("Date"),
            _("Kind"),
            _("Effective date"),
            _("Status"),
            _("Students"),
        ]
        rows = (
            [
                o.number,
                o.date,
                o.get_kind_display(),
                o.effective_date,
                o.get_status_display(),
                o.size,
            ]
            for o in orders
        )
        return export_response(
            fmt=fmt, filename="orders", title=_("Orders"), headers=headers, rows=rows
        )
    context = {
        "form": form,
        "page": Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_write": may_write_records(request.user),
    }
    return render(request, "records/order_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    access_orders(request.user, write=True)
    today = timezone.localdate()
    form = OrderForm(request.POST or None, initial={"date": today, "effective_date": today})
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.order_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The order is drafted; add its students."))
            return redirect("records:order", order_id=order.pk)
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    return render(request, "records/form.html", {"form": form, "title": _("New order")})


@login_required
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_order(request.user, order_id, write=True)
    form = OrderHeadingForm(request.POST or None, instance=copy.copy(order))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            actions.order_update(by=request.user, order=order, **changes)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("records:order", order_id=order.pk)
    return render(request, "records/form.html", {"form": form, "title": str(order)})


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """The order with its lines; while a draft, the form that adds a student or a group."""
    order = access_order(request.user, order_id)
    may_write = may_write_records(request.user) and not order.is_signed
    form = OrderLineForm(request.POST or None)
    if request.method == "POST":
        if not may_write:
            raise Http404(_("Page not found."))
        if form.is_valid() and _add_lines(request, order, form):
            return redirect("records:order", order_id=order.pk)
        messages.error(request, _("Please correct the errors below."))
    fmt = requested_format(request)
    lines = list(order_lines(order))
    if fmt:
        return _export_order(fmt, order, lines)
    context = {"order": order, "lines": lines, "form": form, "may_write": may_write}
    return render(request, "records/order_detail.html", context)


def _add_lines(request: HttpRequest, order: Order, form: OrderLineForm) -> bool:
    data = dict(form.cleaned_data)
    query, whole_group = data.pop("student").strip(), data.pop("whole_group")
    group = data.pop("group")
    try:
        if order.kind == OrderKind.NEXT_COURSE:
            actions.order_line_add(by=request.user, order=order, group=group)
        elif whole_group:
            if group is None:
                raise DomainError(_("Choose the group whose students to add."))
            added = actions.order_lines_add_group(by=request.user, order=order, group=group, **data)
            messages.success(request, _("%(count)d students added.") % {"count": added})
        else:
            student = _find_student(request.user, query)
            actions.order_line_add(
                by=request.user, order=order, student=student, group=group, **data
            )
    except DomainError as error:
        _form_errors(form, error)
        return False
    return True


def _find_student(user, query: str) -> Student:
    """The one student a record book number or a name points at, or DomainError."""
    if not query:
        raise DomainError(_("Give the student's record book number or name."))
    students = visible_students(user).select_related("user")
    exact = students.filter(record_number=query).first()
    if exact is not None:
        return exact
    found = list(students.filter(name_matches(query.split()))[:2])
    if not found:
        raise DomainError(_("No student matches “%(query)s”.") % {"query": query})
    if len(found) > 1:
        raise DomainError(
            _("Several students match “%(query)s”; give the record book number.") % {"query": query}
        )
    return found[0]


def _export_order(fmt: str, order: Order, lines) -> HttpResponse:
    headers = [_("Record book number"), _("Name"), _("Group"), _("Details")]
    rows = (
        [
            line.student.record_number if line.student else "",
            line.student.user.get_full_name() if line.student else "",
            line.group.name if line.group else "",
            line.get_expulsion_reason_display() or (line.leave_until or ""),
        ]
        for line in lines
    )
    title = f"{order} — {order.get_kind_display()}"
    return export_response(
        fmt=fmt, filename=f"order-{order.number}", title=title, headers=headers, rows=rows
    )


@login_required
@require_POST
def order_line_remove(request: HttpRequest, order_id: int, line_id: int) -> HttpResponse:
    order = access_order(request.user, order_id, write=True)
    line = order.lines.filter(pk=line_id).first()
    if line is None:
        raise Http404(_("Page not found."))
    try:
        actions.order_line_remove(by=request.user, line=line)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("records:order", order_id=order.pk)


@login_required
@require_http_methods(["GET", "POST"])
def order_sign(request: HttpRequest, order_id: int) -> HttpResponse:
    """Ask, then sign: from the effective date the order's students are where it says."""
    order = access_order(request.user, order_id, write=True)
    form = SignForm(request.POST or None, initial={"signer": order.signer})
    if request.method == "POST" and form.is_valid():
        try:
            actions.order_sign(by=request.user, order=order, signer=form.cleaned_data["signer"])
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The order is signed."))
            return redirect("records:order", order_id=order.pk)
    context = {"order": order, "form": form, "lines": order.lines.count()}
    return render(request, "records/order_sign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_delete(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_order(request.user, order_id, write=True)
    back = reverse("records:order", kwargs={"order_id": order.pk})
    if request.method == "POST":
        try:
            actions.order_delete(by=request.user, order=order)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(back)
        messages.success(request, _("The draft is deleted."))
        return redirect("records:orders")
    question = _("Delete the draft %(order)s with all its lines?") % {"order": order}
    return render(
        request, "confirm.html", {"question": question, "button": _("Delete"), "cancel_url": back}
    )
