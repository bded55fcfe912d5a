"""The roles the regulation names, shipped with eBilim, and who owns which data.

These are defaults: the administrator edits rights and ownership afterwards
(AC-7) and may add roles; the shipped roles themselves cannot be deleted.
`default_roles_install` is used by the data migration and by the test cast,
and never overwrites what an administrator has changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.accounts.models import DataKind, Level, Module, RoleKind, ScopeKind

M = Module
V, E, A = Level.VIEW, Level.EDIT, Level.APPROVE


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name_ky: str
    name_ru: str
    name_en: str
    rights: dict[str, int]
    scope: str = ScopeKind.INSTITUTION
    kind: str = RoleKind.FULL
    description: str = field(default="")


SYSTEM_ADMINISTRATOR = "system_administrator"
VICE_RECTOR = "vice_rector_academic"
RECTORATE = "rectorate"
STUDENT_RECORDS_OFFICE = "student_records_office"
HR = "hr"
CASHIER = "cashier"
ACADEMIC_AFFAIRS = "academic_affairs"
ADMISSIONS_COMMITTEE = "admissions_committee"
DEANERY = "deanery"
DEPARTMENT = "department"
DISTANCE_LEARNING = "distance_learning"
COLLEGE_STAFF = "college_staff"
SINGLE_WINDOW = "single_window"
LIBRARIAN = "librarian"
TEACHER = "teacher"
CURATOR = "curator"
STUDENT = "student"
PARENT = "parent"
APPLICANT = "applicant"

_ALL = list(Module.values)

DEFAULT_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        SYSTEM_ADMINISTRATOR,
        "Системанын администратору",
        "Системный администратор",
        "System administrator",
        dict.fromkeys(_ALL, A),
        description="Gives logins and rights, keeps reference data, backups and logs (AM).",
    ),
    RoleSpec(
        VICE_RECTOR,
        "Окуу иштери боюнча проректор",
        "Проректор по учебной работе",
        "Vice-rector for academic affairs",
        {**dict.fromkeys(_ALL, V), M.RECORDS: A, M.GRADES: A, M.CASHIER: A, M.ACCOUNTS: A},
        description="Approves deletions, blocking and drastic changes (AC-3).",
    ),
    RoleSpec(
        RECTORATE,
        "Ректорат",
        "Ректорат",
        "Rector's office",
        {**dict.fromkeys(_ALL, V), M.ANNOUNCEMENTS: E},
        description="Reads everything; announces to the whole university (TC-7).",
    ),
    RoleSpec(
        STUDENT_RECORDS_OFFICE,
        "Студенттик кадрлар бөлүмү",
        "Студенческий отдел кадров",
        "Student records office",
        {M.RECORDS: E, M.STRUCTURE: V, M.CURRICULA: V, M.GRADES: V, M.CASHIER: V},
        description="Enrolment, transfers, expulsions, leave: students' legal movements.",
    ),
    RoleSpec(
        HR,
        "Кадрлар бөлүмү",
        "Отдел кадров",
        "Human resources",
        {M.STAFF: E, M.STRUCTURE: V},
        description="Staff legal movements.",
    ),
    RoleSpec(
        CASHIER,
        "Бухгалтерия жана касса",
        "Бухгалтерия и касса",
        "Accounting and cashier",
        {M.CASHIER: E, M.RECORDS: V, M.STRUCTURE: V},
        description="Tuition payments.",
    ),
    RoleSpec(
        ACADEMIC_AFFAIRS,
        "Окуу бөлүмү",
        "Учебный отдел",
        "Academic affairs office",
        {
            M.CURRICULA: E,
            M.TIMETABLE: E,
            M.GRADES: V,
            M.WORKLOAD: V,
            M.RECORDS: V,
            M.STAFF: V,
            M.STRUCTURE: V,
        },
        description="Base and working curricula, timetable, transcripts.",
    ),
    RoleSpec(
        ADMISSIONS_COMMITTEE,
        "Кабыл алуу комиссиясы",
        "Приёмная комиссия",
        "Admissions committee",
        {M.ADMISSIONS: E, M.STRUCTURE: V, M.CURRICULA: V},
    ),
    RoleSpec(
        DEANERY,
        "Деканат",
        "Деканат",
        "Deanery",
        {
            M.GRADES: E,
            M.ANNOUNCEMENTS: E,
            M.AUDIT: V,
            M.RECORDS: V,
            M.CURRICULA: V,
            M.TIMETABLE: V,
            M.CASHIER: V,
            M.STRUCTURE: V,
            M.LEARNING: V,
        },
        scope=ScopeKind.FACULTY,
        description="Grades, exam sheets, academic debts of one faculty.",
    ),
    RoleSpec(
        DEPARTMENT,
        "Кафедра",
        "Кафедра",
        "Department",
        {
            M.WORKLOAD: E,
            M.CURRICULA: V,
            M.STAFF: V,
            M.TIMETABLE: V,
            M.STRUCTURE: V,
            M.AUDIT: V,
        },
        scope=ScopeKind.DEPARTMENT,
        description="Teaching workload and its fulfilment of one department.",
    ),
    RoleSpec(
        DISTANCE_LEARNING,
        "Аралыктан окутуу бөлүмү",
        "Отдел дистанционного обучения",
        "Distance-learning department",
        {
            M.LEARNING: E,
            M.TESTING: E,
            M.PROCTORING: E,
            M.WORKLOAD: E,
            M.RECORDS: V,
            M.CURRICULA: V,
            M.STRUCTURE: V,
        },
        description="E-courses, online tests and the workload of part-time study.",
    ),
    RoleSpec(
        COLLEGE_STAFF,
        "Колледждин кызматкери",
        "Сотрудник колледжа",
        "College staff",
        {
            M.GRADES: E,
            M.RECORDS: V,
            M.CURRICULA: V,
            M.TIMETABLE: V,
            M.STRUCTURE: V,
        },
        scope=ScopeKind.COLLEGE,
        description="The deanery's work for one college.",
    ),
    RoleSpec(
        SINGLE_WINDOW,
        "Бирдиктүү терезе",
        "Единое окно",
        "Single window",
        {M.SERVICES: E, M.RECORDS: V, M.STRUCTURE: V},
        description="Students' orders of certificates.",
    ),
    RoleSpec(
        LIBRARIAN,
        "Китепканачы",
        "Библиотекарь",
        "Librarian",
        {M.LIBRARY: E, M.STRUCTURE: V},
    ),
    RoleSpec(
        TEACHER,
        "Окутуучу",
        "Преподаватель",
        "Teacher",
        {
            M.LEARNING: E,
            M.TESTING: E,
            M.GRADES: E,
            M.TIMETABLE: V,
            M.WORKLOAD: V,
            M.LIBRARY: V,
            M.ANNOUNCEMENTS: V,
        },
        scope=ScopeKind.OWN,
        description="Own courses: journal, materials, tests.",
    ),
    RoleSpec(
        CURATOR,
        "Куратор",
        "Куратор",
        "Curator",
        {M.RECORDS: V, M.GRADES: V, M.CASHIER: V, M.TIMETABLE: V, M.ANNOUNCEMENTS: V},
        scope=ScopeKind.GROUP,
        description="Follows one group's performance and payments.",
    ),
    RoleSpec(
        STUDENT,
        "Студент",
        "Студент",
        "Student",
        {
            M.RECORDS: V,
            M.GRADES: V,
            M.TIMETABLE: V,
            M.CASHIER: V,
            M.LEARNING: V,
            M.TESTING: V,
            M.LIBRARY: V,
            M.SERVICES: V,
            M.ANNOUNCEMENTS: V,
        },
        scope=ScopeKind.OWN,
        kind=RoleKind.SIMPLE,
    ),
    RoleSpec(
        PARENT,
        "Ата-эне",
        "Родитель",
        "Parent",
        {M.GRADES: V, M.TIMETABLE: V, M.CASHIER: V, M.ANNOUNCEMENTS: V},
        scope=ScopeKind.OWN,
        kind=RoleKind.SIMPLE,
        description="Reads their own child's grades, attendance, timetable, payments (AC-8).",
    ),
    RoleSpec(
        APPLICANT,
        "Абитуриент",
        "Абитуриент",
        "Applicant",
        {M.ADMISSIONS: V, M.ANNOUNCEMENTS: V},
        scope=ScopeKind.OWN,
        kind=RoleKind.SIMPLE,
    ),
)

DEFAULT_OWNERSHIP: dict[str, str] = {
    DataKind.STUDENT_MOVEMENTS: STUDENT_RECORDS_OFFICE,
    DataKind.PAYMENTS: CASHIER,
    DataKind.CURRICULA: ACADEMIC_AFFAIRS,
    DataKind.WORKLOAD: DEPARTMENT,
    DataKind.WORKLOAD_PART_TIME: DISTANCE_LEARNING,
    DataKind.STAFF_MOVEMENTS: HR,
    DataKind.GRADES: DEANERY,
    DataKind.ACADEMIC_DEBTS: DEANERY,
    DataKind.TEACHING_DOCUMENTS: DEANERY,
    DataKind.TRANSCRIPTS: ACADEMIC_AFFAIRS,
    DataKind.WORKLOAD_FULFILMENT: DEPARTMENT,
}


def default_roles_install(role_model, right_model, ownership_model) -> None:
    """Create the shipped roles, their rights and the ownership map where missing.

    Takes the models as arguments so the data migration can pass its
    historical ones. Existing rows are left alone: an administrator's edits win.
    """
    roles = {}
    for spec in DEFAULT_ROLES:
        role, created = role_model.objects.get_or_create(
            code=spec.code,
            defaults={
                "name_ky": spec.name_ky,
                "name_ru": spec.name_ru,
                "name_en": spec.name_en,
                "description": spec.description,
                "kind": spec.kind,
                "default_scope_kind": spec.scope,
                "is_system": True,
            },
        )
        roles[spec.code] = role
        if created:
            right_model.objects.bulk_create(
                right_model(role=role, module=module, level=level)
                for module, level in spec.rights.items()
            )
    for data_kind, code in DEFAULT_OWNERSHIP.items():
        ownership_model.objects.get_or_create(data_kind=data_kind, defaults={"owner": roles[code]})
