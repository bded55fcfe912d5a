"""What the proctor reads for each flag and page event (the stored codes are not for people)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proctoring.analysis import Flag
from proctoring.models import CAMERA_SILENT, PageEventKind

FLAG_LABELS = {
    Flag.NO_FACE.value: gettext_lazy("no face"),
    Flag.MANY_FACES.value: gettext_lazy("more than one face"),
    Flag.OFF_CENTRE.value: gettext_lazy("looking away"),
    Flag.FACE_SMALLER.value: gettext_lazy("moved away from the camera"),
    Flag.DARK.value: gettext_lazy("camera dark or covered"),
    CAMERA_SILENT: gettext_lazy("camera silent"),
}


def label(code: str) -> str:
    """The flag's or page event's name in the active language."""
    if code in FLAG_LABELS:
        return str(FLAG_LABELS[code])
    if code in PageEventKind.values:
        return str(PageEventKind(code).label)
    return code or _("unknown")


def labels(codes) -> str:
    return ", ".join(label(code) for code in codes)


def all_labels() -> dict[str, str]:
    """Every code with its name, for the live grid's script."""
    return {code: label(code) for code in [*FLAG_LABELS, *PageEventKind.values]}
