"""Acts that need a reason and a confirmation (ending or annulling an attempt): one flow."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hub.errors import DomainError


def confirm_with_reason(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    act: Callable[[str], object],
    button: str,
    question: str,
    cancel_url: str,
    done_url: str,
    success: str,
) -> HttpResponse:
    """GET: `question` with a reason field and the `button`. POST with a reason: `act(reason)`,
    the `success` message and on to `done_url`. No reason, or an act the domain refuses,
    shows the page again with the message; nothing changes."""
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(done_url)
    context = {"form": form, "button": button, "question": question, "cancel_url": cancel_url}
    return render(request, "confirm_reason.html", context)
