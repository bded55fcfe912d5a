"""The fixed cast every protected page, endpoint and socket is tested with.

student, other_student, teacher, other_teacher, curator, deanery_a, deanery_b,
admin, parent, and the anonymous visitor (no user). Scopes (faculty A/B, the
parent's child) are attached by the access and records apps as they appear.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hub.accounts.models import Cabinet, User

PASSWORD = "Cast-password-2026"


@dataclass
class Cast:
    student: User
    other_student: User
    teacher: User
    other_teacher: User
    curator: User
    deanery_a: User
    deanery_b: User
    admin: User
    parent: User

    def members(self) -> dict[str, User]:
        return dict(vars(self))


CAST_SPEC = {
    "student": ("Асанов", "Бакыт", "Asanov", "Bakyt", Cabinet.STUDENT),
    "other_student": ("Өмүрбекова", "Айгүл", "Omurbekova", "Aigul", Cabinet.STUDENT),
    "teacher": ("Иванова", "Наталья", "Ivanova", "Natalya", Cabinet.TEACHER),
    "other_teacher": ("Жээнбеков", "Нурлан", "Zheenbekov", "Nurlan", Cabinet.TEACHER),
    "curator": ("Токтосунова", "Гүлнара", "Toktosunova", "Gulnara", Cabinet.CURATOR),
    "deanery_a": ("Сыдыков", "Эрмек", "Sydykov", "Ermek", Cabinet.STAFF),
    "deanery_b": ("Петрова", "Елена", "Petrova", "Elena", Cabinet.STAFF),
    "admin": ("Абдыкадыров", "Марат", "Abdykadyrov", "Marat", Cabinet.ADMIN),
    "parent": ("Асанова", "Жылдыз", "Asanova", "Zhyldyz", Cabinet.PARENT),
}


def make_user(username: str, *, cabinet: str = Cabinet.STUDENT, **fields) -> User:
    user = User(username=username, cabinet=cabinet, language="en", **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def cast(db) -> Cast:
    users = {}
    for name, (last, first, last_lat, first_lat, cabinet) in CAST_SPEC.items():
        users[name] = make_user(
            name,
            cabinet=cabinet,
            last_name=last,
            first_name=first,
            last_name_latin=last_lat,
            first_name_latin=first_lat,
            is_staff=name == "admin",
            is_superuser=name == "admin",
        )
    return Cast(**users)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # argon2 is the production hasher; the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
