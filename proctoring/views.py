"""Pages and endpoints of proctoring: the student's uploads, the test's settings, the
proctor's live grid, acts and review, and the thumbnails.

Thin: access through proctoring.permissions, reads through the selectors, writes
through the actions. The upload endpoints answer 4xx with `detail`: 400 for a
refused frame or event list, 409 for a finished attempt, 413 for an oversize frame.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.accounts.models import Cabinet, User
from hub.confirm import confirm_with_reason
from hub.errors import DomainError
from hub.testing import actions as testing_actions
from hub.testing.models import AttemptStatus
from hub.testing.permissions import may_annul
from hub.testing.views import annul_confirmation
from proctoring import actions, selectors
from proctoring.analysis import FrameError
from proctoring.analysis.frames import MAX_FRAME_BYTES
from proctoring.forms import ExtendForm, MessageForm, ReasonForm, SettingsForm
from proctoring.labels import all_labels, labels
from proctoring.models import Frame
from proctoring.permissions import (
    access_attempt_to_annul,
    access_own_attempt,
    access_proctored_attempt,
    access_proctored_test,
    access_test_settings,
)


def _remaining(attempt) -> int:
    return max(int((attempt.deadline - timezone.now()).total_seconds()), 0)


# --- The student's browser ---------------------------------------------------------------


@login_required
@require_POST
def frame(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """One camera frame: the JPEG as the body, or as the multipart field `frame`
    (`taken_at` in ms or ISO in the query or the form). A bare JPEG from a signed-in
    student is answered before Django's middleware by proctoring.upload, with
    `frame_answer` as here."""
    attempt = access_own_attempt(request.user, attempt_id)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_FRAME_BYTES + 4096:
        return JsonResponse({"detail": _("This frame is too large.")}, status=413)
    taken_at = request.GET.get("taken_at") or None
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("frame")
        if upload is None:
            return JsonResponse({"detail": _("Send the frame as the field “frame”.")}, status=400)
        if upload.size > MAX_FRAME_BYTES:
            return JsonResponse({"detail": _("This frame is too large.")}, status=413)
        jpeg = upload.read()
        taken_at = request.POST.get("taken_at") or taken_at
    else:
        jpeg = request.body
    status, data = frame_answer(user=request.user, attempt=attempt, jpeg=jpeg, taken_at=taken_at)
    return JsonResponse(data, status=status)


def frame_answer(*, user: User, attempt, jpeg: bytes, taken_at: str | None) -> tuple[int, dict]:
    """Store the frame of `user`'s own attempt (proctoring.actions.frame_receive): the
    status and JSON of the answer, 201 with the frame's id or a refusal with its reason."""
    if taken_at is not None and taken_at.isdigit():
        taken_at = int(taken_at)
    try:
        saved = actions.frame_receive(by=user, attempt=attempt, jpeg=jpeg, taken_at=taken_at)
    except actions.AttemptFinished as error:
        return 409, {"detail": str(error), "submitted": True}
    except actions.FrameTooLarge:
        return 413, {"detail": _("This frame is too large.")}
    except FrameError:
        return 400, {"detail": _("This is not a 320×240 JPEG camera frame.")}
    except DomainError as error:
        return 400, {"detail": str(error)}
    return 201, {"frame": saved.pk, "remaining": _remaining(attempt)}


@login_required
@require_POST
def events(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Page events: a JSON list of {"kind", "at", "detail"}."""
    attempt = access_own_attempt(request.user, attempt_id)
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return JsonResponse({"detail": _("Send a list of page events.")}, status=400)
    try:
        stored = actions.page_events_record(by=request.user, attempt=attempt, events=body)
    except actions.AttemptFinished as error:
        return JsonResponse({"detail": str(error), "submitted": True}, status=409)
    except DomainError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    return JsonResponse({"stored": len(stored), "remaining": _remaining(attempt)}, status=201)


# --- The test's settings -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def test_settings(request: HttpRequest, test_id: int) -> HttpResponse:
    """Whether the test needs the camera, the frame interval and the chosen proctors."""
    test = access_test_settings(request.user, test_id)
    current = actions.settings_of(test)
    candidates = (
        User.objects.filter(is_active=True, cabinet__in=[Cabinet.TEACHER, Cabinet.STAFF])
        .exclude(pk=test.owner_id)
        .order_by("last_name", "first_name", "username")
    )
    initial = {
        "requires_camera": current.requires_camera,
        "frame_interval": current.frame_interval,
        "proctors": list(current.proctors.all()) if current.pk else [],
    }
    form = SettingsForm(
        request.POST if request.method == "POST" else None, initial=initial, candidates=candidates
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.proctoring_settings_save(
                by=request.user, test=test, requires_camera=form.cleaned_data["requires_camera"],
                frame_interval=form.cleaned_data["frame_interval"],
                proctors=list(form.cleaned_data["proctors"]),
            )  # fmt: skip
        except DomainError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The proctoring settings are saved."))
            return redirect("proctoring:settings", test_id=test.pk)
    return render(request, "proctoring/settings.html", {"test": test, "form": form})


# --- The proctor ---------------------------------------------------------------------------


@login_required
@require_GET
def live(request: HttpRequest, test_id: int) -> HttpResponse:
    """The grid of the test's attempts in progress, kept current over /ws/proctor/<id>/."""
    test = access_proctored_test(request.user, test_id)
    rows = []
    for attempt in selectors.live_attempts(test):
        row = selectors.proctoring_of(attempt)
        rows.append((attempt, row, labels(selectors.tile_flags(row))))
    context = {"test": test, "rows": rows, "labels": all_labels()}
    return render(request, "proctoring/live.html", context)


def _back(request: HttpRequest, attempt) -> HttpResponse:
    return redirect("proctoring:live", test_id=attempt.test_id)


@login_required
@require_POST
def message(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = access_proctored_attempt(request.user, attempt_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the message."))
        return _back(request, attempt)
    try:
        actions.proctor_message(by=request.user, attempt=attempt, text=form.cleaned_data["text"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message is sent."))
    return _back(request, attempt)


@login_required
@require_POST
def extend(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = access_proctored_attempt(request.user, attempt_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Extend by 1 to %(most)s minutes.") % {"most": actions.MAX_EXTENSION_MINUTES}
        )
        return _back(request, attempt)
    try:
        actions.attempt_extend(
            by=request.user, attempt=attempt, minutes=form.cleaned_data["minutes"]
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The time is extended."))
    return _back(request, attempt)


@login_required
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Asks for the reason and confirmation, then ends the attempt (submitted as it stands)."""
    attempt = access_proctored_attempt(request.user, attempt_id)
    return confirm_with_reason(
        request,
        form_class=ReasonForm,
        act=lambda reason: actions.attempt_end(by=request.user, attempt=attempt, reason=reason),
        button=_("End the attempt"),
        question=_("End %(student)s's attempt now? It is submitted and graded as it stands.")
        % {"student": attempt.student},
        cancel_url=reverse("proctoring:live", args=[attempt.test_id]),
        done_url=reverse("proctoring:live", args=[attempt.test_id]),
        success=_("The attempt is ended."),
    )


@login_required
@require_GET
def review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """An attempt's timeline, thumbnails, score, a link to its answers, and the annulment."""
    attempt = testing_actions.expire_if_due(access_proctored_attempt(request.user, attempt_id))
    context = {
        "attempt": attempt,
        "test": attempt.test,
        "review": selectors.attempt_review(attempt),
        "may_annul": attempt.status != AttemptStatus.ANNULLED
        and may_annul(request.user, attempt.test),
    }
    return render(request, "proctoring/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def annul(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Annuls the result from the review page, by hub.testing's one annulment flow."""
    attempt = access_attempt_to_annul(request.user, attempt_id)
    return annul_confirmation(
        request, attempt, back=reverse("proctoring:review", args=[attempt.pk])
    )


@login_required
@require_GET
def thumbnail(request: HttpRequest, frame_id: int) -> FileResponse:
    """A frame's thumbnail, for the proctors of its test only."""
    found = Frame.objects.filter(pk=frame_id).values_list("attempt_id", "thumbnail").first()
    if found is None or not found[1]:
        raise Http404(_("Page not found."))
    access_proctored_attempt(request.user, found[0])
    storage = Frame._meta.get_field("thumbnail").storage
    try:
        handle = storage.open(found[1], "rb")
    except FileNotFoundError:
        raise Http404(_("Page not found.")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
