"""Accounts pages: the administrator's (users, import, locks) and everyone's own profile."""

from __future__ import annotations

import base64
import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hub.accounts import actions
from hub.accounts.forms import (
    GuardianshipForm,
    ImportUploadForm,
    OwnPasswordChangeForm,
    ProfileForm,
    UserCreateForm,
    UserSearchForm,
)
from hub.accounts.imports import COLUMNS, read_table, rows_check
from hub.accounts.models import User
from hub.accounts.permissions import access_accounts_admin, access_user
from hub.accounts.selectors import locks_current, users_search
from hub.errors import DomainError

PAGE_SIZE = 50
IMPORT_SALT = "hub.accounts.import"
IMPORT_MAX_AGE = 3600  # seconds between the preview and the confirmation


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page a locked login gets instead of the login form (AXES_LOCKOUT_CALLABLE).

    django-axes calls it with different arguments in sync and async mode; it
    needs none of them.
    """
    context = {
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


# --- Own profile ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        actions.user_profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/profile.html", {"form": form})


class OwnPasswordChangeView(PasswordChangeView):
    """Django's change-password page; the new password is saved by an action."""

    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        actions.user_password_change(
            user=self.request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password is changed."))
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        messages.error(self.request, _("Please correct the errors below."))
        return super().form_invalid(form)


# --- Accounts administration ------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    access_accounts_admin(request.user)
    form = UserSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    active = {"1": True, "0": False}.get(filters.get("active", ""))
    users = users_search(q=filters.get("q", ""), cabinet=filters.get("cabinet", ""), active=active)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    usernames = [user.username for user in page]
    locked = {lock.username for lock in locks_current(usernames=usernames)}
    context = {"form": form, "page": page, "locked": locked}
    return render(request, "accounts/user_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    access_accounts_admin(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = actions.user_create(by=request.user, data=form.new_user())
        except DomainError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            # Shown on this response only: the password is stored nowhere in clear.
            return render(
                request, "accounts/password_issued.html", {"account": user, "password": password}
            )
    return render(request, "accounts/user_create.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access_user(request.user, user_id)
    locked = bool(locks_current(usernames=[account.username]))
    context = {
        "account": account,
        "locked": locked,
        "children": account.wards.select_related("child"),
        "parents": account.guardians.select_related("parent"),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_guardianship_add(request: HttpRequest, user_id: int) -> HttpResponse:
    """Link this parent account to a child's account by the child's login (AC-8)."""
    parent = access_user(request.user, user_id, write=True)
    form = GuardianshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.guardianship_link(
                by=request.user,
                parent=parent,
                child=form.cleaned_data["child"],
                relation=form.cleaned_data["relation"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The child is linked."))
            return redirect("accounts-user", user_id=parent.pk)
    title = _("Link a child to %(name)s") % {"name": parent.get_full_name() or parent.username}
    return render(request, "accounts/guardianship_form.html", {"form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def user_guardianship_remove(request: HttpRequest, user_id: int, link_id: int) -> HttpResponse:
    """Unlink a parent from a child, after a confirmation."""
    parent = access_user(request.user, user_id, write=True)
    link = parent.wards.select_related("child").filter(pk=link_id).first()
    if link is None:
        raise Http404(_("Page not found."))
    back = reverse("accounts-user", kwargs={"user_id": parent.pk})
    if request.method == "POST":
        actions.guardianship_unlink(by=request.user, link=link)
        messages.success(request, _("The link is removed."))
        return redirect(back)
    question = _(
        "%(parent)s will no longer see %(child)s's grades and payments. Remove the link?"
    ) % {
        "parent": parent.get_full_name() or parent.username,
        "child": link.child.get_full_name() or link.child.username,
    }
    return render(
        request,
        "confirm.html",
        {"question": question, "button": _("Remove the link"), "cancel_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_password_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access_user(request.user, user_id, write=True)
    if request.method == "POST":
        password = actions.user_password_reset(by=request.user, user=account)
        return render(
            request, "accounts/password_issued.html", {"account": account, "password": password}
        )
    return _confirm(
        request,
        account,
        _("Give %(name)s a new initial password? The current password stops working."),
        _("Reset the password"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access_user(request.user, user_id, write=True)
    if request.method == "POST":
        try:
            actions.user_deactivate(by=request.user, user=account)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The account is deactivated."))
        return redirect("accounts-user", user_id=account.pk)
    return _confirm(
        request,
        account,
        _(
            "Deactivate the account of %(name)s? They will not be able to sign in; nothing is deleted."
        ),
        _("Deactivate"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access_user(request.user, user_id, write=True)
    if request.method == "POST":
        actions.user_reactivate(by=request.user, user=account)
        messages.success(request, _("The account is active again."))
        return redirect("accounts-user", user_id=account.pk)
    return _confirm(
        request,
        account,
        _("Reactivate the account of %(name)s? They can sign in again with their password."),
        _("Reactivate"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access_user(request.user, user_id, write=True)
    if request.method == "POST":
        actions.user_unlock(by=request.user, username=account.username)
        messages.success(request, _("The sign-in lock is lifted."))
        return redirect("accounts-user", user_id=account.pk)
    return _confirm(
        request,
        account,
        _("Lift the sign-in lock of %(name)s? Their failed attempts are forgotten."),
        _("Unlock"),
    )


def _confirm(request: HttpRequest, account: User, question: str, button: str) -> HttpResponse:
    context = {
        "question": question % {"name": account.get_full_name() or account.username},
        "button": button,
        "cancel_url": reverse("accounts-user", args=[account.pk]),
    }
    return render(request, "confirm.html", context)


@login_required
def lock_list(request: HttpRequest) -> HttpResponse:
    access_accounts_admin(request.user)
    locks = locks_current()
    accounts = User.objects.in_bulk([lock.username for lock in locks], field_name="username")
    rows = [(lock, accounts.get(lock.username)) for lock in locks]
    return render(request, "accounts/lock_list.html", {"rows": rows})


# --- Bulk import --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def users_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview with every bad row → confirm; nothing is saved before the confirmation.

    The preview carries the valid rows to the confirmation signed, not in a
    file or the session, so an abandoned preview leaves nothing behind.
    """
    access_accounts_admin(request.user)
    if request.method == "POST" and "payload" in request.POST:
        return _import_confirm(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = rows_check(read_table(upload.name, upload.read()))
        except DomainError as error:
            form.add_error("file", str(error))
        else:
            valid = [row for row in rows if not row.problems]
            payload = [[getattr(row.data, name) for name in COLUMNS] for row in valid]
            context.update(
                rows=rows,
                valid_count=len(valid),
                bad_count=len(rows) - len(valid),
                payload=signing.dumps(payload, salt=IMPORT_SALT, compress=True),
            )
            return render(request, "accounts/import_preview.html", context)
    return render(request, "accounts/import_upload.html", context)


def _import_confirm(request: HttpRequest) -> HttpResponse:
    try:
        payload = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("accounts-import")
    rows = [actions.NewUser(**dict(zip(COLUMNS, values, strict=True))) for values in payload]
    try:
        created = actions.users_import(by=request.user, rows=rows)
    except DomainError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts-import")
    context = {"created": created, "csv_href": _passwords_csv_href(created)}
    return render(request, "accounts/import_done.html", context)


def _passwords_csv_href(created: list[tuple[User, str]]) -> str:
    """The initial passwords as a CSV download link, made once and stored nowhere.

    UTF-8 with a byte-order mark: Excel then reads ң, ө, ү correctly.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Login"), _("Last name"), _("First name"), _("Patronymic"), _("Password")])
    for user, password in created:
        writer.writerow([user.username, user.last_name, user.first_name, user.patronymic, password])
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")
