"""One error format for the whole API: a 4xx JSON body with a `detail` reason.

DRF's own handler answers field errors as `{"field": ["message"]}` and lets
anything it does not know become Django's HTML error page. Clients (the mobile
app, the other offices' scripts) need one place to read the reason, so every
error carries `detail`; field errors keep their per-field list under `errors`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from hub.errors import DomainError

logger = logging.getLogger("hub.api")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError(str(exc))
    elif isinstance(exc, DjangoValidationError):
        # An action's model validation (full_clean) is bad input, not a crash.
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page, with the traceback, for the developer.
        set_rollback()
        request = context.get("request")
        logger.error(
            "Unhandled API error on %s %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=exc,
        )
        return Response(
            {"detail": _("Internal server error.")},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    response.data = _with_detail(response.data)
    return response


def _with_detail(data: Any) -> dict[str, Any]:
    if isinstance(data, dict) and "detail" in data:
        return data
    if isinstance(data, list):
        return {"detail": _first_message(data), "errors": {"non_field_errors": data}}
    if isinstance(data, dict):
        field, messages = next(iter(data.items()))
        message = _first_message(messages)
        detail = message if field == "non_field_errors" else f"{field}: {message}"
        return {"detail": detail, "errors": data}
    return {"detail": str(data)}


def _first_message(messages: Any) -> str:
    while isinstance(messages, list | dict) and messages:
        messages = messages[0] if isinstance(messages, list) else next(iter(messages.values()))
    return str(messages)
