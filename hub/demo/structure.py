"""The demo university's structure: faculties, departments, specialties, groups, rooms.

One step of seed_demo. Faculties keep ids 1 and 2, the scopes the demo
deaneries are given. Groups are sized for about GROUP_SIZE students each;
students are not put into them here (that is the records office's job).
Everything is looked up by its code or name first, so a second run creates
nothing and a run with more students only adds groups.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from academic.structure.models import (
    AcademicYear,
    DegreeLevel,
    Department,
    Faculty,
    Group,
    GroupCuratorship,
    Institution,
    InstructionLanguage,
    Room,
    RoomType,
    Specialty,
    StudyForm,
    Term,
)
from hub.accounts.models import Cabinet, User
from hub.writes import sequences_reset

GROUP_SIZE = 25
COURSES = 4

# (faculty id, code, ky, ru, en, [(department code, ky, ru, en, [(specialty code,
#  abbreviation, ky, ru, en, forms)])])
FULL, PART = StudyForm.FULL_TIME, StudyForm.PART_TIME
FACULTIES = [
    (
        1,
        "FIT",
        "Маалыматтык технологиялар факультети",
        "Факультет информационных технологий",
        "Faculty of Information Technology",
        [
            (
                "PI",
                "Программалык инженерия кафедрасы",
                "Кафедра программной инженерии",
                "Department of Software Engineering",
                [
                    (
                        "710400",
                        "ПИ",
                        "Программалык инженерия",
                        "Программная инженерия",
                        "Software Engineering",
                        (FULL, PART),
                    ),
                    (
                        "510200",
                        "ПМИ",
                        "Колдонмо математика жана информатика",
                        "Прикладная математика и информатика",
                        "Applied Mathematics and Informatics",
                        (FULL,),
                    ),
                ],
            ),
            (
                "IVT",
                "Эсептөө техникасы кафедрасы",
                "Кафедра вычислительной техники",
                "Department of Computer Engineering",
                [
                    (
                        "710200",
                        "ИВТ",
                        "Информатика жана эсептөө техникасы",
                        "Информатика и вычислительная техника",
                        "Informatics and Computer Engineering",
                        (FULL,),
                    ),
                ],
            ),
            (
                "IB",
                "Маалыматтык коопсуздук кафедрасы",
                "Кафедра информационной безопасности",
                "Department of Information Security",
                [
                    (
                        "710500",
                        "ИБ",
                        "Маалыматтык коопсуздук",
                        "Информационная безопасность",
                        "Information Security",
                        (FULL,),
                    ),
                ],
            ),
        ],
    ),
    (
        2,
        "FEM",
        "Экономика жана менеджмент факультети",
        "Факультет экономики и менеджмента",
        "Faculty of Economics and Management",
        [
            (
                "EK",
                "Экономика кафедрасы",
                "Кафедра экономики",
                "Department of Economics",
                [
                    ("580100", "ЭК", "Экономика", "Экономика", "Economics", (FULL, PART)),
                    (
                        "580300",
                        "БУ",
                        "Бухгалтердик эсеп жана аудит",
                        "Бухгалтерский учёт и аудит",
                        "Accounting and Audit",
                        (FULL,),
                    ),
                ],
            ),
            (
                "MN",
                "Менеджмент кафедрасы",
                "Кафедра менеджмента",
                "Department of Management",
                [
                    ("580200", "МН", "Менеджмент", "Менеджмент", "Management", (FULL, PART)),
                ],
            ),
        ],
    ),
]

ROOMS = [
    ("Башкы корпус", "101", 120, RoomType.LECTURE_HALL),
    ("Башкы корпус", "102", 120, RoomType.LECTURE_HALL),
    ("Башкы корпус", "201", 30, RoomType.SEMINAR),
    ("Башкы корпус", "202", 30, RoomType.SEMINAR),
    ("Башкы корпус", "203", 30, RoomType.SEMINAR),
    ("Башкы корпус", "204", 30, RoomType.SEMINAR),
    ("Башкы корпус", "301", 25, RoomType.COMPUTER_CLASS),
    ("Башкы корпус", "302", 25, RoomType.COMPUTER_CLASS),
    ("Башкы корпус", "303", 25, RoomType.COMPUTER_CLASS),
    ("Башкы корпус", "Спортзал", 60, RoomType.GYM),
    ("№2 корпус", "110", 90, RoomType.LECTURE_HALL),
    ("№2 корпус", "210", 30, RoomType.SEMINAR),
    ("№2 корпус", "211", 30, RoomType.SEMINAR),
    ("№2 корпус", "212", 30, RoomType.SEMINAR),
    ("№2 корпус", "213", 30, RoomType.SEMINAR),
    ("№2 корпус", "310", 20, RoomType.LAB),
    ("№2 корпус", "311", 20, RoomType.LAB),
    ("№2 корпус", "312", 25, RoomType.COMPUTER_CLASS),
    ("№2 корпус", "313", 25, RoomType.COMPUTER_CLASS),
    ("№2 корпус", "Спортзал", 40, RoomType.GYM),
]


def _slots() -> list[tuple[str, str, int]]:
    """(specialty code, abbreviation, study form) for every kind of group, in order."""
    return [
        (code, abbreviation, form)
        for *_faculty, departments in FACULTIES
        for *_department, specialties in departments
        for code, abbreviation, _ky, _ru, _en, forms in specialties
        for form in forms
    ]


def groups_planned(students: int) -> int:
    """How many groups `students` fill at about GROUP_SIZE each, every slot and course at least one."""
    slots = len(_slots()) * COURSES
    per_slot = max(1, math.ceil(math.ceil(students / GROUP_SIZE) / slots))
    return per_slot * slots


def _year_start(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _units() -> dict[str, Specialty]:
    institution = Institution.objects.order_by("pk").first() or Institution.objects.create(
        name_ky="Демо университети",
        name_ru="Демо-университет",
        name_en="eBilim Demo University",
        short_name="ДУ",
    )
    faculties = []
    departments = []
    specialties = []
    for faculty_id, code, ky, ru, en, faculty_departments in FACULTIES:
        faculties.append(
            Faculty(
                pk=faculty_id,
                institution=institution,
                code=code,
                name_ky=ky,
                name_ru=ru,
                name_en=en,
            )
        )
        for d_code, d_ky, d_ru, d_en, department_specialties in faculty_departments:
            departments.append(
                (faculty_id, Department(code=d_code, name_ky=d_ky, name_ru=d_ru, name_en=d_en))
            )
            for s_code, _abbr, s_ky, s_ru, s_en, _forms in department_specialties:
                specialties.append(
                    (
                        d_code,
                        Specialty(
                            code=s_code,
                            name_ky=s_ky,
                            name_ru=s_ru,
                            name_en=s_en,
                            degree_level=DegreeLevel.BACHELOR,
                            duration_years=Decimal(4),
                        ),
                    )
                )
    existing = set(Faculty.objects.values_list("pk", flat=True))
    Faculty.objects.bulk_create([f for f in faculties if f.pk not in existing])
    sequences_reset(Faculty)
    existing = set(Department.objects.values_list("code", flat=True))
    for faculty_id, department in departments:
        department.faculty_id = faculty_id
    Department.objects.bulk_create([d for _f, d in departments if d.code not in existing])
    department_ids = dict(Department.objects.values_list("code", "pk"))
    existing = set(Specialty.objects.values_list("code", flat=True))
    for d_code, specialty in specialties:
        specialty.department_id = department_ids[d_code]
    Specialty.objects.bulk_create([s for _d, s in specialties if s.code not in existing])
    return {s.code: s for s in Specialty.objects.all()}


def _academic_year(start: int) -> None:
    if AcademicYear.objects.filter(name=f"{start}–{start + 1}").exists():
        return
    AcademicYear.objects.filter(is_current=True).update(is_current=False)
    year = AcademicYear.objects.create(
        name=f"{start}–{start + 1}",
        starts_on=date(start, 9, 1),
        ends_on=date(start + 1, 6, 30),
        is_current=True,
    )
    Term.objects.bulk_create(
        [
            Term(
                academic_year=year,
                number=1,
                starts_on=date(start, 9, 1),
                ends_on=date(start + 1, 1, 31),
            ),
            Term(
                academic_year=year,
                number=2,
                starts_on=date(start + 1, 2, 1),
                ends_on=date(start + 1, 6, 30),
            ),
        ]
    )


def _groups(specialties: dict[str, Specialty], students: int, start: int) -> list[Group]:
    slots = _slots()
    per_slot = groups_planned(students) // (len(slots) * COURSES)
    existing = set(Group.objects.values_list("name", flat=True))
    groups = []
    for code, abbreviation, form in slots:
        suffix = "" if form == FULL else "з"  # заочное: part-time groups are marked
        for course in range(1, COURSES + 1):
            intake = start - course + 1
            for number in range(1, per_slot + 1):
                name = f"{abbreviation}{suffix}-{number}-{intake % 100:02d}"
                if name in existing:
                    continue
                language = (
                    InstructionLanguage.RUSSIAN if number % 3 == 0 else InstructionLanguage.KYRGYZ
                )
                groups.append(
                    Group(
                        name=name,
                        specialty=specialties[code],
                        intake_year=intake,
                        course=course,
                        study_form=form,
                        language=language,
                    )
                )
    return Group.objects.bulk_create(groups, batch_size=1000)


def _curators(today: date) -> None:
    curators = list(
        User.objects.filter(cabinet=Cabinet.CURATOR, is_active=True)
        .order_by("username")
        .values_list("pk", flat=True)
    )
    if not curators:
        return
    without = list(Group.objects.filter(curator__isnull=True, is_active=True).order_by("pk"))
    offset = Group.objects.filter(curator__isnull=False).count()
    rows = []
    for i, group in enumerate(without, start=offset):
        group.curator_id = curators[i % len(curators)]
        rows.append(GroupCuratorship(group=group, curator_id=group.curator_id, valid_from=today))
    Group.objects.bulk_update(without, ["curator"], batch_size=1000)
    GroupCuratorship.objects.bulk_create(rows, batch_size=1000)


def _rooms() -> None:
    existing = set(Room.objects.values_list("building", "number"))
    Room.objects.bulk_create(
        [
            Room(building=b, number=n, capacity=c, type=t)
            for b, n, c, t in ROOMS
            if (b, n) not in existing
        ]
    )


@transaction.atomic
def structure_seed(*, students: int) -> None:
    """Create whatever of the demo structure is missing (see the module docstring)."""
    today = timezone.localdate()
    start = _year_start(today)
    specialties = _units()
    _academic_year(start)
    _groups(specialties, students, start)
    _curators(today)
    _rooms()
