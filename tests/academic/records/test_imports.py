"""Reading, checking and writing a students list (academic/records/imports.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from academic.records.imports import (
    columns_of,
    parse_date,
    plan_import,
    students_import,
)
from academic.records.models import Funding, Sex, Status, Student, StudentState
from academic.structure.models import Group
from hub.accounts.imports import read_table
from hub.accounts.models import Cabinet, RoleAssignment, ScopeKind, User
from hub.audit.log import batch
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.bench.records_import_sample import HEADERS, csv_bytes, student_rows, xlsx_bytes

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def table(rows, language="ru"):
    return [HEADERS[language], *rows]


def plan_of(rows, **options):
    return plan_import(table(rows), today=TODAY, **options)


def test_headers_are_recognised_in_each_language():
    for language in ("ru", "ky", "en"):
        columns = columns_of(HEADERS[language])
        assert columns["record_number"] == 3
        assert columns["group"] == 11


def test_a_missing_required_column_is_named():
    with pytest.raises(DomainError, match="missing: record book number"):
        columns_of(["Фамилия", "Имя", "Пол", "Дата рождения", "Группа", "Финансирование"])


def test_dates_in_both_formats_and_as_excel_reads_them():
    assert parse_date("14.03.2005") == date(2005, 3, 14)
    assert parse_date("2005-03-14") == date(2005, 3, 14)
    assert parse_date("2005-03-14 00:00:00") == date(2005, 3, 14)
    assert parse_date("14 March") is None


def test_good_rows_are_new_and_kyrgyz_letters_survive(university):
    plan = plan_of(student_rows(3, groups=["ГР-1-24"]))

    assert plan.counts() == {"new": 3, "updated": 0, "unchanged": 0, "invalid": 0}
    row = plan.rows[0]
    assert (row.line, row["last_name"], row.sex, row.funding) == (
        2,
        "Жеңишбеков",
        Sex.MALE,
        Funding.BUDGET,
    )
    assert plan.logins[2] == "zhengishbekov.a"  # Жеңишбеков Айгүл


def test_each_problem_of_a_row_is_listed_with_its_row_number(university):
    good, bad = student_rows(2, groups=["ГР-1-24"])
    bad[4], bad[5], bad[6], bad[11], bad[12] = "?", "31.02.2005", "123", "НЕТ-1", "грант-контракт"

    plan = plan_of([good, bad])

    assert plan.counts()["invalid"] == 1
    invalid = plan.summary()["invalid"][0]
    assert invalid["line"] == 3
    assert invalid["problems"] == [
        "Unknown sex “?”.",
        "Unknown funding “грант-контракт”: write budget or contract.",
        "The date of birth “31.02.2005” is not a date like 14.03.2005.",
        "A PIN has 14 digits.",
        (
            "There is no group НЕТ-1; create it first, or choose to create missing groups and "
            "give its specialty code, intake year, course, study form and language."
        ),
    ]


def test_problems_are_written_in_the_users_language(university):
    (row,) = student_rows(1, groups=["НЕТ-1"])
    with translation.override("ru"):
        plan = plan_of([row])
    # Not asserting the wording, which the lead translates: only that it is no longer English.
    problem = plan.rows[0].problems[0]
    with translation.override("ru"):
        from django.utils.translation import gettext

        expected = gettext(
            "There is no group %(group)s; create it first, or choose to create missing "
            "groups and give its specialty code, intake year, course, study form and language."
        ) % {"group": "НЕТ-1"}
    assert problem == expected


def test_a_record_number_or_pin_twice_in_the_file_is_a_problem_of_the_second(university):
    first, second = student_rows(2, groups=["ГР-1-24"])
    second[3] = first[3]
    second[6] = first[6]

    plan = plan_of([first, second])

    assert plan.rows[0].problems == []
    assert plan.rows[1].problems == [
        f"The record book number {first[3]} is also in row 2.",
        "The PIN is also in row 2.",
    ]


def test_missing_groups_are_planned_with_the_option(university):
    header = [*HEADERS["ru"], "Код специальности", "Год набора", "Курс", "Форма обучения", "Язык обучения"]  # fmt: skip
    rows = [[*r, "580100", "2025", "2", "очная", "кыргызча"] for r in student_rows(2, groups=["ЖН-1-25"])]  # fmt: skip

    refused = plan_import([header, *rows], today=TODAY)
    plan = plan_import([header, *rows], today=TODAY, create_groups=True)

    assert refused.counts()["invalid"] == 2
    assert plan.counts()["new"] == 2
    assert plan.summary()["new_groups"] == ["ЖН-1-25"]


def test_a_new_group_without_its_description_is_a_problem(university):
    plan = plan_of(student_rows(1, groups=["ЖН-1-25"]), create_groups=True)

    assert "To create group ЖН-1-25, fill in the “specialty code” cell." in plan.rows[0].problems


def test_nothing_is_written_by_the_plan(university):
    before = (User.objects.count(), Student.objects.count(), AuditEntry.objects.count())

    plan_of(student_rows(5, groups=["ГР-1-24"]))

    assert (User.objects.count(), Student.objects.count(), AuditEntry.objects.count()) == before


def write(plan, **options):
    with batch() as batch_id:
        report = students_import(by=None, plan=plan, **options)
    return report, batch_id


def test_import_opens_accounts_files_and_states_in_one_audit_batch(university, cast):
    rows = student_rows(3, groups=["ГР-1-24", "ГР-2-24"])

    report, batch_id = write(plan_of(rows))

    assert len(report.created) == 3
    assert report.batch_id == str(batch_id)
    student = Student.objects.select_related("user").get(record_number=rows[0][3])
    user = student.user
    assert (user.last_name, user.first_name, user.patronymic) == tuple(rows[0][:3])
    assert user.last_name_latin == "Zhengishbekov"
    assert user.cabinet == Cabinet.STUDENT
    assert user.must_change_password
    assert not user.has_usable_password()  # the job sets the hashed initial password
    assert student.pin == rows[0][6]
    state = StudentState.objects.get(student=student)
    assert (state.status, state.group.name, state.valid_from, state.valid_to) == (
        Status.STUDYING,
        rows[0][11],
        date(2024, 9, 1),
        None,
    )
    assert state.order_line is None
    assert RoleAssignment.objects.filter(
        user=user, role__code="student", scope_kind=ScopeKind.OWN
    ).exists()
    actions = AuditEntry.objects.filter(batch_id=batch_id).values_list("action", flat=True)
    assert sorted(set(actions)) == [
        "role_assign",
        "student_create",
        "student_state_open",
        "user_create",
    ]
    assert AuditEntry.objects.filter(batch_id=batch_id).count() == 12
    assert (
        AuditEntry.objects.exclude(batch_id=batch_id).filter(action="student_create").count() == 0
    )


def test_reimporting_the_same_rows_creates_nothing(university, cast):
    rows = student_rows(4, groups=["ГР-1-24"])
    write(plan_of(rows))
    users, students = User.objects.count(), Student.objects.count()

    plan = plan_of(rows)
    report, batch_id = write(plan)

    assert plan.counts() == {"new": 0, "updated": 0, "unchanged": 4, "invalid": 0}
    assert (report.created, report.updated, report.unchanged) == ([], 0, 4)
    assert (User.objects.count(), Student.objects.count()) == (users, students)
    assert not AuditEntry.objects.filter(batch_id=batch_id).exists()


def test_changed_personal_data_is_updated_and_audited(university, cast):
    rows = student_rows(2, groups=["ГР-1-24"])
    write(plan_of(rows))
    rows[1][9] = "+996 700 11 22 33"
    rows[1][8] = "өзбек"

    plan = plan_of(rows)
    report, batch_id = write(plan)

    assert plan.rows[1].changed == ["phone", "nationality"]
    assert report.updated == 1
    student = Student.objects.select_related("user").get(record_number=rows[1][3])
    assert (student.user.phone, student.nationality) == ("+996700112233", "өзбек")
    entry = AuditEntry.objects.get(batch_id=batch_id, action="student_update")
    assert entry.changes == {"nationality": ["кыргыз", "өзбек"]}


def test_invalid_rows_refuse_the_import_unless_only_valid_rows_go(university, cast):
    good, bad = student_rows(2, groups=["ГР-1-24"])
    bad[11] = "НЕТ-1"
    plan = plan_of([good, bad])

    with pytest.raises(DomainError, match="Row 3: There is no group НЕТ-1"):
        write(plan)
    assert not Student.objects.exists()

    report, _batch = write(plan, valid_only=True)

    assert len(report.created) == 1
    assert [row["line"] for row in report.skipped] == [3]
    assert list(Student.objects.values_list("record_number", flat=True)) == [good[3]]


def test_missing_groups_are_created_when_chosen(university, cast):
    header = [*HEADERS["en"], "Specialty code", "Intake year", "Course", "Study form", "Language"]
    rows = [[*r, "580100", "2025", "2", "part-time", "Russian"] for r in student_rows(2, groups=["ЖН-1-25"])]  # fmt: skip

    report, _batch = write(plan_import([header, *rows], today=TODAY, create_groups=True))

    group = Group.objects.get(name="ЖН-1-25")
    assert (group.specialty.code, group.intake_year, group.course, group.study_form, group.language) == (
        "580100", 2025, 2, "part_time", "ru",
    )  # fmt: skip
    assert report.groups_created == ["ЖН-1-25"]
    assert StudentState.objects.filter(group=group).count() == 2


def test_given_logins_are_used_and_taken_ones_refused(university, cast):
    header = [*HEADERS["ru"], "Логин"]
    first, second = student_rows(2, groups=["ГР-1-24"])
    rows = [[*first, "b.asanov"], [*second, "student"]]  # "student" is the cast's

    plan = plan_import([header, *rows], today=TODAY)

    assert plan.logins[2] == "b.asanov"
    assert plan.rows[1].problems == ["The login “student” is already taken."]


def test_generated_logins_do_not_collide(university, cast):
    rows = student_rows(8, groups=["ГР-1-24"])
    for row in rows:
        row[0], row[1] = "Асанов", "Бакыт"

    plan = plan_of(rows)

    assert sorted(plan.logins.values()) == sorted(
        ["asanov.b"] + [f"asanov.b{n}" for n in range(2, 9)]
    )


def test_xlsx_and_csv_with_semicolons_and_bom_read_alike(university):
    rows = student_rows(3, groups=["ГР-1-24"])

    from_xlsx = read_table("list.xlsx", xlsx_bytes(rows))
    from_csv = read_table("list.csv", csv_bytes(rows, delimiter=";", bom=True))
    from_comma = read_table("list.csv", csv_bytes(rows, delimiter=",", bom=False))

    assert from_xlsx == from_csv == from_comma
    assert from_csv[1][0] == "Жеңишбеков"
    assert (from_csv[1][1], from_csv[3][0]) == ("Айгүл", "Түлөбаев")


def test_excel_dates_and_numbers_are_understood(university):
    (row,) = student_rows(1, groups=["ГР-1-24"])
    row[5] = date(2005, 3, 14)  # a real Excel date cell
    row[6] = int(row[6])  # a PIN typed as a number

    plan = plan_import(read_table("list.xlsx", xlsx_bytes([row])), today=TODAY)

    assert plan.rows[0].problems == []
    assert plan.rows[0].birth_date == date(2005, 3, 14)
