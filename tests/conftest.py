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

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.test.utils import override_settings

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

# --- Rows shared by consecutive tests ----------------------------------------------------
#
# The cast, the university and the grades plans cost tenths of a second each, and
# most tests take them. As Django's TestCase.setUpTestData does, each is made once
# inside a transaction that stays open while the tests that follow take the same
# ones (each test runs in a savepoint rolled back after it). A test sees exactly
# the rows of the fixtures it asks for, as before: before its database is set up,
# the shared transactions of fixtures it does not take are rolled back, and those
# it takes are opened. Each test gets fresh Python objects of the rows.
# Transactional tests commit and flush, so they never run inside one: they roll
# all back and make their own rows.

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class SharedLayer:
    """Rows a fixture named `name` makes once; `build` gets the open layers' values by name."""

    name: str
    build: Callable[[dict[str, object]], object]
    under: Path | None = None  # shared only with the tests in this folder
    order: int = 0  # outer layers first: the cheap, often changing ones innermost

    def wanted_by(self, item: pytest.Item) -> bool:
        if self.name not in getattr(item, "fixturenames", ()):
            return False
        return self.under is None or Path(item.path).is_relative_to(self.under)


@dataclass
class _OpenLayer:
    layer: SharedLayer
    atomic: object
    value: object = None


_layers: dict[str, SharedLayer] = {}
_open: list[_OpenLayer] = []


def session_queries() -> int:
    """The statements a request spends reading its session: none where sessions are read
    from the shared cache (with Redis: cached_db), one where from the database."""
    from django.conf import settings

    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


def shared_layer(name: str, build, *, order: int, under: Path | None = None) -> None:
    """Let fixture `name` share its rows between consecutive tests; layers nest by `order`.

    `build` is given the values of the layers of lower order, which `name` needs.
    """
    _layers[name] = SharedLayer(name, build, under, order)
    ordered = sorted(_layers.values(), key=lambda layer: layer.order)
    _layers.clear()
    _layers.update((layer.name, layer) for layer in ordered)


def shared(name: str):
    """The value of layer `name` if this test runs inside it, else None (the test builds its own)."""
    for layer in _open:
        if layer.layer.name == name:
            return layer.value
    return None


def _close_from(depth: int, blocker) -> None:
    with blocker.unblock():
        while len(_open) > depth:
            layer = _open.pop()
            transaction.set_rollback(True)
            layer.atomic.__exit__(None, None, None)


def _overrides_a_layer(item: pytest.Item) -> bool:
    # A folder's own version of a shared fixture (tests/audit's cast deletes the audit
    # entries written before it) may depend on what the test made before it: such
    # tests share nothing, so everything is made in the order the test asks for it.
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", None)
    if defs is None:
        return True
    return any(len(defs.get(name, ())) > 1 for name in _layers)


def _open_for(item: pytest.Item, blocker) -> None:
    wanted = [x for x in _layers.values() if x.wanted_by(item)]
    if wanted and (is_transactional(item) or _overrides_a_layer(item)):
        wanted = []
    kept = 0
    while kept < min(len(wanted), len(_open)) and _open[kept].layer is wanted[kept]:
        kept += 1
    _close_from(kept, blocker)
    with blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        for layer in wanted[kept:]:
            atomic = transaction.atomic()
            atomic.__enter__()
            opened = _OpenLayer(layer, atomic)
            _open.append(opened)
            try:
                opened.value = layer.build({x.layer.name: x.value for x in _open})
            except BaseException:
                _close_from(0, blocker)
                raise


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs `item` as a TransactionTestCase (or a unittest class)."""
    from django.test import SimpleTestCase

    if isinstance(getattr(item, "cls", None), type) and issubclass(item.cls, SimpleTestCase):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        fixtures
        & {"transactional_db", "live_server", "django_db_reset_sequences",
           "django_db_serialized_rollback"}
    )  # fmt: skip


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # A test outside pytest-django's per-test transaction (no database, or its own
    # unittest class) must not run inside the shared ones either.
    uses_db = item.get_closest_marker("django_db") or "_django_db_helper" in getattr(
        item, "fixturenames", ()
    )
    if _open and (not uses_db or is_transactional(item)):
        from pytest_django.plugin import blocking_manager_key

        _close_from(0, item.config.stash[blocking_manager_key])


@pytest.fixture(scope="session")
def _shared_layers_session(django_db_setup, django_db_blocker):
    yield
    _close_from(0, django_db_blocker)  # before the test database goes


@pytest.fixture
def _shared_layers(request, _shared_layers_session, django_db_blocker):
    _open_for(request.node, django_db_blocker)


@pytest.fixture
def _django_db_helper(_shared_layers, _django_db_helper):
    """pytest-django's per-test database set-up, inside the shared layers this test takes."""
    return _django_db_helper


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


def cast_build() -> Cast:
    """The cast's accounts, roles and the parent's link, made through the actions."""
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


shared_layer("cast", lambda _: cast_build(), order=10)


@pytest.fixture
def cast(db) -> Cast:
    made = shared("cast")
    if made is None:
        return cast_build()
    # Fresh instances each test: a test may change (and cache rights on) its users.
    users = User.objects.in_bulk([user.pk for user in vars(made).values()])
    return Cast(**{name: users[user.pk] for name, user in vars(made).items()})


@pytest.fixture(autouse=True)
def _fresh_channel_layers():
    """Each test gets channel layers of its own.

    The Redis layer keeps asyncio locks bound to the event loop that first used
    them; a test whose loop ends while a consumer still waits in `receive` leaves
    a held lock that every later test's loop is refused.
    """
    yield
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _socket_database_threads(request, settings):
    """Sockets' database calls leave the test's thread only in tests that commit.

    A test inside one transaction (django_db without transaction=True) holds its
    rows on its own connection: a call on another thread has a connection of its
    own and would not see them (realtime/db.py).
    """
    marker = request.node.get_closest_marker("django_db")
    commits = (marker is not None and marker.kwargs.get("transaction", False)) or (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if not commits:
        settings.REALTIME_PARALLEL_DB = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # argon2 is the production hasher; the suite creates many users.
    settings.PASSWORD_HASHERS = FAST_HASHERS


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


def university_build() -> University:
    """Both faculties with their department, specialty and group, made through the actions."""
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


shared_layer("university", lambda _: university_build(), order=20)


@pytest.fixture
def university(db) -> University:
    made = shared("university")
    return university_build() if made is None else copy.deepcopy(made)


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


# Innermost: cheap, and the grades plans (order 30, 40) outlive its changes.
shared_layer("enrolled", lambda made: enrol_cast(made["cast"], made["university"]), order=90)


@pytest.fixture
def enrolled(cast, university) -> Enrolled:
    made = shared("enrolled")
    if made is None:
        return enrol_cast(cast, university)
    # The personal files read afresh, each pointing at this test's cast users.
    found = Student.objects.in_bulk([made.student.pk, made.other_student.pk])
    student, other = found[made.student.pk], found[made.other_student.pk]
    student.user, other.user = cast.student, cast.other_student
    return Enrolled(student, other)


@pytest.fixture
def in_english():
    """Run the test body in English: actions called outside a request speak the
    default language (Kyrgyz), and these tests compare messages with the source."""
    from django.utils import translation

    with translation.override("en"):
        yield
