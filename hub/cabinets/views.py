"""Cabinet pages, the language switcher and the error pages."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from hub.accounts.actions import user_language_set
from hub.accounts.models import Language
from hub.cabinets.context_processors import display_name
from hub.cabinets.pages import CABINET_PAGES
from hub.cabinets.permissions import access_cabinet
from hub.errors import RETRY_AFTER_SECONDS, DomainError, is_overload


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """`/`: every signed-in user starts in the cabinet of their own kind."""
    return redirect("cabinet-page", kind=request.user.cabinet)


@login_required
def cabinet_page(request: HttpRequest, kind: str) -> HttpResponse:
    kind = access_cabinet(request.user, kind)
    context = {
        "kind": kind,
        "page": CABINET_PAGES[kind],
        "full_name": display_name(request.user),
    }
    return render(request, "cabinets/cabinet.html", context)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, like django.views.i18n.set_language.

    A visitor's choice lives in the language cookie; a signed-in user's is also
    saved on the account, because UserLanguageMiddleware prefers it to the cookie.
    """
    language = request.POST.get("language", "")
    try:
        if request.user.is_authenticated:
            user_language_set(user=request.user, language=language)
        elif language not in Language.values:
            raise DomainError(translation.gettext("This language is not available."))
    except DomainError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    next_url = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The page is rendered in the visitor's language by the usual middleware;
    # the exception's text is never shown, it may name what was looked up.
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; 503 with Retry-After when the server is only overloaded (the
    database pool had no connection to give), so browsers and the attempt page retry."""
    busy = is_overload(sys.exc_info()[1])
    # Something already failed, maybe the database: render without the request,
    # so no context processor (user, navigation) touches anything.
    try:
        content = loader.get_template("500.html").render({"busy": busy})
    except Exception:  # the last resort must always answer
        content = "<h1>Server Error (500)</h1>"
    if not busy:
        return HttpResponseServerError(content)
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
