"""The fixed cast every protected page, endpoint and socket is tested with.

student, other_student, teacher, other_teacher, curator, deanery_a, deanery_b,
admin, parent, records_office, cashier, vice_rector, applicant, hr,
academic_affairs, and the
anonymous visitor (no user). Each member holds the shipped role of their
office (hub.accounts.roles): deanery_a in faculty FACULTY_A, deanery_b in
FACULTY_B, the parent is the guardian of `student`. Faculty ids are plain
integers until academic.structure exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from academic.records import actions as records_actions
from academic.records.models import Funding, OrderKind, Sex, Student
from hub.accounts import roles
from hub.accounts.access import Scope
from hub.accounts.actions import guardianship_link, role_assign
from hub.accounts.models import (
    Cabinet,
    DataOwnership,
    GuardianRelation,
    Role,
    RoleRight,
    ScopeKind,
    User,
)

PASSWORD = "Cast-password-2026"
FACULTY_A = 1
FACULTY_B = 2


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
    records_office: User
    cashier: User
    vice_rector: User
    applicant: User
    hr: User
    academic_affairs: User

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
    "records_office": ("Мамытова", "Чолпон", "Mamytova", "Cholpon", Cabinet.STAFF),
    "cashier": ("Исаков", "Улан", "Isakov", "Ulan", Cabinet.STAFF),
    "vice_rector": ("Кадыров", "Бекболот", "Kadyrov", "Bekbolot", Cabinet.STAFF),
    "applicant": ("Үсөнов", "Нурбек", "Usonov", "Nurbek", Cabinet.APPLICANT),
    "hr": ("Бейшеналиева", "Айнура", "Beishenalieva", "Ainura", Cabinet.STAFF),
    "academic_affairs": ("Орозбаев", "Талант", "Orozbaev", "Talant", Cabinet.STAFF),
}

_INSTITUTION = Scope.institution()
_OWN = Scope.own()

# member → (role code, scope) of the office they work in
CAST_ROLES = {
    "student": (roles.STUDENT, _OWN),
    "other_student": (roles.STUDENT, _OWN),
    "teacher": (roles.TEACHER, _OWN),
    "other_teacher": (roles.TEACHER, _OWN),
    "curator": (roles.CURATOR, Scope(ScopeKind.GROUP, 1)),
    "deanery_a": (roles.DEANERY, Scope(ScopeKind.FACULTY, FACULTY_A)),
    "deanery_b": (roles.DEANERY, Scope(ScopeKind.FACULTY, FACULTY_B)),
    "admin": (roles.SYSTEM_ADMINISTRATOR, _INSTITUTION),
    "parent": (roles.PARENT, _OWN),
    "records_office": (roles.STUDENT_RECORDS_OFFICE, _INSTITUTION),
    "cashier": (roles.CASHIER, _INSTITUTION),
    "vice_rector": (roles.VICE_RECTOR, _INSTITUTION),
    "applicant": (roles.APPLICANT, _OWN),
    "hr": (roles.HR, _INSTITUTION),
    "academic_affairs": (roles.ACADEMIC_AFFAIRS, _INSTITUTION),
}


# The cast's names, for tests that walk every member.
CAST_NAMES = sorted(CAST_SPEC)


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
    # A transactional test flushes the rows the data migration shipped.
    if not Role.objects.exists():
        roles.default_roles_install(Role, RoleRight, DataOwnership)
    by_code = {role.code: role for role in Role.objects.all()}
    for name, (code, scope) in CAST_ROLES.items():
        role_assign(by=None, user=users[name], role=by_code[code], scope=scope)
    guardianship_link(
        by=None, parent=users["parent"], child=users["student"], relation=GuardianRelation.MOTHER
    )
    return Cast(**users)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # argon2 is the production hasher; the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class University:
    """Two faculties whose ids are the deaneries' scopes, each with a department,
    a specialty and a group; group 1 (faculty A) is the curator's scope."""

    institution: object
    faculty_a: object
    faculty_b: object
    department_a: object
    department_b: object
    specialty_a: object
    specialty_b: object
    group_a: object
    group_b: object


@pytest.fixture
def university(db) -> University:
    from academic.structure import actions
    from academic.structure.models import DegreeLevel, Institution, StudyForm

    institution = Institution.objects.create(
        name_ky="Демо университети", name_ru="Демо-университет", name_en="Demo University"
    )
    made = {"institution": institution}
    for letter, pk, code in (("a", FACULTY_A, "580100"), ("b", FACULTY_B, "530100")):
        faculty = actions.faculty_create(
            by=None,
            pk=pk,
            code=f"F{pk}",
            name_ky=f"Факультет {letter.upper()} (ky)",
            name_ru=f"Факультет {letter.upper()}",
            name_en=f"Faculty {letter.upper()}",
        )
        department = actions.department_create(
            by=None,
            faculty=faculty,
            code=f"D{pk}",
            name_ky=f"Кафедра {pk} (ky)",
            name_ru=f"Кафедра {pk}",
        )
        specialty = actions.specialty_create(
            by=None,
            department=department,
            code=code,
            name_ky=f"Адистик {code}",
            name_ru=f"Специальность {code}",
            degree_level=DegreeLevel.BACHELOR,
            duration_years=4,
        )
        group = actions.group_create(
            by=None,
            pk=pk,
            name=f"ГР-{pk}-24",
            specialty=specialty,
            intake_year=2024,
            course=3,
            study_form=StudyForm.FULL_TIME,
            language="ky",
        )
        made |= {
            f"faculty_{letter}": faculty,
            f"department_{letter}": department,
            f"specialty_{letter}": specialty,
            f"group_{letter}": group,
        }
    return University(**made)


# --- Student records: the cast's students with personal files, admitted by a signed order ---

ADMITTED_ON = date(2024, 9, 1)


def personal_file(user, record_number: str, *, sex: str = Sex.MALE) -> Student:
    """A personal file for an existing user (the cast already has accounts)."""
    student = Student(user=user, record_number=record_number, sex=sex, birth_date=date(2005, 3, 14))
    student.refresh_search_text()
    student.save()
    return student


def admit(students, group, *, on: date = ADMITTED_ON, number: str = "1-A") -> None:
    """Sign an admission order putting `students` into `group` from `on`."""
    order = records_actions.order_create(
        by=None, kind=OrderKind.ADMISSION, number=number, date=on, effective_date=on
    )
    for student in students:
        records_actions.order_line_add(
            by=None, order=order, student=student, group=group, funding=Funding.BUDGET
        )
    records_actions.order_sign(by=None, order=order, signer="Ректор А. Асанов")


@dataclass
class Enrolled:
    """cast.student and cast.other_student studying in group A from ADMITTED_ON."""

    student: Student
    other_student: Student


def enrol_cast(cast, university) -> Enrolled:
    """cast.student and cast.other_student admitted into group A; made once, then found."""
    existing = {
        s.user_id: s for s in Student.objects.filter(user__in=[cast.student, cast.other_student])
    }
    if len(existing) == 2:
        return Enrolled(existing[cast.student.pk], existing[cast.other_student.pk])
    student = personal_file(cast.student, "24-0001")
    other = personal_file(cast.other_student, "24-0002", sex=Sex.FEMALE)
    admit([student, other], university.group_a)
    return Enrolled(student, other)


@pytest.fixture
def enrolled(cast, university) -> Enrolled:
    return enrol_cast(cast, university)


@pytest.fixture
def in_english():
    """Run the test body in English: actions called outside a request speak the
    default language (Kyrgyz), and these tests compare messages with the source."""
    from django.utils import translation

    with translation.override("en"):
        yield
