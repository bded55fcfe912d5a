import pytest

from academic.curricula.demo import TRACKS, curricula_planned, curricula_seed, seed_curricula
from academic.curricula.models import (
    Curriculum,
    CurriculumLine,
    Discipline,
    PlanStatus,
    WorkingPlan,
)
from academic.curricula.selectors import curriculum_problems, working_plan_lines_for
from academic.structure.models import AcademicYear, Group
from hub.demo.seed import SeedContext, SeedPlan
from hub.demo.structure import structure_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_structure(db):
    structure_seed(students=10)


@pytest.mark.parametrize("track", sorted(TRACKS))
def test_each_track_has_30_credits_in_each_of_8_semesters(track):
    per_semester = {n: 0 for n in range(1, 9)}
    seen_blocks = set()
    for line in TRACKS[track]:
        if line.block in seen_blocks:
            continue
        if line.block:
            seen_blocks.add(line.block)
            times = 2 if line.block in {"E5", "E7"} else 1
        else:
            times = 1
        for semester, (credits, _form, _cw) in line.semesters.items():
            per_semester[semester] += credits * times

    assert per_semester == {n: 30 for n in range(1, 9)}


def test_the_demo_plans_are_approved_and_pass_every_check(demo_structure):
    curricula_seed()

    plans = list(Curriculum.objects.all())
    assert plans and all(plan.status == PlanStatus.APPROVED for plan in plans)
    assert all(curriculum_problems(plan) == [] for plan in plans)


def test_every_demo_group_studies_something_this_year(demo_structure):
    curricula_seed()
    year = AcademicYear.objects.get(is_current=True)

    for group in Group.objects.all():
        for term in year.terms.all():
            assert working_plan_lines_for(group, term).exists(), (group, term)


def test_the_demo_disciplines_are_named_in_kyrgyz(demo_structure):
    curricula_seed()

    names = set(Discipline.objects.values_list("name_ky", flat=True))
    assert {"Кыргыз тили", "Математикалык анализ", "Маалымат базалары", "Философия"} <= names
    assert any(letter in "".join(names) for letter in "ңөү")


def test_a_second_run_creates_nothing(demo_structure):
    curricula_seed()
    counts = (
        Curriculum.objects.count(),
        CurriculumLine.objects.count(),
        WorkingPlan.objects.count(),
    )

    made = curricula_seed()

    assert made == {"curricula": 0, "working_plans": 0}
    assert counts == (
        Curriculum.objects.count(),
        CurriculumLine.objects.count(),
        WorkingPlan.objects.count(),
    )


def test_the_step_reports_progress(demo_structure):
    seen = []
    ctx = SeedContext(SeedPlan(students=10, seed=1), total=1000, progress=lambda *a: seen.append(a))

    seed_curricula(ctx)

    assert seen[-1][:2] == (curricula_planned(), 1000)
    assert Curriculum.objects.count() == curricula_planned()
