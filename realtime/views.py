"""Notification pages: the list, and marking one read."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from realtime.actions import notification_mark_read, notification_settings_set
from realtime.models import NotificationSettings
from realtime.selectors import notification_list, notification_unread_count

PAGE_SIZE = 20


@require_GET
@login_required
def notification_list_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "unread_count": notification_unread_count(user=request.user)}
    return render(request, "realtime/notifications.html", context)


class SettingsForm(forms.Form):
    email_important = forms.BooleanField(
        label=gettext_lazy("E-mail me the important notifications (announcements)"), required=False
    )


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The user's own choice: important notifications by e-mail too, or only here."""
    current = NotificationSettings.objects.filter(user=request.user).first()
    initial = {"email_important": current.email_important if current else True}
    # A checkbox left empty posts nothing: the form is bound on every POST.
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_set(
            user=request.user, email_important=form.cleaned_data["email_important"]
        )
        messages.success(request, _("Saved."))
        return redirect("notification-settings")
    context = {"form": form, "has_email": bool(request.user.email)}
    return render(request, "realtime/notification_settings.html", context)


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=notification_id)
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(status=204)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notification-list")
    return redirect(target)
