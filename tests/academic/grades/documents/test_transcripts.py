"""The record book and the transcript are read from closed sheets (GB-6)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from academic.curricula.models import ControlForm
from academic.grades.models import AcademicDifference, Course, DebtStatus, ExamSheet, SheetStatus
from academic.grades.scales import gpa
from academic.grades.selectors.transcripts import record_book, transcript
from tests.academic.grades.documents.conftest import make_line


def _semester_one(results, student):
    results.add(student, semester=1, code="A1", credits=5, total=95)  # A, 4.00
    results.add(student, semester=1, code="B1", credits=4, total=75)  # B, 3.00
    results.add(student, semester=1, code="C1", credits=3, total=70, form=ControlForm.CREDIT)


def test_record_book_groups_closed_results_by_semester(results, enrolled):
    _semester_one(results, enrolled.student)
    results.add(enrolled.student, semester=2, code="E2", credits=4, total=62)

    book = record_book(enrolled.student)

    assert [t.semester for t in book] == [1, 2]
    first = book[0].results
    assert [(r.discipline_code, r.letter, r.mark, r.passed) for r in first] == [
        ("A1", "A", 5, True),
        ("B1", "B", 4, True),
        ("C1", "C+", 3, True),
    ]
    assert first[0].name("ky") == "Сабак A1 ңөү"
    assert first[0].name("en") == "Subject A1"
    assert first[0].hours == 5 * 30
    assert first[0].examiner == "Иванова Наталья"


def test_open_sheets_and_other_students_are_not_in_the_book(results, enrolled):
    line = results.add(enrolled.student, semester=1, code="A1", total=90)
    results.add(enrolled.other_student, semester=1, code="B1", total=90)
    ExamSheet.objects.filter(pk=line.sheet_id).update(status=SheetStatus.OPEN)

    assert record_book(enrolled.student) == []


def test_record_book_after_a_retake_shows_the_retake_result(results, enrolled):
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=50)  # F
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=82, attempt=2)  # B+

    (term,) = record_book(enrolled.student)

    (result,) = term.results
    assert (result.score, result.letter, result.gpa, result.passed, result.attempt) == (
        Decimal(82),
        "B+",
        Decimal("3.33"),
        True,
        2,
    )


def test_a_failure_stays_in_the_book_until_it_is_retaken(results, enrolled):
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=50)

    (result,) = record_book(enrolled.student)[0].results

    assert (result.letter, result.passed) == ("F", False)


def test_a_failed_later_attempt_does_not_replace_a_pass(results, enrolled):
    results.add(enrolled.student, semester=2, code="D2", total=70)
    results.add(enrolled.student, semester=2, code="D2", total=40, attempt=2)

    (result,) = record_book(enrolled.student)[0].results

    assert (result.score, result.attempt) == (Decimal(70), 1)


def test_gpa_per_semester_and_cumulative_match_the_hand_computed_values(results, enrolled):
    _semester_one(results, enrolled.student)
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=50)
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=82, attempt=2)
    results.add(
        enrolled.student, semester=2, code="E2", credits=4, total=62,
        form=ControlForm.DIFFERENTIATED_CREDIT,
    )  # fmt: skip

    data = transcript(enrolled.student)

    first, second = data.terms
    # (4.00×5 + 3.00×4) / 9 = 3.555…; the pass/fail credit earns credits, no points.
    assert (first.gpa, first.credits_earned, first.credits_attempted) == (Decimal("3.56"), 12, 12)
    # (3.33×6 + 2.00×4) / 10 = 2.798
    assert (second.gpa, second.credits_earned) == (Decimal("2.80"), 10)
    # (20 + 12 + 19.98 + 8) / 19 = 3.1568…
    assert second.cumulative_gpa == data.gpa == Decimal("3.16")
    assert (second.cumulative_credits, data.credits_earned, data.failed) == (22, 22, 0)


def test_an_outstanding_failure_counts_in_the_gpa_with_no_points(results, enrolled):
    _semester_one(results, enrolled.student)
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=50)
    results.add(
        enrolled.student, semester=2, code="E2", credits=4, total=62,
        form=ControlForm.DIFFERENTIATED_CREDIT,
    )  # fmt: skip

    data = transcript(enrolled.student)

    # (0.00×6 + 2.00×4) / 10 = 0.80; cumulative (32 + 8) / 19 = 2.105…
    assert (data.terms[1].gpa, data.terms[1].credits_earned) == (Decimal("0.80"), 4)
    assert (data.gpa, data.credits_earned, data.credits_attempted, data.failed) == (
        Decimal("2.11"),
        16,
        22,
        1,
    )


def test_passed_academic_differences_count_as_results(results, enrolled, university):
    results.add(enrolled.student, semester=1, code="A1", credits=5, total=95)  # 4.00
    discipline = results.course(1, "X1", 3, ControlForm.EXAM).discipline
    for status, score in ((DebtStatus.CLOSED, 75), (DebtStatus.OPEN, None)):
        AcademicDifference.objects.create(
            student=enrolled.student,
            discipline=discipline,
            semester=1,
            credits=3,
            control_form=ControlForm.EXAM,
            status=status,
            score=score,
            letter="B" if score else "",
            gpa=Decimal("3.00") if score else None,
            mark=4 if score else None,
        )

    data = transcript(enrolled.student)

    assert [(r.discipline_code, r.difference) for r in data.results] == [
        ("A1", False),
        ("X1", True),
    ]
    # (4.00×5 + 3.00×3) / 8 = 3.625
    assert (data.gpa, data.credits_earned) == (Decimal("3.63"), 8)


def _courses(results, student, count: int) -> None:
    for n in range(count):
        results.add(student, semester=n % 8 + 1, code=f"Q{n:02d}", credits=5, total=55 + n % 45)


def test_the_transcript_of_60_courses_takes_as_many_queries_as_of_10(
    results, enrolled, django_assert_num_queries
):
    _courses(results, enrolled.student, 10)
    with django_assert_num_queries(3):
        assert len(transcript(enrolled.student).results) == 10

    _courses(results, enrolled.other_student, 60)
    with django_assert_num_queries(3):
        assert len(transcript(enrolled.other_student).results) == 60


def test_the_gpas_equal_scales_gpa_over_the_graded_results(results, enrolled):
    for n in range(24):
        results.add(enrolled.student, semester=n % 4 + 1, code=f"G{n:02d}", credits=n % 5 + 1,
                    total=41 + (n * 13) % 60)  # fmt: skip

    data = transcript(enrolled.student)

    graded = []
    for term in data.terms:
        mine = [(r.gpa, r.credits) for r in term.results if r.counts_in_gpa]
        graded += mine
        assert term.gpa == gpa(mine)
        assert term.cumulative_gpa == gpa(graded)
    assert data.gpa == gpa(graded)


def test_a_sheet_without_a_date_dates_its_result_by_its_closing(results, enrolled):
    line = results.add(enrolled.student, semester=1, code="A1", total=90)
    closed = datetime(2026, 1, 20, 22, 30, tzinfo=UTC)
    ExamSheet.objects.filter(pk=line.sheet_id).update(exam_date=None, closed_at=closed)

    (result,) = record_book(enrolled.student)[0].results

    assert result.on == date(2026, 1, 20)  # the day of closed_at, as closed_at.date() gives it


def test_the_examiner_is_named_in_latin_too(results, enrolled, cast):
    results.add(enrolled.student, semester=1, code="A1", total=90)
    cast.teacher.last_name_latin, cast.teacher.first_name_latin = "Ivanova", "Natalia"
    cast.teacher.save()

    (result,) = record_book(enrolled.student)[0].results

    assert (result.examiner, result.examiner_latin) == ("Иванова Наталья", "Ivanova Natalia")


def test_the_last_passed_of_three_attempts_is_the_result(results, enrolled):
    results.add(enrolled.student, semester=3, code="R3", total=40)  # F
    results.add(enrolled.student, semester=3, code="R3", total=50, attempt=2)  # F
    results.add(enrolled.student, semester=3, code="R3", total=75, attempt=3)  # B
    results.add(enrolled.student, semester=3, code="R3", total=30, attempt=4)  # F, after a pass

    (result,) = record_book(enrolled.student)[0].results

    assert (result.score, result.attempt, result.passed) == (Decimal(75), 3, True)


def test_a_repeated_course_of_the_same_discipline_and_semester_shows_both(
    results, enrolled, university
):
    first = results.add(enrolled.student, semester=2, code="S2", total=50)  # F, in group A
    again = Course.objects.create(
        term=results.term,
        group=university.group_b,
        line=first.sheet.course.line,
        discipline=first.sheet.course.discipline,
        teacher=results.teacher,
        credits=5,
    )
    sheet = ExamSheet.objects.create(
        course=again,
        control_form=ControlForm.EXAM,
        number="T-again",
        status=SheetStatus.CLOSED,
        exam_date=date(2026, 6, 10),
        closed_at=datetime(2026, 6, 10, tzinfo=UTC),
    )
    make_line(sheet, enrolled.student, 88)  # A-, in group B

    (term,) = record_book(enrolled.student)

    # Each course's result, the earlier course first (as the sheets were ordered before).
    assert [(r.course, r.letter, r.passed) for r in term.results] == [
        (first.sheet.course_id, "F", False),
        (again.pk, "A-", True),
    ]


def test_results_are_in_the_order_python_sorts_their_codes(results, enrolled):
    codes = ["b-1", "B1", "Б1", "a 2", "A-1", "ё1", "Е1", "ң1", "a1"]
    for code in codes:
        results.add(enrolled.student, semester=1, code=code, total=80)

    (term,) = record_book(enrolled.student)

    assert [r.discipline_code for r in term.results] == sorted(codes)


def test_each_result_weighs_in_the_gpa_as_counts_in_gpa_says(results, enrolled, university):
    _semester_one(results, enrolled.student)  # an exam, another, a pass/fail credit
    results.add(enrolled.student, semester=1, code="K1", credits=3, total=90,
                form=ControlForm.COURSEWORK)  # fmt: skip
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=50)  # failed: 0.00
    results.add(enrolled.student, semester=2, code="Z2", credits=0, total=90)  # no credits
    discipline = results.course(2, "X2", 3, ControlForm.EXAM).discipline
    AcademicDifference.objects.create(
        student=enrolled.student, discipline=discipline, semester=2, credits=3,
        control_form=ControlForm.EXAM, status=DebtStatus.CLOSED, score=90, letter="A-",
        gpa=Decimal("3.67"), mark=5,
    )  # fmt: skip

    data = transcript(enrolled.student)

    weights = {r.discipline_code: (r.gpa_weight, r.gpa_points) for r in data.results}
    for r in data.results:
        counted = (r.credits, int(r.gpa * 100) * r.credits) if r.counts_in_gpa else (0, 0)
        assert weights[r.discipline_code] == counted, r.discipline_code
    assert weights["D2"] == (6, 0) and weights["C1"] == (0, 0) and weights["X2"] == (3, 1101)


def test_the_gpas_are_scales_gpa_to_the_digit_for_every_grade_and_odd_credits(results, enrolled):
    # Every band of the scale (4.00, 3.67, 3.33, 3.00, 2.33, 2.00, 0.00) with 1-7 credits.
    totals = [97, 90, 83, 77, 70, 64, 40]
    for n in range(21):
        results.add(enrolled.student, semester=n % 3 + 1, code=f"P{n:02d}", credits=n % 7 + 1,
                    total=totals[n % 7] if n < 14 else totals[(n * 3) % 7])  # fmt: skip

    data = transcript(enrolled.student)

    # Each result's points × credits in hundredths, exact whatever the database's arithmetic.
    assert {r.gpa_points for r in data.results} >= {367 * 2, 333 * 3, 233 * 5}
    for r in data.results:
        assert r.gpa_points == int(r.gpa * 100) * r.credits, r.discipline_code
    graded = []
    for term in data.terms:
        mine = [(r.gpa, r.credits) for r in term.results if r.counts_in_gpa]
        graded += mine
        assert str(term.gpa) == str(gpa(mine))  # the same digits: 2 places, half up
        assert str(term.cumulative_gpa) == str(gpa(graded))
    assert str(data.gpa) == str(gpa(graded))
    assert [t.credits_attempted for t in data.terms] == [
        sum(r.credits for r in t.results) for t in data.terms
    ]


def test_a_sheet_without_an_examiner_names_none(results, enrolled):
    line = results.add(enrolled.student, semester=1, code="A1", total=90)
    ExamSheet.objects.filter(pk=line.sheet_id).update(teacher=None)

    (result,) = record_book(enrolled.student)[0].results

    assert (result.examiner, result.examiner_latin) == ("", "")
