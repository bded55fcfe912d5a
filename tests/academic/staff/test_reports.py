from datetime import date
from decimal import Decimal

import pytest

from academic.staff import actions
from academic.staff.models import Employment, OrderKind
from academic.staff.selectors import age_on, staff_report
from tests.academic.staff.conftest import card, hire, order, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def small_university(cast, university, titles):
    """Department A: a docent (1.0) and a part-time lecturer (0.5), 3 rates budgeted;
    department B: a professor (1.0) dismissed on 2027-01-01, 2 rates budgeted;
    the HR office: a specialist (1.0) in an office."""
    docent = card(cast.teacher, "1", born=date(1990, 9, 2), degree="candidate", title="docent")
    lecturer = card(cast.curator, "2", born=date(1975, 1, 1))
    professor = card(
        cast.other_teacher, "3", born=date(1960, 6, 1), degree="doctor", title="professor"
    )
    specialist = card(cast.hr, "4", born=date(1999, 12, 31))
    a, b = university.department_a, university.department_b
    hire(cast, docent, a, titles["docent"])
    hire(cast, lecturer, a, titles["lecturer"], rate="0.5", employment=Employment.EXTERNAL)
    hire(cast, professor, b, titles["professor"])
    hire(cast, specialist, None, titles["specialist"], office="Кадрлар бөлүмү")
    actions.establishment_set(by=None, department=a, title=titles["docent"], rates=Decimal(2))
    actions.establishment_set(by=None, department=a, title=titles["lecturer"], rates=Decimal(1))
    actions.establishment_set(by=None, department=b, title=titles["professor"], rates=Decimal(2))
    dismissal = order(cast, OrderKind.DISMISSAL, "D-1", on=date(2027, 1, 1))
    actions.staff_order_line_add(by=None, order=dismissal, employee=professor, text="x")
    sign(dismissal)
    return university


def departments(report) -> list[tuple]:
    return [
        (row.department.code if row.department else None, row.employees, row.filled, row.budgeted)
        for row in report.departments
    ]


def test_the_report_counts_staff_and_rates_by_department(small_university):
    report = staff_report(on=date(2026, 10, 1), department_ids=None)

    assert departments(report) == [
        ("D1", 2, Decimal("1.5"), Decimal(3)),
        ("D2", 1, Decimal("1.0"), Decimal(2)),
        (None, 1, Decimal("1.0"), Decimal(0)),
    ]
    assert [row.occupancy for row in report.departments] == [50, 50, None]
    assert len(report.employees) == 4


def test_the_report_on_another_date_follows_the_orders(small_university):
    before = staff_report(on=date(2026, 8, 31), department_ids=None)
    after = staff_report(on=date(2027, 1, 1), department_ids=None)

    assert before.employees == []
    assert departments(after)[1] == ("D2", 0, Decimal(0), Decimal(2))
    assert len(after.employees) == 3


def test_the_report_counts_degrees_titles_and_age_bands(small_university):
    report = staff_report(on=date(2026, 10, 1), department_ids=None)

    assert dict(report.by_degree) == {
        "no degree": 2,
        "candidate of sciences": 1,
        "doctor of sciences": 1,
        "PhD": 0,
    }
    assert dict(report.by_title)["docent"] == 1
    assert dict(report.by_title)["no title"] == 2
    assert report.by_age == [("< 30", 1), ("30–39", 1), ("40–49", 0), ("50–59", 1), ("60+", 1)]


def test_a_department_report_holds_only_that_department(small_university):
    report = staff_report(on=date(2026, 10, 1), department_ids=[small_university.department_a.pk])

    assert departments(report) == [("D1", 2, Decimal("1.5"), Decimal(3))]
    assert sorted(e.personnel_number for e in report.employees) == ["1", "2"]


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1990, 9, 2), date(2026, 9, 1), 35),
        (date(1990, 9, 2), date(2026, 9, 2), 36),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
    ],
)
def test_age_is_counted_in_full_years(born, on, age):
    assert age_on(born, on) == age
