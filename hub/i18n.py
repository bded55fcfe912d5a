"""Names of institutional objects in the three interface languages (X-2)."""

from __future__ import annotations

from django.utils.translation import get_language

LANGUAGE_CODES = ("ky", "ru", "en")


class TrilingualName:
    """`name` in the active language for a model with name_ky, name_ru and name_en.

    A name missing in that language falls back to Russian, then Kyrgyz.
    """

    name_ky: str
    name_ru: str
    name_en: str

    @property
    def name(self) -> str:
        language = (get_language() or "ky").split("-")[0]
        preferred = getattr(self, f"name_{language}", "") if language in LANGUAGE_CODES else ""
        return preferred or self.name_ru or self.name_ky
