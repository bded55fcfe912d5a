"""Reads of curricula, each a fixed number of queries whatever the size of the plan or page.

Other apps read plans through two selectors here:

- `working_plan_lines_for(group, term)`: what a group studies in a term —
  disciplines with hours by type, credits and control forms. Grades (exam
  sheets, GB-3), workload (WL-2) and e-learning modules start from it.
- `chosen_elective_ids(student)`: the elective base lines a student chose
  (CU-5), to narrow the elective lines of a working plan to one student.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from academic.curricula.calc import HourSplit, semester_of, split_hours
from academic.curricula.models import (
    ChoiceRule,
    Component,
    ControlForm,
    Curriculum,
    CurriculumLine,
    CurriculumSettings,
    Cycle,
    Discipline,
    IndividualPlan,
    LineSemester,
    PlanStatus,
    WorkingPlan,
    WorkingPlanLine,
)
from academic.curricula.permissions import curricula_visible_filter
from academic.structure.models import Group, Institution, Term
from hub.accounts.access import Scope

SEARCH_SPELLINGS = (str.lower, str.upper, str.capitalize)


def _spelled(field_name: str, words: str) -> Q:
    """Case-insensitive search that also works for Cyrillic on SQLite (it folds ASCII only)."""
    word = words.strip()
    match = Q(**{f"{field_name}__icontains": word})
    for spell in SEARCH_SPELLINGS:
        match |= Q(**{f"{field_name}__icontains": spell(word)})
    return match


def curriculum_norms() -> CurriculumSettings:
    """The institution's plan norms; an unsaved row of defaults until someone edits them."""
    norms = CurriculumSettings.objects.order_by("pk").first()
    if norms is not None:
        return norms
    return CurriculumSettings(institution=Institution.objects.order_by("pk").first())


# --- Reference data ---------------------------------------------------------------------


def disciplines_list(*, q: str = "", department: int | None = None) -> QuerySet[Discipline]:
    """Disciplines matching a code or name and a responsible department, department selected."""
    disciplines = Discipline.objects.select_related("department")
    if department:
        disciplines = disciplines.filter(department_id=department)
    if q.strip():
        disciplines = disciplines.filter(
            _spelled("code", q)
            | _spelled("name_ky", q)
            | _spelled("name_ru", q)
            | _spelled("name_en", q)
        )
    return disciplines.order_by("code", "pk")


def cycles_list() -> QuerySet[Cycle]:
    return Cycle.objects.order_by("order", "code")


# --- Base plans -------------------------------------------------------------------------


def curricula_list(
    *,
    scopes: list[Scope],
    specialty: int | None = None,
    intake_year: int | None = None,
    system: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Curriculum]:
    """The plans inside `scopes` matching the filters, with the specialty and its
    department selected and the number of lines counted (one query per page)."""
    curricula = Curriculum.objects.select_related(
        "specialty__department__faculty", "specialty__department__college"
    ).annotate(line_count=Count("lines"))
    condition = curricula_visible_filter(scopes)
    if condition is not None:
        curricula = curricula.filter(condition)
    if specialty:
        curricula = curricula.filter(specialty_id=specialty)
    if intake_year:
        curricula = curricula.filter(intake_year=intake_year)
    if system:
        curricula = curricula.filter(system=system)
    if status:
        curricula = curricula.filter(status=status)
    if q.strip():
        curricula = curricula.filter(
            _spelled("specialty__code", q)
            | _spelled("specialty__name_ky", q)
            | _spelled("specialty__name_ru", q)
            | _spelled("specialty__name_en", q)
        )
    return curricula.order_by("specialty__code", "-intake_year", "study_form", "pk")


def curriculum_lines(curriculum: Curriculum) -> list[CurriculumLine]:
    """The plan's lines in paper order with everything a page shows (two queries)."""
    return list(
        curriculum.lines.select_related(
            "discipline",
            "cycle",
            "department__faculty",
            "department__college",
            "elective_block",
        ).prefetch_related("semesters")
    )


@dataclass
class GridLine:
    line: CurriculumLine
    cells: list[LineSemester | None]


@dataclass
class GridCycle:
    cycle: Cycle
    lines: list[GridLine] = field(default_factory=list)
    credits: int = 0
    hours: int = 0


def curriculum_grid(curriculum: Curriculum) -> list[GridCycle]:
    """The paper plan: lines grouped by cycle, one cell per semester (None where empty)."""
    count = curriculum.semesters
    cycles: dict[int, GridCycle] = {}
    for line in curriculum_lines(curriculum):
        cells: list[LineSemester | None] = [None] * count
        for part in line.semesters.all():
            if 1 <= part.semester <= count:
                cells[part.semester - 1] = part
        group = cycles.setdefault(line.cycle_id, GridCycle(line.cycle))
        group.lines.append(GridLine(line, cells))
        group.credits += line.credits
        group.hours += line.total_hours
    return list(cycles.values())


@dataclass
class SemesterTotal:
    semester: int
    hours: HourSplit = field(default_factory=HourSplit)
    credits: int = 0
    exams: int = 0
    pass_fail: int = 0
    differentiated: int = 0
    courseworks: int = 0

    def add(self, part: LineSemester, whole: HourSplit, times: int) -> None:
        share = split_hours(whole, part.hours)
        self.hours = self.hours + share.scaled(times)
        self.credits += part.credits * times
        self.exams += times if part.control_form == ControlForm.EXAM else 0
        self.pass_fail += times if part.control_form == ControlForm.CREDIT else 0
        self.differentiated += (
            times if part.control_form == ControlForm.DIFFERENTIATED_CREDIT else 0
        )
        self.courseworks += times if part.has_coursework else 0


def _counted_lines(lines: list[CurriculumLine]) -> list[tuple[CurriculumLine, int]]:
    """The lines a student studies, with how many times each counts.

    Mandatory lines count once. An elective block counts as its number to
    choose times its first line: approval requires a block's alternatives to
    be alike, so any one stands for all.
    """
    counted = []
    seen_blocks = set()
    for line in lines:
        if line.component == Component.MANDATORY:
            counted.append((line, 1))
        elif line.elective_block_id not in seen_blocks:
            seen_blocks.add(line.elective_block_id)
            counted.append((line, line.elective_block.choose))
    return counted


def semester_totals(
    curriculum: Curriculum, lines: list[CurriculumLine] | None = None
) -> dict[int, SemesterTotal]:
    """Per semester of the plan: hours by type, credits and controls a student has."""
    lines = curriculum_lines(curriculum) if lines is None else lines
    totals = {n: SemesterTotal(n) for n in range(1, curriculum.semesters + 1)}
    for line, times in _counted_lines(lines):
        whole = HourSplit(
            line.lecture_hours, line.practice_hours, line.lab_hours, line.independent_hours
        )
        for part in line.semesters.all():
            totals.setdefault(part.semester, SemesterTotal(part.semester)).add(part, whole, times)
    return dict(sorted(totals.items()))


@dataclass
class CycleTotal:
    cycle: Cycle
    credits: int = 0
    hours: int = 0


def cycle_totals(lines: list[CurriculumLine]) -> list[CycleTotal]:
    """Credits and hours a student has in each cycle, in cycle order."""
    totals: dict[int, CycleTotal] = {}
    for line, times in _counted_lines(lines):
        total = totals.setdefault(line.cycle_id, CycleTotal(line.cycle))
        total.credits += line.credits * times
        total.hours += line.total_hours * times
    return sorted(totals.values(), key=lambda t: (t.cycle.order, t.cycle.code))


@dataclass
class DepartmentTotal:
    department: object
    credits: int = 0
    hours: int = 0
    lines: int = 0


def department_totals(lines: list[CurriculumLine]) -> list[DepartmentTotal]:
    """Which departments teach the programme (CU-3): their lines, credits and hours a
    student has with them, most hours first."""
    totals: dict[int, DepartmentTotal] = {}
    for line, times in _counted_lines(lines):
        total = totals.setdefault(line.department_id, DepartmentTotal(line.department))
        total.credits += line.credits * times
        total.hours += line.total_hours * times
        total.lines += 1
    return sorted(totals.values(), key=lambda t: (-t.hours, t.department.code))


# --- Checks before approval -------------------------------------------------------------


def curriculum_problems(curriculum: Curriculum) -> list[str]:
    """What keeps a plan from approval: lines missing, semesters off the credit norm,
    the total off, elective blocks offering too few or unequal alternatives."""
    norms = curriculum_norms()
    lines = list(
        curriculum.lines.select_related("elective_block", "discipline").prefetch_related(
            "semesters"
        )
    )
    if not lines:
        return [_("The curriculum has no lines.")]
    problems = _block_problems(curriculum, lines)
    if curriculum.is_credit and not problems:
        problems += _credit_problems(curriculum, lines, norms)
    return problems


def _block_problems(curriculum: Curriculum, lines: list[CurriculumLine]) -> list[str]:
    problems = []
    for block in curriculum.blocks.all():
        offered = [line for line in lines if line.elective_block_id == block.pk]
        if len(offered) < block.choose + (1 if block.rule == ChoiceRule.EXACTLY else 0):
            problems.append(
                _(
                    "Elective block %(block)s offers %(offered)d disciplines; "
                    "choosing %(choose)d needs more to choose from."
                )
                % {"block": block.name, "offered": len(offered), "choose": block.choose}
            )
        shapes = {
            tuple((s.semester, s.credits, s.hours) for s in x.semesters.all()) for x in offered
        }
        if len(shapes) > 1:
            problems.append(
                _(
                    "All disciplines of elective block %(block)s need the same semesters and amounts."
                )
                % {"block": block.name}
            )
    return problems


def _credit_problems(
    curriculum: Curriculum, lines: list[CurriculumLine], norms: CurriculumSettings
) -> list[str]:
    problems = []
    totals = semester_totals(curriculum, lines)
    norm, deviation = norms.credits_per_semester, norms.semester_deviation
    for number in range(1, curriculum.semesters + 1):
        credits = totals[number].credits if number in totals else 0
        if abs(credits - norm) > deviation:
            problems.append(
                _(
                    "Semester %(semester)d has %(credits)d credits; "
                    "the norm is %(norm)d ± %(deviation)d."
                )
                % {"semester": number, "credits": credits, "norm": norm, "deviation": deviation}
            )
    total = sum(t.credits for t in totals.values())
    expected = norm * curriculum.semesters
    if total != expected:
        problems.append(
            _("The plan has %(credits)d credits in all; %(semesters)d semesters need %(expected)d.")
            % {"credits": total, "semesters": curriculum.semesters, "expected": expected}
        )
    return problems


# --- Working plans ----------------------------------------------------------------------


def working_plans_list(
    *, scopes: list[Scope], academic_year: int | None = None, curriculum: int | None = None
) -> QuerySet[WorkingPlan]:
    """Working plans of the plans inside `scopes`, with plan, specialty and year selected."""
    plans = WorkingPlan.objects.select_related("curriculum__specialty", "academic_year").annotate(
        line_count=Count("lines")
    )
    condition = curricula_visible_filter(scopes, prefix="curriculum__")
    if condition is not None:
        plans = plans.filter(condition)
    if academic_year:
        plans = plans.filter(academic_year_id=academic_year)
    if curriculum:
        plans = plans.filter(curriculum_id=curriculum)
    return plans.order_by(
        "-academic_year__starts_on",
        "curriculum__specialty__code",
        "-curriculum__intake_year",
        "semester",
        "pk",
    )


def working_plan_lines(plan: WorkingPlan) -> QuerySet[WorkingPlanLine]:
    """The lines of a working plan with discipline, cycle, department and block selected."""
    return plan.lines.select_related("discipline", "cycle", "department", "elective_block")


def working_plan_lines_for(group: Group, term: Term) -> QuerySet[WorkingPlanLine]:
    """What `group` studies in `term`: the lines of its working plan (one query).

    The plan is the approved base plan of the group's specialty, intake year and
    study form; the semester is the cohort's: the course in the term's academic
    year (counted from the intake year) and the term's number, so the first
    term of the third year is semester 5. Each line gives the discipline, the
    responsible department, hours by type (`lecture_hours`, `practice_hours`,
    `lab_hours`, `independent_hours`, `total_hours`), `credits`, the control
    forms (`control_forms`: exam, credit, diff_credit and/or coursework),
    `checks` (interim checks) and `weeks`. Elective lines are all the
    alternatives; narrow them per student with `chosen_elective_ids`.

    Empty when the working plan of that term has not been derived yet, or the
    group has no approved base plan. Draft working plans count: exam sheets and
    workload need to start before the office approves the year's plan; check
    `line.working_plan.status` where only approved ones may be used.
    """
    semester = semester_of(
        intake_year=group.intake_year,
        year_start=term.academic_year.starts_on.year,
        term_number=term.number,
    )
    return (
        WorkingPlanLine.objects.filter(
            working_plan__curriculum__specialty_id=group.specialty_id,
            working_plan__curriculum__intake_year=group.intake_year,
            working_plan__curriculum__study_form=group.study_form,
            working_plan__curriculum__status=PlanStatus.APPROVED,
            working_plan__academic_year_id=term.academic_year_id,
            working_plan__semester=semester,
        )
        .select_related("discipline", "cycle", "department", "elective_block", "working_plan")
        .order_by("cycle__order", "cycle__code", "component", "discipline__code", "pk")
    )


# --- Individual plans -------------------------------------------------------------------


def individual_plans_of(student) -> QuerySet[IndividualPlan]:
    """A student's individual plans with the base plan and specialty selected."""
    return IndividualPlan.objects.filter(student=student).select_related("curriculum__specialty")


def individual_plans_list(
    *, scopes: list[Scope], curriculum: int | None = None
) -> QuerySet[IndividualPlan]:
    """Individual plans of plans inside `scopes`, with student and plan selected."""
    plans = IndividualPlan.objects.select_related("student", "curriculum__specialty").annotate(
        choice_count=Count("choices")
    )
    condition = curricula_visible_filter(scopes, prefix="curriculum__")
    if condition is not None:
        plans = plans.filter(condition)
    if curriculum:
        plans = plans.filter(curriculum_id=curriculum)
    return plans.order_by("curriculum__specialty__code", "student__last_name", "pk")


@dataclass
class BlockChoice:
    block: object
    lines: list[CurriculumLine]
    chosen: set[int]


def elective_blocks_of(plan: IndividualPlan) -> list[BlockChoice]:
    """The base plan's elective blocks with their lines and which of them the student chose."""
    chosen = set(plan.choices.values_list("pk", flat=True))
    lines = (
        plan.curriculum.lines.filter(elective_block__isnull=False)
        .select_related("discipline", "elective_block")
        .prefetch_related("semesters")
    )
    by_block: dict[int, list[CurriculumLine]] = defaultdict(list)
    blocks = {}
    for line in lines:
        by_block[line.elective_block_id].append(line)
        blocks[line.elective_block_id] = line.elective_block
    return [BlockChoice(blocks[pk], by_block[pk], chosen) for pk in sorted(blocks)]


def chosen_elective_ids(student) -> set[int]:
    """The ids of the base lines `student` chose as electives in all their plans."""
    return set(
        IndividualPlan.choices.through.objects.filter(individualplan__student=student).values_list(
            "curriculumline_id", flat=True
        )
    )
