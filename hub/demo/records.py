"""The demo university's student records: a personal file for every demo student,
admitted into the demo groups by one signed admission order per intake year, and
a few expelled by an order of last spring, so histories and reports have content.

Idempotent: students who already have a file are left alone; a run with more
students files and admits only the new ones (round-robin over the active groups).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from academic.records.models import (
    ExpulsionReason,
    Funding,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
    Status,
    Student,
    StudentState,
    search_text_for,
)
from academic.records.signals import NAME_FIELDS
from academic.structure.models import Group, SoateLevel, SoateUnit
from hub.accounts.models import User
from hub.demo.names import Person

BATCH_SIZE = 1000
SIGNER = "Ректор Т. Абдыкадыров"
NATIONALITY = {"ky": "кыргыз", "ru": "орус"}
CITIZENSHIP = "Кыргыз Республикасы"
EXPELLED_EVERY = 150  # one student in EXPELLED_EVERY left last spring


def _year_start(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _pin(person: Person, birth: date, number: int) -> str:
    # A Kyrgyz PIN: 1 for women, 2 for men, the date of birth, then five digits.
    return f"{1 if person.sex == 'f' else 2}{birth:%d%m%Y}{number % 100_000:05d}"


def _signed_order(kind: str, number: str, on: date, effective: date) -> Order:
    order, _created = Order.objects.get_or_create(
        number=number,
        date=on,
        defaults={
            "kind": kind,
            "effective_date": effective,
            "status": OrderStatus.SIGNED,
            "signer": SIGNER,
            "signed_at": timezone.now(),
            "reason": "Демо",
        },
    )
    return order


@transaction.atomic
def records_seed(*, people: Iterable[tuple[int, Person]]) -> int:
    """File and admit the demo students `people` (number, person) who have no file yet.

    Returns how many files were created. Writes directly in bulk (demo data,
    not an office's act), so nothing is audited and no one is notified.
    """
    groups = list(Group.objects.filter(is_active=True).order_by("pk"))
    if not groups:
        return 0
    people = list(people)
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[f"student{i:05d}" for i, _p in people]).only(
            "pk", "username", *NAME_FIELDS
        )
    }
    filed = set(Student.objects.values_list("user_id", flat=True))
    places = list(
        SoateUnit.objects.exclude(level=SoateLevel.REGION)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    start = _year_start(timezone.localdate())
    students, placed = [], []
    for number, person in people:
        user = users.get(f"student{number:05d}")
        if user is None or user.pk in filed:
            continue
        group = groups[(number - 1) % len(groups)]
        birth = date(group.intake_year - 18, 1 + number % 12, 1 + number % 28)
        record_number = f"{group.intake_year % 100:02d}-{number:05d}"
        students.append(
            Student(
                user_id=user.pk,
                record_number=record_number,
                search_text=search_text_for(user, record_number),
                pin=_pin(person, birth, number),
                sex=person.sex,
                birth_date=birth,
                citizenship=CITIZENSHIP,
                nationality=NATIONALITY[person.nationality],
                document_number=f"ID{number:07d}",
                address_unit_id=places[number % len(places)] if places else None,
                address_street=f"{number % 120 + 1}-үй",
            )
        )
        placed.append((number, group))
    Student.objects.bulk_create(students, batch_size=BATCH_SIZE)
    _admit(list(zip(students, placed, strict=True)), start)
    return len(students)


def _admit(filed: list[tuple[Student, tuple[int, Group]]], start: int) -> None:
    by_intake: dict[int, list[tuple[Student, int, Group]]] = defaultdict(list)
    for student, (number, group) in filed:
        by_intake[group.intake_year].append((student, number, group))
    expelled: list[tuple[StudentState, OrderLine]] = []
    for intake, rows in sorted(by_intake.items()):
        order = _signed_order(
            OrderKind.ADMISSION, f"{intake}-К-1", date(intake, 8, 25), date(intake, 9, 1)
        )
        lines = OrderLine.objects.bulk_create(
            [OrderLine(order=order, student=s, group=g, funding=_funding(n)) for s, n, g in rows],
            batch_size=BATCH_SIZE,
        )
        states = StudentState.objects.bulk_create(
            [
                StudentState(
                    student=s,
                    status=Status.STUDYING,
                    group=g,
                    funding=line.funding,
                    valid_from=order.effective_date,
                    order_line=line,
                )
                for (s, n, g), line in zip(rows, lines, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        if intake < start:
            expelled += [
                (state, line)
                for (s, n, g), state, line in zip(rows, states, lines, strict=True)
                if n % EXPELLED_EVERY == 0
            ]
    _expel(expelled, date(start, 2, 1))


def _funding(number: int) -> str:
    return Funding.BUDGET if number % 4 == 0 else Funding.CONTRACT


def _expel(expelled: list[tuple[StudentState, OrderLine]], effective: date) -> None:
    if not expelled:
        return
    order = _signed_order(OrderKind.EXPULSION, f"{effective.year}-О-7", effective, effective)
    lines = OrderLine.objects.bulk_create(
        [
            OrderLine(order=order, student_id=state.student_id, expulsion_reason=reason)
            for i, (state, _line) in enumerate(expelled)
            for reason in [ExpulsionReason.NON_PAYMENT if i % 2 else ExpulsionReason.OWN_WISH]
        ],
        batch_size=BATCH_SIZE,
    )
    for state, _line in expelled:
        state.valid_to = effective
    StudentState.objects.bulk_update([s for s, _l in expelled], ["valid_to"], batch_size=BATCH_SIZE)
    StudentState.objects.bulk_create(
        [
            StudentState(
                student_id=state.student_id,
                status=Status.EXPELLED,
                group_id=state.group_id,
                funding=state.funding,
                valid_from=effective,
                order_line=line,
            )
            for (state, _l), line in zip(expelled, lines, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
