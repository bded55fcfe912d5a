"""Seed a demo university: users for every cabinet, idempotently and fast.

`seed_demo(students=N, seed=S)` runs STEPS in order. Each step knows how many
rows it plans (for the progress total) and creates only the rows that are
missing, so running it twice changes nothing and running it with more
students adds only the new ones. Usernames are fixed by role and number
(`student00042`), names come from `hub.demo.names` seeded with S.

Later steps (curricula, student records…) are added to STEPS as the academic
apps appear.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from academic.curricula.demo import curricula_planned, seed_curricula
from academic.grades.demo import grades_planned, seed_grades
from academic.staff.demo import seed_staff_records as staff_records_seed
from academic.structure.models import Group
from hub.accounts import roles
from hub.accounts.models import (
    Cabinet,
    DataOwnership,
    GuardianRelation,
    Guardianship,
    Role,
    RoleAssignment,
    RoleRight,
    ScopeKind,
    User,
)
from hub.demo.names import NameGenerator, Person
from hub.demo.records import records_seed
from hub.demo.structure import groups_planned, structure_seed
from hub.learning.demo import seed_ecourses

# One password for every demo account, so the login table fits on a screen.
# It passes Django's validators (length, not common, not numeric, unlike the
# usernames); tests/demo checks that. Demo data only: never seed production.
DEMO_PASSWORD = "demo-2026"  # noqa: S105
BATCH_SIZE = 1000
MAX_STUDENTS = 20_000

ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Office:
    username: str
    title: str | Promise
    role: str
    cabinet: str = Cabinet.STAFF
    # Faculties are numbered until academic.structure seeds real ones.
    faculty: int | None = None


OFFICES = [
    Office("administrator", _("Administrator"), roles.SYSTEM_ADMINISTRATOR, Cabinet.ADMIN),
    Office("rector-office", _("Rector's office"), roles.RECTORATE),
    Office("vice-rector", _("Vice-rector for academic affairs"), roles.VICE_RECTOR),
    Office("academic-affairs", _("Academic affairs office"), roles.ACADEMIC_AFFAIRS),
    Office("records-office", _("Student records office"), roles.STUDENT_RECORDS_OFFICE),
    Office("hr", _("Human resources"), roles.HR),
    Office("cashier", _("Cashier"), roles.CASHIER),
    Office("admissions", _("Admissions committee"), roles.ADMISSIONS_COMMITTEE),
    Office("deanery-a", _("Deanery, faculty A"), roles.DEANERY, faculty=1),
    Office("deanery-b", _("Deanery, faculty B"), roles.DEANERY, faculty=2),
]

# Everyone else holds the role of their cabinet over their own data.
CABINET_ROLES = {
    Cabinet.TEACHER: roles.TEACHER,
    Cabinet.CURATOR: roles.CURATOR,
    Cabinet.STUDENT: roles.STUDENT,
    Cabinet.PARENT: roles.PARENT,
    Cabinet.APPLICANT: roles.APPLICANT,
}


@dataclass(frozen=True)
class SeedPlan:
    students: int
    seed: int

    @property
    def teachers(self) -> int:
        """Teachers who are not curators: about one teaching person per 15 students."""
        return max(6, math.ceil(self.students / 15)) - self.curators

    @property
    def curators(self) -> int:
        """One curator per academic group of about 30 students."""
        return max(2, math.ceil(self.students / 30))

    @property
    def parent_every(self) -> int:
        return 4  # every fourth student has a parent account

    @property
    def parents(self) -> int:
        return math.ceil(self.students / self.parent_every)

    @property
    def applicants(self) -> int:
        return 3


@dataclass
class SeedSummary:
    students: int
    seed: int
    password: str
    created: dict[str, int] = field(default_factory=dict)
    total_created: int = 0
    # (role title, username) of one account per role, for the login table.
    logins: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with role titles in the active language."""
        return {
            "students": self.students,
            "seed": self.seed,
            "password": self.password,
            "created": dict(self.created),
            "total_created": self.total_created,
            "logins": [{"role": str(role), "username": name} for role, name in self.logins],
            "seconds": round(self.seconds, 2),
        }


@dataclass
class UserRow:
    username: str
    cabinet: str
    person: Person
    is_superuser: bool = False


class SeedContext:
    """What the steps share: the plan, the one password hash, counters, progress."""

    def __init__(self, plan: SeedPlan, total: int, progress: ProgressFn | None) -> None:
        self.plan = plan
        self.total = total
        self.done = 0
        self.progress = progress
        # Hashed once: argon2 for 20,000 users one by one would take minutes.
        self.password_hash = make_password(DEMO_PASSWORD)
        self.created: Counter[str] = Counter()
        self.logins: list[tuple[str, str]] = []
        self.step_title: str | Promise = ""

    def names(self, stream: str) -> NameGenerator:
        # One stream per role, so more students never change the teachers' names.
        return NameGenerator(f"{self.plan.seed}:{stream}")

    def advance(self, count: int, message: str | Promise) -> None:
        self.done = min(self.total, self.done + count)
        if self.progress is not None:
            self.progress(self.done, self.total, str(message))

    def create_users(self, rows: Iterable[UserRow]) -> None:
        """Insert the rows whose usernames do not exist yet, BATCH_SIZE at a time."""
        batch: list[UserRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                self._insert(batch)
                batch = []
        if batch:
            self._insert(batch)

    def _insert(self, batch: list[UserRow]) -> None:
        usernames = [row.username for row in batch]
        with transaction.atomic():
            existing = set(
                User.objects.filter(username__in=usernames).values_list("username", flat=True)
            )
            users = [self._user(row) for row in batch if row.username not in existing]
            # ignore_conflicts: a seed running at the same time may have won the race.
            User.objects.bulk_create(users, batch_size=BATCH_SIZE, ignore_conflicts=True)
        for user in users:
            self.created[user.cabinet] += 1
        self.advance(len(batch), self.step_title)

    def _user(self, row: UserRow) -> User:
        person = row.person
        return User(
            username=row.username,
            password=self.password_hash,
            cabinet=row.cabinet,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            last_name_latin=person.last_name_latin,
            first_name_latin=person.first_name_latin,
            patronymic_latin=person.patronymic_latin,
            language=person.nationality,
            is_staff=row.is_superuser,
            is_superuser=row.is_superuser,
        )


@dataclass(frozen=True)
class Step:
    title: str | Promise
    size: Callable[[SeedPlan], int]
    run: Callable[[SeedContext], None]


def seed_staff(ctx: SeedContext) -> None:
    names = ctx.names("staff")
    rows = [
        UserRow(office.username, office.cabinet, names.person(), office.cabinet == Cabinet.ADMIN)
        for office in OFFICES
    ]
    ctx.create_users(rows)
    ctx.logins += [(office.title, office.username) for office in OFFICES]


def seed_teachers(ctx: SeedContext) -> None:
    names = ctx.names("teachers")
    rows = [
        UserRow(f"teacher{i:04d}", Cabinet.TEACHER, names.person())
        for i in range(1, ctx.plan.teachers + 1)
    ]
    names = ctx.names("curators")
    rows += [
        UserRow(f"curator{i:04d}", Cabinet.CURATOR, names.person())
        for i in range(1, ctx.plan.curators + 1)
    ]
    ctx.create_users(rows)
    ctx.logins += [(_("Teacher"), "teacher0001"), (_("Curator"), "curator0001")]


def _students(ctx: SeedContext) -> Iterable[tuple[int, Person]]:
    names = ctx.names("students")
    for i in range(1, ctx.plan.students + 1):
        yield i, names.person()


def seed_students(ctx: SeedContext) -> None:
    rows = (UserRow(f"student{i:05d}", Cabinet.STUDENT, p) for i, p in _students(ctx))
    ctx.create_users(rows)
    ctx.logins.append((_("Student"), "student00001"))


def seed_parents(ctx: SeedContext) -> None:
    # A parent shares the family name of their child (student number i).
    names = ctx.names("parents")

    def rows() -> Iterable[UserRow]:
        for i, child in _students(ctx):
            if (i - 1) % ctx.plan.parent_every == 0:
                parent = names.father_of(child) if i % 2 else names.mother_of(child)
                yield UserRow(f"parent{i:05d}", Cabinet.PARENT, parent)

    ctx.create_users(rows())
    ctx.logins.append((_("Parent"), "parent00001"))


def seed_applicants(ctx: SeedContext) -> None:
    names = ctx.names("applicants")
    rows = [
        UserRow(f"applicant{i}", Cabinet.APPLICANT, names.person())
        for i in range(1, ctx.plan.applicants + 1)
    ]
    ctx.create_users(rows)
    ctx.logins.append((_("Applicant"), "applicant1"))


def _office_scope(office: Office) -> tuple[str, int | None]:
    if office.faculty is not None:
        return ScopeKind.FACULTY, office.faculty
    return ScopeKind.INSTITUTION, None


def seed_structure(ctx: SeedContext) -> None:
    """Faculties 1 and 2 (the demo deaneries' scopes), departments, specialties,
    the current academic year, groups for the planned students, curators, rooms."""
    structure_seed(students=ctx.plan.students)
    ctx.advance(groups_planned(ctx.plan.students), _("University structure"))


def seed_roles(ctx: SeedContext) -> None:
    """Give every demo account the role of its office or cabinet, and parents their child.

    Only missing assignments are inserted, so a second run adds nothing.
    """
    # The shipped roles come with migration 0003; a flushed test database lacks them.
    roles.default_roles_install(Role, RoleRight, DataOwnership)
    by_code = {role.code: role for role in Role.objects.all()}
    offices = {office.username: office for office in OFFICES}
    held = set(RoleAssignment.objects.values_list("user_id", "role_id"))
    assignments = []
    users = User.objects.filter(cabinet__in=[*CABINET_ROLES, Cabinet.STAFF, Cabinet.ADMIN])
    for user_id, username, cabinet in users.values_list("id", "username", "cabinet").iterator():
        office = offices.get(username)
        code = office.role if office else CABINET_ROLES.get(cabinet)
        if code is None or (user_id, by_code[code].pk) in held:
            continue
        kind, unit = _office_scope(office) if office else (ScopeKind.OWN, None)
        assignments.append(
            RoleAssignment(user_id=user_id, role=by_code[code], scope_kind=kind, scope_id=unit)
        )
    # Curators hold the curator role over each group they curate, too.
    curator = by_code[roles.CURATOR]
    scoped = set(
        RoleAssignment.objects.filter(role=curator, scope_kind=ScopeKind.GROUP).values_list(
            "user_id", "scope_id"
        )
    )
    for group_id, curator_id in Group.objects.filter(curator__isnull=False).values_list(
        "pk", "curator_id"
    ):
        if (curator_id, group_id) not in scoped:
            assignments.append(
                RoleAssignment(
                    user_id=curator_id, role=curator, scope_kind=ScopeKind.GROUP, scope_id=group_id
                )
            )
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE, ignore_conflicts=True)
    ctx.advance(0, _("Roles"))

    ids = dict(
        User.objects.filter(cabinet__in=[Cabinet.PARENT, Cabinet.STUDENT]).values_list(
            "username", "id"
        )
    )
    linked = set(Guardianship.objects.values_list("parent_id", "child_id"))
    links = []
    for username, parent_id in ids.items():
        if not username.startswith("parent"):
            continue
        number = username.removeprefix("parent")
        child_id = ids.get("student" + number)
        if child_id is None or (parent_id, child_id) in linked:
            continue
        # seed_parents made fathers of odd-numbered students, mothers of even ones.
        relation = GuardianRelation.FATHER if int(number) % 2 else GuardianRelation.MOTHER
        links.append(Guardianship(parent_id=parent_id, child_id=child_id, relation=relation))
    Guardianship.objects.bulk_create(links, batch_size=BATCH_SIZE, ignore_conflicts=True)


def seed_staff_records(ctx: SeedContext) -> None:
    """Personnel cards, posts and signed staff orders for the demo staff."""
    staff_records_seed(ctx)
    ctx.advance(_staff_count(ctx.plan), _("Staff records"))


def _staff_count(plan: SeedPlan) -> int:
    # Teachers, curators and office staff get cards; the administrator's account does not.
    offices = sum(1 for office in OFFICES if office.cabinet == Cabinet.STAFF)
    return plan.teachers + plan.curators + offices


def seed_records(ctx: SeedContext) -> None:
    """Personal files for the demo students, admitted into the demo groups by orders."""
    records_seed(people=_students(ctx))
    ctx.advance(ctx.plan.students, _("Student records"))


STEPS: list[Step] = [
    Step(_("Administration and offices"), lambda plan: len(OFFICES), seed_staff),
    Step(_("Teachers and curators"), lambda plan: plan.teachers + plan.curators, seed_teachers),
    Step(_("Students"), lambda plan: plan.students, seed_students),
    Step(_("Parents"), lambda plan: plan.parents, seed_parents),
    Step(_("Applicants"), lambda plan: plan.applicants, seed_applicants),
    Step(_("University structure"), lambda plan: groups_planned(plan.students), seed_structure),
    Step(_("Curricula"), curricula_planned, seed_curricula),
    Step(_("Roles"), lambda plan: 0, seed_roles),
    Step(_("Staff records"), _staff_count, seed_staff_records),
    Step(_("Student records"), lambda plan: plan.students, seed_records),
    Step(_("Courses and exam sheets"), grades_planned, seed_grades),
    Step(_("E-courses"), lambda plan: 0, seed_ecourses),
]


def seed_demo(*, students: int, seed: int, progress: ProgressFn | None = None) -> SeedSummary:
    """Create the demo university's users for every cabinet; existing ones are kept.

    Writes users only (in batches of BATCH_SIZE, one transaction each, so a
    job's progress stays visible); notifies no one itself — `progress(done,
    total, message)` is called after every batch. Raises ValueError when
    `students` is outside 1..MAX_STUDENTS.
    """
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"students must be between 1 and {MAX_STUDENTS}, not {students}")
    started = time.monotonic()
    plan = SeedPlan(students=students, seed=seed)
    ctx = SeedContext(plan, total=sum(step.size(plan) for step in STEPS), progress=progress)
    for step in STEPS:
        ctx.step_title = step.title
        step.run(ctx)
    return SeedSummary(
        students=students,
        seed=seed,
        password=DEMO_PASSWORD,
        created=dict(ctx.created),
        total_created=sum(ctx.created.values()),
        logins=ctx.logins,
        seconds=time.monotonic() - started,
    )
