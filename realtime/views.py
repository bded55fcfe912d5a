"""Notification pages: the list, and marking one read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from realtime.actions import notification_mark_read
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
