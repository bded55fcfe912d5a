"""The reference list of position titles shipped with eBilim; HR may add more (admin)."""

from __future__ import annotations

# (code, ky, ru, en), in the order lists show them.
POSITION_TITLES: tuple[tuple[str, str, str, str], ...] = (
    ("rector", "Ректор", "Ректор", "Rector"),
    ("vice_rector", "Проректор", "Проректор", "Vice-rector"),
    ("dean", "Декан", "Декан", "Dean"),
    ("deputy_dean", "Декандын орун басары", "Заместитель декана", "Deputy dean"),
    ("head_of_department", "Кафедра башчысы", "Заведующий кафедрой", "Head of department"),
    ("professor", "Профессор", "Профессор", "Professor"),
    ("docent", "Доцент", "Доцент", "Docent"),
    ("senior_lecturer", "Улук окутуучу", "Старший преподаватель", "Senior lecturer"),
    ("lecturer", "Окутуучу", "Преподаватель", "Lecturer"),
    ("assistant", "Ассистент", "Ассистент", "Assistant"),
    ("head_of_office", "Бөлүм башчысы", "Начальник отдела", "Head of office"),
    ("specialist", "Адис", "Специалист", "Specialist"),
    ("methodologist", "Методист", "Методист", "Methodologist"),
    ("laboratory_assistant", "Лаборант", "Лаборант", "Laboratory assistant"),
)


def position_titles_install(title_model) -> None:
    """Create the shipped titles that are missing; takes the (historical) model."""
    existing = set(title_model.objects.values_list("code", flat=True))
    title_model.objects.bulk_create(
        title_model(code=code, name_ky=ky, name_ru=ru, name_en=en, order=index)
        for index, (code, ky, ru, en) in enumerate(POSITION_TITLES)
        if code not in existing
    )
