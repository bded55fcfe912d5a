"""Make the request the audit context of everything its view records."""

from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from hub.audit.log import audit_context


class AuditContextMiddleware:
    """Entries recorded while a request is served name its user, IP and browser.

    Works for sync and async views alike: the context lives in a contextvar,
    which asgiref carries into the thread a sync view runs in.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        with audit_context(request=request):
            return self.get_response(request)

    async def __acall__(self, request):
        with audit_context(request=request):
            return await self.get_response(request)
