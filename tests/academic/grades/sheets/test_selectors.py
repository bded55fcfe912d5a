"""The sheet page's selector: plain rows, three queries whatever the size, the same values as models."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import pytest

from academic.grades.actions import sheets as actions
from academic.grades.models import Checkpoint, ExamSheet, SheetLine, SheetStatus
from academic.grades.selectors.compiled import Statement
from academic.grades.selectors.sheets import final_maximum, sheet_view
from tests.academic.grades.sheets.conftest import ON, give_points
from tests.academic.records.conftest import admit, personal_file
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_view_holds_the_values_the_models_hold(sheet, enrolled):
    first = SheetLine.objects.get(sheet=sheet, student=enrolled.student)
    actions.sheet_line_save(by=None, line=first, final_score=Decimal("12.5"), on=ON)

    view = sheet_view(sheet, on=ON)

    models = list(
        SheetLine.objects.filter(sheet=sheet).order_by(
            "student__user__last_name", "student__user__first_name", "pk"
        )
    )
    assert [line.pk for line in view.lines] == [line.pk for line in models]
    for row, model in zip(view.lines, models, strict=True):
        for name in ("student_id", "admitted", "current_score", "final_score", "absent"):
            assert getattr(row, name) == getattr(model, name), name
        for name in ("total", "letter", "mark", "passed", "version", "left_on"):
            assert getattr(row, name) == getattr(model, name), name
        assert row.name == model.student.user.get_full_name()
        assert row.record_number == model.student.record_number
    saved = next(row for row in view.lines if row.pk == first.pk)
    assert isinstance(saved.final_score, Decimal) and saved.final_score == Decimal("12.5")
    assert saved.admitted is True and saved.absent is False
    checkpoints = list(Checkpoint.objects.filter(course_id=sheet.course_id))
    assert [c.pk for c in view.checkpoints] == [c.pk for c in checkpoints]
    assert view.maximum == final_maximum(sheet, checkpoints)


def test_the_view_takes_three_queries_for_2_and_10_students(
    university,
    course,
    sheet,
    enrolled,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    # As permissions.access_sheet gives it: with its course and group.
    sheet = ExamSheet.objects.select_related("course__group").get(pk=sheet.pk)
    with django_assert_num_queries(3):
        assert len(sheet_view(sheet, on=ON).lines) == 2
    more = [
        personal_file(make_user(f"sel{i}", last_name=f"Үсөнов{i}"), f"24-8{i:03d}")
        for i in range(8)
    ]
    for student in more:
        give_points(course, student, 45)
    with django_capture_on_commit_callbacks(execute=True):
        admit(more, university.group_a, number="A-8")  # the signed order syncs the sheet
    with django_assert_num_queries(3):
        assert len(sheet_view(sheet, on=ON).lines) == 10


def test_a_closed_sheet_reads_no_calendar(sheet, django_assert_num_queries):
    sheet.status = SheetStatus.CLOSED
    with django_assert_num_queries(2):
        view = sheet_view(sheet, on=ON)
    assert view.window_problem is None


def test_a_statement_refuses_an_argument_that_does_not_reach_the_sql_as_it_is():
    statement = Statement(SheetLine, lambda word: SheetLine.objects.filter(letter__icontains=word))
    with pytest.raises(ValueError, match="do not reach the SQL"):
        statement.rows("A")


def test_a_statement_runs_with_each_new_argument(sheet, enrolled):
    statement = Statement(
        SheetLine,
        lambda student_id: SheetLine.objects.filter(student_id=student_id).values_list("pk"),
    )
    for student in (enrolled.student, enrolled.other_student):
        expected = list(SheetLine.objects.filter(student=student).values_list("pk"))
        assert [tuple(row) for row in statement.rows(student.pk)] == expected


class _Named(NamedTuple):
    pk: int
    last: str
    first: str


def _pk_and_student(sheet_id):
    return SheetLine.objects.filter(sheet_id=sheet_id).order_by("pk").values_list("pk", "student")


def test_a_statement_joins_its_last_column_to_values_read_once(sheet, enrolled):
    statement = Statement(SheetLine, _pk_and_student)
    asked = []

    def names(students) -> dict:
        asked.append(list(students))
        return {enrolled.student.pk: ("Иванов", "Иван")}

    rows = statement.rows(sheet.pk, make=_Named, join=names, missing=("", ""))

    lines = list(SheetLine.objects.filter(sheet=sheet).order_by("pk"))
    assert asked == [[line.student_id for line in lines]]  # once, with every row's key
    assert [tuple(row) for row in rows] == [
        (line.pk, "Иванов", "Иван") if line.student_id == enrolled.student.pk else (line.pk, "", "")
        for line in lines
    ]
    assert all(type(row) is _Named for row in rows) and rows[0].first in ("Иван", "")


def test_a_join_needs_a_tuple_class_of_the_joined_width(sheet):
    statement = Statement(SheetLine, _pk_and_student)
    with pytest.raises(TypeError, match="tuple class"):
        statement.rows(sheet.pk, join=lambda keys: {}, missing=("", ""))
    with pytest.raises(ValueError, match="2 columns"):
        statement.rows(sheet.pk, make=_Named, join=lambda keys: {}, missing=("",))


def test_the_lines_of_those_who_left_are_apart(sheet, enrolled):
    left = SheetLine.objects.get(sheet=sheet, student=enrolled.other_student)
    SheetLine.objects.filter(pk=left.pk).update(left_on=ON)

    view = sheet_view(sheet, on=ON)

    assert [line.pk for line in view.left] == [left.pk]
    assert left.pk not in [line.pk for line in view.lines] and len(view.lines) >= 1
