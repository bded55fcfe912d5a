"""The curricula pages: lists, the plan grid, forms, confirmations, reports, electives."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.curricula import actions
from academic.curricula.models import (
    Component,
    Curriculum,
    CurriculumLine,
    Discipline,
    PlanStatus,
    WorkingPlan,
)
from tests.academic.curricula.conftest import add_line, fill_plan, make_plan

pytestmark = pytest.mark.django_db


def queries(client, url, params=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured), response


def line_post(discipline, cycle, **changes) -> dict:
    data = {
        "discipline": discipline.pk,
        "cycle": cycle.pk,
        "component": "mandatory",
        "credits": 4,
        "total_hours": 120,
        "lecture_hours": 30,
        "practice_hours": 30,
        "lab_hours": 0,
        "independent_hours": 60,
        "checks": 2,
        "weeks": 15,
        "s1_amount": 4,
        "s1_control": "exam",
    }
    return data | changes


# --- Lists ----------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["academic_affairs", "deanery_a"])
def test_the_plan_list_costs_the_same_for_1_and_20_plans(client, cast, university, member):
    client.force_login(getattr(cast, member))
    url = reverse("curricula:list")
    make_plan(university, intake_year=2000)
    client.get(url)

    one, _response = queries(client, url)
    for year in range(2001, 2020):
        make_plan(university, intake_year=year)
    twenty, response = queries(client, url)

    assert len(response.context["page"].object_list) == 20
    assert twenty == one


def test_the_plan_list_filters(client, cast, university, approved_plan):
    other = make_plan(university, specialty=university.specialty_b, intake_year=2025)
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:list")

    def listed(**params):
        return [c.pk for c in client.get(url, params).context["page"].object_list]

    assert listed(status="approved") == [approved_plan.pk]
    assert listed(intake_year=2025) == [other.pk]
    assert listed(specialty=university.specialty_a.pk) == [approved_plan.pk]
    assert listed(system="linear") == []
    assert listed(q="530100") == [other.pk]
    assert len(listed(q="адистик")) == 2  # Cyrillic, in another case than stored


def test_a_deanery_lists_its_own_faculty_plans(client, cast, university, plan):
    make_plan(university, specialty=university.specialty_b)
    client.force_login(cast.deanery_b)

    response = client.get(reverse("curricula:list"))

    assert [c.specialty for c in response.context["page"].object_list] == [university.specialty_b]


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_lists_export_with_kyrgyz_letters(client, cast, university, disciplines, fmt):
    client.force_login(cast.academic_affairs)

    response = client.get(reverse("curricula:disciplines"), {"export": fmt, "q": "тили"})

    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert "Кыргыз тили" in exported_text(response, fmt)


def in_kyrgyz(user):
    """`user` reading the interface in Kyrgyz: names in exports come in the reader's language."""
    user.language = "ky"
    user.save(update_fields=["language"])
    return user


def exported_text(response, fmt) -> str:
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_discipline_list_costs_the_same_for_1_and_30(client, cast, university):
    client.force_login(cast.deanery_a)
    url = reverse("curricula:disciplines")
    Discipline.objects.create(
        code="A0", name_ky="Ө", name_ru="О", department=university.department_a
    )
    client.get(url)

    one, _response = queries(client, url)
    Discipline.objects.bulk_create(
        Discipline(code=f"A{i}", name_ky="Ү", name_ru="У", department=university.department_b)
        for i in range(1, 30)
    )
    thirty, _response = queries(client, url)

    assert thirty == one


def test_the_working_plan_list_costs_the_same_for_1_and_2(client, cast, approved_plan, year_2026):
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:working-plans")
    actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=1
    )
    client.get(url)

    one, _response = queries(client, url)
    actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=2
    )
    two, response = queries(client, url, {"curriculum": approved_plan.pk})

    assert len(response.context["page"].object_list) == 2
    assert two == one


# --- The plan grid --------------------------------------------------------------------


def test_the_grid_costs_the_same_for_1_and_8_lines(client, cast, plan, disciplines, cycle):
    client.force_login(cast.deanery_a)
    url = reverse("curricula:detail", args=[plan.pk])
    add_line(plan, disciplines[0], cycle, semesters={1: 30})
    client.get(url)

    one, _response = queries(client, url)
    for n in range(2, 9):
        add_line(plan, disciplines[n - 1], cycle, semesters={n: 20, 1: 10} if n == 2 else {n: 30})
    eight, response = queries(client, url)

    assert eight == one
    grid = response.context["grid"]
    assert [len(group.lines) for group in grid] == [8]
    second = grid[0].lines[1]
    assert [cell.credits if cell else None for cell in second.cells] == [
        10,
        20,
        None,
        None,
        None,
        None,
        None,
        None,
    ]


def test_the_office_sees_what_keeps_a_draft_from_approval(client, cast, plan, disciplines, cycle):
    add_line(plan, disciplines[0], cycle, semesters={1: 30})
    client.force_login(cast.academic_affairs)

    response = client.get(reverse("curricula:detail", args=[plan.pk]))

    assert "Semester 2 has 0 credits; the norm is 30 ± 0." in response.context["problems"]
    assert response.context["may_edit"]


def test_the_grid_exports_with_kyrgyz_letters(client, cast, plan, disciplines, cycle):
    add_line(plan, disciplines[1], cycle, semesters={1: 30})
    client.force_login(in_kyrgyz(cast.deanery_a))

    response = client.get(reverse("curricula:detail", args=[plan.pk]), {"export": "xlsx"})

    assert "Программалоо негиздери" in exported_text(response, "xlsx")
    assert "30 (" in exported_text(response, "xlsx")  # credits and the control form


# --- Forms ----------------------------------------------------------------------------


def test_a_plan_is_created_from_the_form(client, cast, university):
    client.force_login(cast.academic_affairs)

    response = client.post(
        reverse("curricula:create"),
        {
            "specialty": university.specialty_a.pk,
            "intake_year": 2026,
            "study_form": "full_time",
            "system": "credit",
        },
    )

    plan = Curriculum.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("curricula:detail", args=[plan.pk])


def test_a_taken_intake_re_renders_the_form_with_the_message(client, cast, university, plan):
    client.force_login(cast.academic_affairs)

    response = client.post(
        reverse("curricula:create"),
        {
            "specialty": university.specialty_a.pk,
            "intake_year": 2024,
            "study_form": "full_time",
            "system": "credit",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "580100 already has a curriculum for the intake of 2024."
    ]


def test_a_line_is_added_from_the_form(client, cast, plan, disciplines, cycle):
    client.force_login(cast.academic_affairs)

    response = client.post(
        reverse("curricula:line-create", args=[plan.pk]),
        line_post(
            disciplines[0],
            cycle,
            s2_amount=2,
            s2_control="credit",
            s2_coursework="on",
            credits=6,
            total_hours=180,
            independent_hours=120,
        ),
    )

    assert response.status_code == 302
    line = CurriculumLine.objects.get()
    assert [(s.semester, s.credits, s.control_forms) for s in line.semesters.all()] == [
        (1, 4, ["exam"]),
        (2, 2, ["credit", "coursework"]),
    ]


def test_a_wrong_line_re_renders_with_every_message(client, cast, plan, disciplines, cycle):
    client.force_login(cast.academic_affairs)

    response = client.post(
        reverse("curricula:line-create", args=[plan.pk]),
        line_post(disciplines[0], cycle, independent_hours=10, s1_amount=3),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "add up to 70, not to the total of 120 hours." in page
    assert "The semesters&#x27; credits add up to 3, not to the line&#x27;s 4." in page
    assert not CurriculumLine.objects.exists()


def test_a_line_form_shows_the_lines_semesters(client, cast, plan, disciplines, cycle):
    line = add_line(plan, disciplines[0], cycle, semesters={3: 4})
    client.force_login(cast.academic_affairs)

    response = client.get(reverse("curricula:line-edit", args=[line.pk]))

    assert response.context["form"].initial["s3_amount"] == 4
    response = client.post(
        reverse("curricula:line-edit", args=[line.pk]),
        line_post(
            disciplines[0], cycle, s1_amount="", s1_control="", s4_amount=4, s4_control="exam"
        ),
    )
    assert response.status_code == 302
    assert [s.semester for s in line.semesters.all()] == [4]


def test_a_line_is_removed_after_confirmation(client, cast, plan, disciplines, cycle):
    line = add_line(plan, disciplines[0], cycle, semesters={3: 4})
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:line-delete", args=[line.pk])

    question = client.get(url)
    assert CurriculumLine.objects.exists()
    client.post(url)

    assert "Take Calculus out of the curriculum?" in question.content.decode()
    assert not CurriculumLine.objects.exists()


def test_approval_asks_first_then_approves(client, cast, plan, disciplines, cycle):
    fill_plan(plan, disciplines, cycle)
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:approve", args=[plan.pk])

    question = client.get(url)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    response = client.post(url, follow=True)

    assert "An approved curriculum is frozen" in question.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert "The curriculum is approved." in response.content.decode()


def test_a_refused_approval_shows_every_problem(client, cast, plan, disciplines, cycle):
    add_line(plan, disciplines[0], cycle, semesters={1: 30})
    client.force_login(cast.academic_affairs)

    response = client.post(reverse("curricula:approve", args=[plan.pk]), follow=True)

    page = response.content.decode()
    assert "Semester 2 has 0 credits" in page and "Semester 8 has 0 credits" in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_plan_is_copied_from_the_form(client, cast, approved_plan):
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:copy", args=[approved_plan.pk])

    assert client.get(url).context["form"].initial["intake_year"] == 2025
    response = client.post(url, {"intake_year": 2025})
    taken = client.post(url, {"intake_year": 2025})

    copy = Curriculum.objects.get(intake_year=2025)
    assert response["Location"] == reverse("curricula:detail", args=[copy.pk])
    assert "already has a curriculum for the intake of 2025" in taken.content.decode()


def test_the_norms_are_edited_on_their_page(client, cast, university):
    client.force_login(cast.academic_affairs)

    client.post(
        reverse("curricula:norms"),
        {"hours_per_credit": 25, "credits_per_semester": 30, "semester_deviation": 1},
    )
    response = client.post(
        reverse("curricula:norms"),
        {"hours_per_credit": 0, "credits_per_semester": 30, "semester_deviation": 1},
    )

    from academic.curricula.selectors import curriculum_norms

    assert curriculum_norms().hours_per_credit == 25
    assert response.status_code == 200 and response.context["form"].errors


def test_disciplines_and_cycles_are_kept_on_their_pages(client, cast, university, cycle):
    client.force_login(cast.academic_affairs)

    client.post(
        reverse("curricula:discipline-create"),
        {
            "code": "KYR",
            "name_ky": "Кыргыз тили",
            "name_ru": "Кыргызский язык",
            "name_en": "",
            "department": university.department_a.pk,
            "is_active": "on",
        },
    )
    discipline = Discipline.objects.get(code="KYR")
    client.post(
        reverse("curricula:discipline-edit", args=[discipline.pk]),
        {
            "code": "KYR",
            "name_ky": "Кыргыз тили",
            "name_ru": "Кыргызский язык",
            "name_en": "Kyrgyz",
            "department": university.department_b.pk,
            "is_active": "on",
        },
    )
    client.post(
        reverse("curricula:cycle-edit", args=[cycle.pk]),
        {
            "code": "PRO",
            "name_ky": "Кесиптик",
            "name_ru": "Проф.",
            "name_en": "Prof.",
            "order": 3,
        },
    )

    discipline.refresh_from_db()
    cycle.refresh_from_db()
    assert (discipline.department, discipline.name_en) == (university.department_b, "Kyrgyz")
    assert cycle.order == 3
    assert client.get(reverse("curricula:cycle-edit", args=[999])).status_code == 404


def test_an_elective_block_is_added_and_edited(client, cast, plan):
    client.force_login(cast.academic_affairs)

    client.post(
        reverse("curricula:block-create", args=[plan.pk]),
        {
            "name_ky": "Тандоо",
            "name_ru": "Выбор",
            "name_en": "",
            "choose": 2,
            "rule": "exactly",
        },
    )
    block = plan.blocks.get()
    client.post(
        reverse("curricula:block-edit", args=[block.pk]),
        {
            "name_ky": "Тандоо",
            "name_ru": "Выбор",
            "name_en": "Choice",
            "choose": 1,
            "rule": "at_most",
        },
    )

    block.refresh_from_db()
    assert (block.choose, block.rule, block.name_en) == (1, "at_most", "Choice")


# --- Report ---------------------------------------------------------------------------


def test_the_summary_has_a_chart_and_totals(client, cast, plan, disciplines, cycle):
    fill_plan(plan, disciplines, cycle)
    client.force_login(cast.deanery_a)

    response = client.get(reverse("curricula:report", args=[plan.pk]))

    chart = response.context["chart"]
    assert chart["credits"]["data"] == [30] * 8
    assert chart["series"][0]["data"] == [225] * 8  # lecture: a quarter of 900 hours
    assert response.context["total_credits"] == 240
    assert response.context["rows"][0][7:] == [1, 0, 0, 0]  # one exam in semester 1
    assert [c.credits for c in response.context["cycles"]] == [240]
    page = response.content.decode()
    assert 'id="curriculum-chart-data"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/curricula-summary.js" in page


def test_the_summary_shows_the_departments_teaching_and_costs_the_same_for_more_lines(
    client, cast, university, plan, disciplines, cycle
):
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:report", args=[plan.pk])
    add_line(plan, disciplines[0], cycle, semesters={1: 30})
    client.get(url)

    one, _response = queries(client, url)
    for n in range(2, 9):
        department = university.department_b if n > 6 else None
        add_line(plan, disciplines[n - 1], cycle, semesters={n: 30}, department=department)
    eight, response = queries(client, url)

    assert eight == one
    totals = [(t.department, t.lines, t.credits) for t in response.context["departments"]]
    assert totals == [(university.department_a, 6, 180), (university.department_b, 2, 60)]


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_the_summary_exports_with_kyrgyz_letters(client, cast, plan, disciplines, cycle, fmt):
    fill_plan(plan, disciplines, cycle)
    client.force_login(in_kyrgyz(cast.academic_affairs))

    response = client.get(reverse("curricula:report", args=[plan.pk]), {"export": fmt})

    assert "Кесиптик цикл" in exported_text(response, fmt)


# --- Working plans --------------------------------------------------------------------


def test_a_working_plan_is_derived_from_the_form(client, cast, approved_plan, year_2026):
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:working-plan-derive", args=[approved_plan.pk])

    response = client.post(url, {"academic_year": year_2026.pk, "term_number": 2})
    again = client.post(url, {"academic_year": year_2026.pk, "term_number": 2})

    plan = WorkingPlan.objects.get()
    assert response["Location"] == reverse("curricula:working-plan", args=[plan.pk])
    assert plan.semester == 6
    assert "The working plan of this term exists already." in again.content.decode()


def test_a_working_plan_page_lists_and_exports_its_lines(client, cast, approved_plan, year_2026):
    plan = actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=1
    )
    client.force_login(in_kyrgyz(cast.deanery_a))
    url = reverse("curricula:working-plan", args=[plan.pk])

    response = client.get(url)
    exported = client.get(url, {"export": "xlsx"})

    assert [line.discipline.code for line in response.context["lines"]] == ["D05"]
    assert "Англис тили" in exported_text(exported, "xlsx")


def test_a_working_line_is_edited_and_the_plan_approved(client, cast, approved_plan, year_2026):
    plan = actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=1
    )
    line = plan.lines.get()
    client.force_login(cast.academic_affairs)

    client.post(
        reverse("curricula:working-line-edit", args=[line.pk]),
        {
            "lecture_hours": 200,
            "practice_hours": 225,
            "lab_hours": 25,
            "independent_hours": 450,
            "credits": 30,
            "control_form": "exam",
            "checks": 2,
            "weeks": 15,
            "department": line.department_id,
        },
    )
    client.post(reverse("curricula:working-plan-approve", args=[plan.pk]))

    line.refresh_from_db()
    plan.refresh_from_db()
    assert (line.lecture_hours, line.lab_hours) == (200, 25)
    assert plan.status == PlanStatus.APPROVED


# --- Individual plans -----------------------------------------------------------------


@pytest.fixture
def with_electives(plan, disciplines, cycle):
    block = actions.elective_block_create(
        by=None, curriculum=plan, name_ky="Тандоо", name_ru="Выбор", name_en="Choice"
    )
    for n in range(1, 9):
        add_line(plan, disciplines[n - 1], cycle, semesters={n: 27 if n == 3 else 30})
    electives = [
        add_line(
            plan, d, cycle, semesters={3: 3}, component=Component.ELECTIVE, elective_block=block
        )
        for d in disciplines[8:10]
    ]
    actions.curriculum_approve(by=None, curriculum=plan)
    return electives


def test_the_office_opens_an_individual_plan(client, cast, plan, with_electives):
    client.force_login(cast.academic_affairs)

    client.post(
        reverse("curricula:individual-plan-create"),
        {"student": cast.student.pk, "curriculum": plan.pk},
    )
    again = client.post(
        reverse("curricula:individual-plan-create"),
        {"student": cast.student.pk, "curriculum": plan.pk},
    )

    assert cast.student.individual_plans.count() == 1
    assert "already has an individual plan" in again.content.decode()


def test_the_student_chooses_electives_on_their_page(client, cast, plan, with_electives):
    individual = actions.individual_plan_open(by=None, student=cast.student, curriculum=plan)
    client.force_login(cast.student)
    url = reverse("curricula:individual-plan", args=[individual.pk])

    mine = client.get(reverse("curricula:my-plans"))
    wrong = client.post(url, {"line": [e.pk for e in with_electives]})
    right = client.post(url, {"line": [with_electives[1].pk]})

    assert list(mine.context["plans"]) == [individual]
    assert "Choose exactly 1 in Choice (chosen: 2)." in wrong.content.decode()
    assert right.status_code == 302
    assert list(individual.choices.all()) == [with_electives[1]]


def test_a_student_cannot_choose_a_line_of_another_plan(
    client, cast, university, plan, with_electives, disciplines, cycle
):
    individual = actions.individual_plan_open(by=None, student=cast.student, curriculum=plan)
    foreign = add_line(
        make_plan(university, intake_year=2030), disciplines[0], cycle, semesters={1: 3}
    )
    client.force_login(cast.student)

    response = client.post(
        reverse("curricula:individual-plan", args=[individual.pk]), {"line": [foreign.pk]}
    )

    assert "Only the electives of your curriculum can be chosen." in response.content.decode()
    assert not individual.choices.exists()


def test_the_deanery_reads_but_does_not_choose(client, cast, plan, with_electives):
    individual = actions.individual_plan_open(by=None, student=cast.student, curriculum=plan)
    client.force_login(cast.deanery_a)
    url = reverse("curricula:individual-plan", args=[individual.pk])

    page = client.get(url)
    post = client.post(url, {"line": [with_electives[0].pk]})

    assert page.status_code == 200 and not page.context["own"]
    assert post.status_code == 404
    assert not individual.choices.exists()
    listed = client.get(reverse("curricula:individual-plans"))
    assert list(listed.context["page"].object_list) == [individual]


def test_a_drafts_heading_is_edited_on_its_form(client, cast, university, plan):
    client.force_login(cast.academic_affairs)
    url = reverse("curricula:edit", args=[plan.pk])

    initial = client.get(url).context["form"].initial
    response = client.post(
        url,
        {
            "specialty": university.specialty_a.pk,
            "intake_year": 2023,
            "study_form": "full_time",
            "system": "linear",
        },
    )

    plan.refresh_from_db()
    assert initial["intake_year"] == 2024
    assert response.status_code == 302
    assert (plan.intake_year, plan.system) == (2023, "linear")
