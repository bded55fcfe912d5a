"""DRF permissions built on the one access layer (hub.accounts.access)."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

from hub.accounts.access import has_right


def HasModuleRight(module: str, level: int, *, write: int | None = None) -> type[BasePermission]:
    """A permission class: the user holds `level` on `module` somewhere.

    With `write`, unsafe methods (POST, PUT, PATCH, DELETE) need that level
    instead. Anonymous requests get DRF's usual answer; a signed-in user
    without the right gets 404 like a missing resource, so the API reveals
    nothing; the view still narrows its data with `access.scopes_for`.
    """

    class _HasModuleRight(BasePermission):
        def has_permission(self, request, view) -> bool:
            if not request.user or not request.user.is_authenticated:
                return False  # DRF answers "not authenticated", as for any other view
            needed = level if write is None or request.method in SAFE_METHODS else write
            if not has_right(request.user, module, needed):
                raise NotFound()
            return True

    _HasModuleRight.__name__ = f"HasModuleRight_{module}_{level}"
    _HasModuleRight.__qualname__ = _HasModuleRight.__name__
    return _HasModuleRight
