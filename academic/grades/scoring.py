"""The scale of an institution and checkpoint totals: what every grades page computes with."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.utils.translation import gettext as _

from academic.grades.models import Checkpoint, CheckpointKind, GradingSettings, ScaleBand, Score
from academic.grades.scales import DEFAULT_SCALE, Band, Scale
from academic.structure.models import Institution
from hub.errors import DomainError


def institution_id() -> int | None:
    """The institution the system serves (the first one; one query)."""
    return Institution.objects.order_by("pk").values_list("pk", flat=True).first()


def grading_settings() -> GradingSettings:
    """The institution's grading settings; unsaved defaults when none are stored."""
    found = GradingSettings.objects.filter(institution_id=institution_id()).first()
    return found or GradingSettings(institution_id=institution_id())


def scale_for(institution: int | None = None) -> Scale:
    """The institution's scale from its bands; the default when it has none.

    `institution` defaults to the one the system serves (one more query).
    """
    institution_id_ = institution if institution is not None else institution_id()
    if institution_id_ is None:
        return DEFAULT_SCALE
    bands = [
        Band(b.low, b.high, b.letter, b.gpa, b.mark)
        for b in ScaleBand.objects.filter(institution_id=institution_id_)
    ]
    return Scale(tuple(bands)) if bands else DEFAULT_SCALE


def checkpoint_totals(
    checkpoints: Iterable[Checkpoint], student_ids: Iterable[int]
) -> dict[tuple[int, int], Decimal]:
    """(student id, checkpoint id) → points, each capped at the checkpoint's maximum (one query)."""
    checkpoints = list(checkpoints)
    maximum = {c.pk: Decimal(c.max_score) for c in checkpoints}
    rows = (
        Score.objects.filter(checkpoint__in=maximum, student_id__in=list(student_ids))
        .values("student_id", "checkpoint_id")
        .annotate(points=Sum("value"))
    )
    return {
        (r["student_id"], r["checkpoint_id"]): min(r["points"], maximum[r["checkpoint_id"]])
        for r in rows
    }


def current_totals(
    checkpoints: Iterable[Checkpoint], student_ids: Iterable[int]
) -> dict[int, Decimal]:
    """Student id → points from the checkpoints before the final control (one query)."""
    current = [c for c in checkpoints if c.kind == CheckpointKind.CURRENT]
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (student_id, _checkpoint), points in checkpoint_totals(current, student_ids).items():
        totals[student_id] += points
    return dict(totals)


def parse_score(raw) -> Decimal | None:
    """A score as typed ("7", "7,5", 7.5): None when empty; DomainError when not a number."""
    text = "" if raw is None else str(raw).strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise DomainError(_("“%(value)s” is not a number: a score is a number.") % {"value": raw})
    return value
