"""Announcement pages: what was announced to me, one announcement, publishing one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hub.errors import DomainError
from realtime.actions import notification_mark_read
from realtime.announcements import (
    announcement_publish,
    announcements_for,
    audience_faculties,
    audience_groups,
    may_publish,
    may_publish_anywhere,
)
from realtime.models import Audience, Notification
from realtime.permissions import access_announcement


class AnnouncementForm(forms.Form):
    audience = forms.ChoiceField(label=gettext_lazy("For"), choices=Audience.choices)
    group = forms.ModelChoiceField(label=gettext_lazy("Group"), required=False, queryset=None)
    faculty = forms.ModelChoiceField(label=gettext_lazy("Faculty"), required=False, queryset=None)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea, max_length=10_000)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = audience_groups(user)
        self.fields["faculty"].queryset = audience_faculties(user)
        self.user = user
        # Offer only the kinds of audience the user may address at all.
        reachable = {
            Audience.GROUP: self.fields["group"].queryset.exists(),
            Audience.FACULTY: self.fields["faculty"].queryset.exists(),
            Audience.INSTITUTION: may_publish(user, Audience.INSTITUTION, None),
        }
        self.fields["audience"].choices = [
            (value, label) for value, label in Audience.choices if reachable.get(value)
        ]

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        target = {"group": data.get("group"), "faculty": data.get("faculty")}.get(audience)
        data["audience_id"] = target.pk if target is not None else None
        if audience in (Audience.GROUP, Audience.FACULTY) and target is None:
            self.add_error(audience, _("Choose the group or the faculty."))
        elif audience and not may_publish(self.user, audience, data["audience_id"]):
            self.add_error("audience", _("You may not announce to this audience."))
        return data


@login_required
@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(announcements_for(request.user), 20).get_page(request.GET.get("page"))
    context = {"page": page, "may_publish": may_publish_anywhere(request.user)}
    return render(request, "realtime/announcement_list.html", context)


@login_required
@require_GET
def announcement_detail(request: HttpRequest, announcement_id: int) -> HttpResponse:
    """One announcement; opening it marks the reader's notification read."""
    announcement = access_announcement(request.user, announcement_id)
    notification = Notification.objects.filter(
        recipient=request.user, url=f"/announcements/{announcement_id}/", read_at__isnull=True
    ).first()
    if notification is not None:
        notification_mark_read(user=request.user, notification_id=notification.pk)
    return render(request, "realtime/announcement_detail.html", {"announcement": announcement})


@login_required
@require_http_methods(["GET", "POST"])
def announcement_create(request: HttpRequest) -> HttpResponse:
    if not may_publish_anywhere(request.user):
        raise Http404(_("Page not found."))
    form = AnnouncementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = announcement_publish(
                by=request.user,
                audience=data["audience"],
                audience_id=data["audience_id"],
                title=data["title"],
                body=data["body"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Published to %(count)d readers.") % {"count": announcement.recipients},
            )
            return redirect("announcement-detail", announcement_id=announcement.pk)
    return render(request, "realtime/announcement_form.html", {"form": form})
