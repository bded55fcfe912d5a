"""Demo staff records: a step of hub.demo.seed (`seed_staff_records`).

Every demo teacher, curator and office user gets a personnel card, a post
given by a signed hiring order (teachers in the demo departments, office
staff in the administration), degrees and titles, and the departments get a
staff establishment with a few vacant rates. A signed award order and a
signed leave order show the other kinds. Rows are made with bulk_create,
only for users without a card, so a second run creates nothing; the values
depend on the seed and the usernames only.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from academic.staff.models import (
    AcademicDegree,
    AcademicTitle,
    AwardKind,
    Employee,
    Employment,
    Establishment,
    LeaveKind,
    OrderKind,
    OrderStatus,
    Position,
    PositionTitle,
    Sex,
    StaffOrder,
    StaffOrderLine,
)
from academic.staff.titles import position_titles_install
from academic.structure.models import Department
from hub.accounts.models import Cabinet, User

if TYPE_CHECKING:
    from hub.demo.seed import SeedContext

BATCH_SIZE = 1000
DEMO_CABINETS = (Cabinet.TEACHER, Cabinet.CURATOR, Cabinet.STAFF)
ADMINISTRATION = "Администрация"
# (degree, title, post) of teachers in turn: a realistic mix of a department.
TEACHER_PROFILES = (
    (AcademicDegree.DOCTOR, AcademicTitle.PROFESSOR, "professor"),
    (AcademicDegree.CANDIDATE, AcademicTitle.DOCENT, "docent"),
    (AcademicDegree.CANDIDATE, AcademicTitle.DOCENT, "docent"),
    (AcademicDegree.PHD, AcademicTitle.SENIOR_LECTURER, "senior_lecturer"),
    (AcademicDegree.NONE, AcademicTitle.NONE, "senior_lecturer"),
    (AcademicDegree.NONE, AcademicTitle.NONE, "lecturer"),
    (AcademicDegree.NONE, AcademicTitle.NONE, "assistant"),
)
NUMBER_BASES = {Cabinet.TEACHER: 10000, Cabinet.CURATOR: 20000, Cabinet.STAFF: 30000}
FEMALE_PATRONYMIC_ENDINGS = ("вна", "чна", "кызы")


def _year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def _number(user: User, index: int) -> str:
    digits = "".join(c for c in user.username if c.isdigit())
    serial = int(digits) if digits and user.cabinet != Cabinet.STAFF else index + 1
    return f"{NUMBER_BASES[user.cabinet] + serial:05d}"


def _sex(user: User) -> str:
    female = user.patronymic.endswith(FEMALE_PATRONYMIC_ENDINGS)
    return Sex.FEMALE if female else Sex.MALE


def _card(user: User, index: int, seed: int) -> Employee:
    rng = random.Random(f"{seed}:staff:{user.username}")
    birth = date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28))
    profile = TEACHER_PROFILES[index % len(TEACHER_PROFILES)]
    teaches = user.cabinet != Cabinet.STAFF
    return Employee(
        user=user,
        personnel_number=_number(user, index),
        birth_date=birth,
        sex=_sex(user),
        id_document=f"ID{rng.randint(1000000, 9999999)}",
        phone=f"+996 555 {rng.randint(100000, 999999)}",
        email=user.email,
        street=f"{rng.choice(['Чүй пр.', 'Манас пр.', 'Киев көч.', 'Токтогул көч.'])} "
        f"{rng.randint(1, 200)}",
        degree=profile[0] if teaches else AcademicDegree.NONE,
        title=profile[1] if teaches else AcademicTitle.NONE,
    )


def _post(employee: Employee, index: int, departments: list[Department], titles: dict) -> dict:
    if employee.user.cabinet == Cabinet.STAFF or not departments:
        return {
            "title": titles["specialist"],
            "office": ADMINISTRATION,
            "rate": Decimal("1.0"),
            "employment": Employment.MAIN,
        }
    code = TEACHER_PROFILES[index % len(TEACHER_PROFILES)][2]
    part_time = index % 6 == 5
    return {
        "title": titles[code],
        "department": departments[index % len(departments)],
        "rate": Decimal("0.5") if part_time else Decimal("1.0"),
        "employment": Employment.EXTERNAL if part_time else Employment.MAIN,
    }


def _signer() -> User:
    return (
        User.objects.filter(username="vice-rector").first()
        or User.objects.filter(cabinet__in=[Cabinet.STAFF, Cabinet.ADMIN]).order_by("pk").first()
    )


def _hire(cards: list[Employee], departments, titles, on: date, signer: User) -> None:
    """One signed hiring order for the new cards, and the posts it opened."""
    count = StaffOrder.objects.filter(kind=OrderKind.HIRING, number__endswith="-к").count()
    order = StaffOrder.objects.create(
        kind=OrderKind.HIRING,
        number=f"{count + 1}-к",
        date=on - timedelta(days=3),
        effective_date=on,
        signer=signer,
        reason="Эмгек келишими / Трудовой договор",
        status=OrderStatus.SIGNED,
        signed_at=timezone.now(),
    )
    posts = [_post(card, index, departments, titles) for index, card in enumerate(cards)]
    lines = StaffOrderLine.objects.bulk_create(
        [
            StaffOrderLine(order=order, employee=card, **post)
            for card, post in zip(cards, posts, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    Position.objects.bulk_create(
        [
            Position(employee=line.employee, valid_from=on, opened_by=line, **post)
            for line, post in zip(lines, posts, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )


def _single_order(kind: str, number: str, on: date, signer: User, lines: list) -> None:
    """A signed award or leave order, once: its number says it exists."""
    if not lines or StaffOrder.objects.filter(number=number).exists():
        return
    order = StaffOrder.objects.create(
        kind=kind,
        number=number,
        date=on,
        effective_date=on,
        signer=signer,
        status=OrderStatus.SIGNED,
        signed_at=timezone.now(),
    )
    for line in lines:
        line.order = order
    StaffOrderLine.objects.bulk_create(lines)


def _establishment(titles: dict) -> None:
    """Budget what is filled now plus half a rate of every post, where nothing is budgeted."""
    filled: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    open_posts = Position.objects.filter(valid_to__isnull=True, department__isnull=False)
    for department_id, title_id, rate in open_posts.values_list(
        "department_id", "title_id", "rate"
    ):
        filled[department_id, title_id] += rate
    budgeted = set(Establishment.objects.values_list("department_id", "title_id"))
    Establishment.objects.bulk_create(
        [
            Establishment(department_id=d, title_id=t, rates=rates + Decimal("0.5"))
            for (d, t), rates in sorted(filled.items())
            if (d, t) not in budgeted
        ]
    )


@transaction.atomic
def seed_staff_records(ctx: SeedContext) -> None:
    """Cards, posts, signed orders and the establishment for the demo staff (module docstring)."""
    position_titles_install(PositionTitle)
    titles = {title.code: title for title in PositionTitle.objects.all()}
    departments = list(Department.objects.order_by("code"))
    users = list(
        User.objects.filter(cabinet__in=DEMO_CABINETS, employee__isnull=True).order_by(
            "cabinet", "username"
        )
    )
    taken = set(Employee.objects.values_list("personnel_number", flat=True))
    cards = []
    for index, user in enumerate(users):
        card = _card(user, index, ctx.plan.seed)
        while card.personnel_number in taken:
            card.personnel_number = str(int(card.personnel_number) + 1)
        taken.add(card.personnel_number)
        cards.append(card)
    Employee.objects.bulk_create(cards, batch_size=BATCH_SIZE)
    signer = _signer()
    on = _year_start(timezone.localdate())
    if cards and signer is not None:
        _hire(cards, departments, titles, on, signer)
    if signer is not None:
        teachers = list(
            Employee.objects.filter(user__cabinet=Cabinet.TEACHER).order_by("personnel_number")
        )
        awards = [
            StaffOrderLine(
                employee=e, award_kind=AwardKind.GRATITUDE, text="Окутуудагы ийгиликтери үчүн"
            )
            for e in teachers[:3]
        ]
        _single_order(OrderKind.AWARD, "1-н", on + timedelta(days=60), signer, awards)
        summer = date(on.year + 1, 7, 1)
        leaves = [
            StaffOrderLine(
                employee=e,
                leave_kind=LeaveKind.ANNUAL,
                leave_from=summer,
                leave_to=summer + timedelta(days=55),
            )
            for e in teachers[3:5]
        ]
        _single_order(OrderKind.LEAVE, "1-о", summer - timedelta(days=14), signer, leaves)
    _establishment(titles)
