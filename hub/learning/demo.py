"""The demo seed's step for learning: the e-courses of the demo's courses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def seed_ecourses(ctx=None) -> dict[str, int]:
    """Make the e-course of every stream of the seeded courses (made in bulk, so no signal)."""
    from hub.learning.actions import ecourses_sync

    result = ecourses_sync()
    if ctx is not None:
        ctx.advance(0, _("E-courses"))
    return {"ecourses": result.created}
