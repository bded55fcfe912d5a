"""Writes to curricula: reference data, base plans, working plans, individual plans.

Each action is atomic, validates (raising DomainError with translated
messages) and records the change in the audit log in the same transaction.
Nobody watches plans change live, so none of them notifies anyone. Who may
call which action is decided in permissions.py before the call.

Two levels of checks: a line is checked when it is saved (its hours add up,
its semesters lie within the specialty's duration); the plan as a whole
(credits per semester and in all, elective blocks) when it is approved, since
a plan being typed in is incomplete by nature. selectors.curriculum_problems
lists the whole-plan problems for the plan page, and approval refuses while
there are any.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
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
    ElectiveBlock,
    IndividualPlan,
    LineSemester,
    PlanStatus,
    WorkingPlan,
    WorkingPlanLine,
)
from academic.curricula.selectors import curriculum_norms, curriculum_problems
from academic.structure.models import AcademicYear, Department, Institution, Specialty
from hub.accounts.models import Cabinet, User
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from hub.writes import create_audited, update_audited, validated_save

NAME_FIELDS = ("name_ky", "name_ru", "name_en")
SETTINGS_FIELDS = ("hours_per_credit", "credits_per_semester", "semester_deviation")
CYCLE_FIELDS = ("code", *NAME_FIELDS, "order")
DISCIPLINE_FIELDS = ("code", *NAME_FIELDS, "department", "is_active")
CURRICULUM_FIELDS = ("specialty", "intake_year", "study_form", "system", "status", "copied_from")
BLOCK_FIELDS = ("curriculum", *NAME_FIELDS, "choose", "rule")
HOUR_FIELDS = ("lecture_hours", "practice_hours", "lab_hours", "independent_hours")
LINE_FIELDS = (
    "curriculum",
    "discipline",
    "cycle",
    "component",
    "elective_block",
    "department",
    "credits",
    "total_hours",
    *HOUR_FIELDS,
    "checks",
    "weeks",
)
WORKING_LINE_FIELDS = (
    *HOUR_FIELDS,
    "credits",
    "control_form",
    "has_coursework",
    "checks",
    "weeks",
    "department",
)


@dataclass(frozen=True)
class SemesterPart:
    """A line's share of one semester as entered: credits (credit system) or hours."""

    semester: int
    amount: int
    control_form: str = ""
    has_coursework: bool = False


# --- Norms ------------------------------------------------------------------------------


@transaction.atomic
def curriculum_settings_update(
    *,
    by: User | None,
    hours_per_credit: int | None = None,
    credits_per_semester: int | None = None,
    semester_deviation: int | None = None,
) -> CurriculumSettings:
    """Change the institution's plan norms (hours per credit, credits per semester).

    Approved plans keep the hours they were approved with. Raises DomainError
    for values out of range or when the institution is not described yet.
    """
    norms = curriculum_norms()
    if norms.pk is None:
        institution = Institution.objects.order_by("pk").first()
        if institution is None:
            raise DomainError(_("Describe the institution first."))
        norms.institution = institution
        validated_save(norms)
    changes = {
        "hours_per_credit": hours_per_credit,
        "credits_per_semester": credits_per_semester,
        "semester_deviation": semester_deviation,
    }
    return update_audited(
        norms, by=by, action="curriculum_settings_update", fields=SETTINGS_FIELDS, changes=changes
    )


# --- Cycles and disciplines ---------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *, by: User | None, code: str, name_ky: str, name_ru: str, name_en: str = "", order: int = 0
) -> Cycle:
    """Add a cycle of programmes. Raises DomainError for a taken code or a missing name."""
    values = {"code": code, "name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
    return create_audited(
        Cycle, by=by, action="cycle_create", fields=CYCLE_FIELDS, values={**values, "order": order}
    )


@transaction.atomic
def cycle_update(
    *,
    by: User | None,
    cycle: Cycle,
    code: str | None = None,
    name_ky: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
    order: int | None = None,
) -> Cycle:
    """Change a cycle's code, names or place; fields left None are kept. Raises DomainError."""
    changes = {"code": code, "name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
    return update_audited(
        cycle,
        by=by,
        action="cycle_update",
        fields=CYCLE_FIELDS,
        changes={**changes, "order": order},
    )


@transaction.atomic
def discipline_create(
    *,
    by: User | None,
    code: str,
    name_ky: str,
    name_ru: str,
    name_en: str = "",
    department: Department,
) -> Discipline:
    """Add a discipline taught by `department`. Raises DomainError for a taken code
    or a missing name."""
    values = {
        "code": code,
        "name_ky": name_ky,
        "name_ru": name_ru,
        "name_en": name_en,
        "department": department,
    }
    return create_audited(
        Discipline, by=by, action="discipline_create", fields=DISCIPLINE_FIELDS, values=values
    )


@transaction.atomic
def discipline_update(
    *,
    by: User | None,
    discipline: Discipline,
    code: str | None = None,
    name_ky: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
    department: Department | None = None,
    is_active: bool | None = None,
) -> Discipline:
    """Change a discipline; fields left None are kept. Lines already in plans keep
    their own responsible department. Raises DomainError."""
    changes = {
        "code": code,
        "name_ky": name_ky,
        "name_ru": name_ru,
        "name_en": name_en,
        "department": department,
        "is_active": is_active,
    }
    return update_audited(
        discipline, by=by, action="discipline_update", fields=DISCIPLINE_FIELDS, changes=changes
    )


# --- Base plans ---------------------------------------------------------------------------


def _require_draft(curriculum: Curriculum) -> None:
    if curriculum.is_approved:
        raise DomainError(_("An approved curriculum cannot be changed."))


def _require_free_intake(specialty: Specialty, intake_year: int, study_form: str) -> None:
    taken = Curriculum.objects.filter(
        specialty=specialty, intake_year=intake_year, study_form=study_form
    ).exists()
    if taken:
        raise DomainError(
            _("%(specialty)s already has a curriculum for the intake of %(year)d.")
            % {"specialty": specialty.code, "year": intake_year}
        )


@transaction.atomic
def curriculum_create(
    *,
    by: User | None,
    specialty: Specialty,
    intake_year: int,
    study_form: str,
    system: str,
) -> Curriculum:
    """Open a draft base plan of `specialty` for an intake year and study form (CU-2).

    Raises DomainError when that intake already has a plan or a value is invalid.
    """
    _require_free_intake(specialty, intake_year, study_form)
    values = {
        "specialty": specialty,
        "intake_year": intake_year,
        "study_form": study_form,
        "system": system,
    }
    return create_audited(
        Curriculum, by=by, action="curriculum_create", fields=CURRICULUM_FIELDS, values=values
    )


@transaction.atomic
def curriculum_update(
    *,
    by: User | None,
    curriculum: Curriculum,
    specialty: Specialty | None = None,
    intake_year: int | None = None,
    study_form: str | None = None,
    system: str | None = None,
) -> Curriculum:
    """Change a draft plan's heading; fields left None are kept.

    Raises DomainError for an approved plan or an intake that already has a plan.
    """
    _require_draft(curriculum)
    target = (
        specialty or curriculum.specialty,
        intake_year or curriculum.intake_year,
        study_form or curriculum.study_form,
    )
    current = (curriculum.specialty, curriculum.intake_year, curriculum.study_form)
    if target != current:
        _require_free_intake(*target)
    changes = {
        "specialty": specialty,
        "intake_year": intake_year,
        "study_form": study_form,
        "system": system,
    }
    return update_audited(
        curriculum, by=by, action="curriculum_update", fields=CURRICULUM_FIELDS, changes=changes
    )


@transaction.atomic
def elective_block_create(
    *,
    by: User | None,
    curriculum: Curriculum,
    name_ky: str,
    name_ru: str,
    name_en: str = "",
    choose: int = 1,
    rule: str = ChoiceRule.EXACTLY,
) -> ElectiveBlock:
    """Add an elective block to a draft plan: its lines are alternatives of which a
    student picks `choose` (exactly or at most). Raises DomainError."""
    _require_draft(curriculum)
    values = {
        "curriculum": curriculum,
        "name_ky": name_ky,
        "name_ru": name_ru,
        "name_en": name_en,
        "choose": choose,
        "rule": rule,
    }
    return create_audited(
        ElectiveBlock, by=by, action="elective_block_create", fields=BLOCK_FIELDS, values=values
    )


@transaction.atomic
def elective_block_update(
    *,
    by: User | None,
    block: ElectiveBlock,
    name_ky: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
    choose: int | None = None,
    rule: str | None = None,
) -> ElectiveBlock:
    """Change an elective block of a draft plan; fields left None are kept."""
    _require_draft(block.curriculum)
    changes = {
        "name_ky": name_ky,
        "name_ru": name_ru,
        "name_en": name_en,
        "choose": choose,
        "rule": rule,
    }
    return update_audited(
        block, by=by, action="elective_block_update", fields=BLOCK_FIELDS, changes=changes
    )


def _line_errors(
    line: CurriculumLine, parts: list[SemesterPart], norms: CurriculumSettings
) -> list[str]:
    """What is wrong with one line and its semesters, as messages for the form."""
    curriculum = line.curriculum
    errors = []
    if line.hours_by_type_sum != line.total_hours:
        errors.append(
            _(
                "Lecture, practice, lab and independent hours add up to %(sum)d, "
                "not to the total of %(total)d hours."
            )
            % {"sum": line.hours_by_type_sum, "total": line.total_hours}
        )
    if curriculum.is_credit:
        expected = line.credits * norms.hours_per_credit
        if line.credits < 1:
            errors.append(_("A line of a credit-system plan has at least one credit."))
        elif expected != line.total_hours:
            errors.append(
                _(
                    "%(credits)d credits make %(expected)d hours at %(per)d hours per credit, not %(total)d."
                )
                % {
                    "credits": line.credits,
                    "expected": expected,
                    "per": norms.hours_per_credit,
                    "total": line.total_hours,
                }
            )
    if line.component == Component.ELECTIVE and line.elective_block_id is None:
        errors.append(_("An elective line belongs to an elective block."))
    if line.component == Component.MANDATORY and line.elective_block_id is not None:
        errors.append(_("A mandatory line belongs to no elective block."))
    if line.elective_block is not None and line.elective_block.curriculum_id != curriculum.pk:
        errors.append(_("The elective block belongs to another curriculum."))
    errors += _semester_errors(line, parts)
    return errors


def _semester_errors(line: CurriculumLine, parts: list[SemesterPart]) -> list[str]:
    curriculum = line.curriculum
    errors = []
    if not parts:
        return [_("Give the line at least one semester.")]
    numbers = [part.semester for part in parts]
    if len(set(numbers)) != len(numbers):
        errors.append(_("Each semester appears once in a line."))
    for number in sorted(set(numbers)):
        if not 1 <= number <= curriculum.semesters:
            errors.append(
                _("Semester %(semester)d is outside the %(count)d semesters of the specialty.")
                % {"semester": number, "count": curriculum.semesters}
            )
    for part in parts:
        if part.amount <= 0:
            errors.append(
                _("Semester %(semester)d needs credits or hours.") % {"semester": part.semester}
            )
        if part.control_form and part.control_form not in ControlForm.values:
            errors.append(_("Unknown control form: %(form)s.") % {"form": part.control_form})
    amount = sum(part.amount for part in parts)
    if curriculum.is_credit and amount != line.credits:
        errors.append(
            _("The semesters' credits add up to %(sum)d, not to the line's %(credits)d.")
            % {"sum": amount, "credits": line.credits}
        )
    if not curriculum.is_credit and amount != line.total_hours:
        errors.append(
            _("The semesters' hours add up to %(sum)d, not to the line's %(total)d hours.")
            % {"sum": amount, "total": line.total_hours}
        )
    return errors


def _semester_rows(
    line: CurriculumLine, parts: list[SemesterPart], norms: CurriculumSettings
) -> list[LineSemester]:
    rows = []
    for part in sorted(parts, key=lambda p: p.semester):
        credit = line.curriculum.is_credit
        rows.append(
            LineSemester(
                line=line,
                semester=part.semester,
                credits=part.amount if credit else 0,
                hours=part.amount * norms.hours_per_credit if credit else part.amount,
                control_form=part.control_form,
                has_coursework=part.has_coursework,
            )
        )
    return rows


def _semesters_snapshot(parts: list[SemesterPart]) -> list[list]:
    return [[p.semester, p.amount, p.control_form, p.has_coursework] for p in parts]


def _save_line(
    *, by: User | None, line: CurriculumLine, parts: list[SemesterPart], action: str
) -> CurriculumLine:
    _require_draft(line.curriculum)
    norms = curriculum_norms()
    if not line.curriculum.is_credit:
        line.credits = 0
    errors = _line_errors(line, parts, norms)
    if errors:
        raise DomainError(errors[0], messages=errors)
    twin = CurriculumLine.objects.filter(curriculum=line.curriculum, discipline=line.discipline)
    if twin.exclude(pk=line.pk).exists():
        raise DomainError(
            _("%(discipline)s is already in this curriculum.") % {"discipline": line.discipline}
        )
    before = None
    if line.pk is not None:
        old = CurriculumLine.objects.get(pk=line.pk)
        before = snapshot(old, LINE_FIELDS) | {"semesters": _old_semesters(old)}
    validated_save(line)
    line.semesters.all().delete()
    LineSemester.objects.bulk_create(_semester_rows(line, parts, norms))
    after = snapshot(line, LINE_FIELDS) | {"semesters": _semesters_snapshot(parts)}
    audit_record(action=action, obj=line, before=before, after=after, actor=by)
    return line


def _old_semesters(line: CurriculumLine) -> list[list]:
    credit = line.curriculum.is_credit
    return [
        [s.semester, s.credits if credit else s.hours, s.control_form, s.has_coursework]
        for s in line.semesters.all()
    ]


@transaction.atomic
def curriculum_line_create(
    *,
    by: User | None,
    curriculum: Curriculum,
    discipline: Discipline,
    cycle: Cycle,
    total_hours: int,
    semesters: list[SemesterPart],
    component: str = Component.MANDATORY,
    elective_block: ElectiveBlock | None = None,
    department: Department | None = None,
    credits: int = 0,
    lecture_hours: int = 0,
    practice_hours: int = 0,
    lab_hours: int = 0,
    independent_hours: int = 0,
    checks: int = 2,
    weeks: int = 15,
) -> CurriculumLine:
    """Add a discipline to a draft plan with its hours, credits and semesters (CU-2).

    The responsible department defaults to the discipline's. Raises DomainError
    with every problem of the line (hours not adding up, credits not matching
    the hours per credit, semesters outside the specialty's duration, an
    elective outside a block, a discipline already in the plan).
    """
    line = CurriculumLine(
        curriculum=curriculum,
        discipline=discipline,
        cycle=cycle,
        component=component,
        elective_block=elective_block,
        department=department or discipline.department,
        credits=credits,
        total_hours=total_hours,
        lecture_hours=lecture_hours,
        practice_hours=practice_hours,
        lab_hours=lab_hours,
        independent_hours=independent_hours,
        checks=checks,
        weeks=weeks,
    )
    return _save_line(by=by, line=line, parts=semesters, action="curriculum_line_create")


@transaction.atomic
def curriculum_line_update(
    *,
    by: User | None,
    line: CurriculumLine,
    semesters: list[SemesterPart],
    **values,
) -> CurriculumLine:
    """Replace a draft plan's line with `values` (the fields of curriculum_line_create)
    and `semesters`. Raises DomainError as curriculum_line_create does."""
    unknown = set(values) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"unknown line fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(line, name, value)
    if line.department_id is None:
        line.department = line.discipline.department
    return _save_line(by=by, line=line, parts=semesters, action="curriculum_line_update")


@transaction.atomic
def curriculum_line_delete(*, by: User | None, line: CurriculumLine) -> None:
    """Take a line out of a draft plan. Raises DomainError for an approved plan."""
    _require_draft(line.curriculum)
    audit_record(
        action="curriculum_line_delete",
        obj=line,
        before=snapshot(line, LINE_FIELDS),
        actor=by,
    )
    line.delete()


@transaction.atomic
def curriculum_approve(*, by: User | None, curriculum: Curriculum) -> Curriculum:
    """Approve a draft plan, which freezes it: its lines no longer change.

    Raises DomainError for a plan already approved, or with every problem that
    `curriculum_problems` finds.
    """
    # The row lock makes two offices approving at once approve once.
    locked = Curriculum.objects.select_for_update().filter(pk=curriculum.pk)
    if locked.values_list("status", flat=True).get() == PlanStatus.APPROVED:
        raise DomainError(_("The curriculum is already approved."))
    problems = curriculum_problems(curriculum)
    if problems:
        raise DomainError(problems[0], messages=problems)
    before = snapshot(curriculum, ("status", "approved_at", "approved_by"))
    curriculum.status = PlanStatus.APPROVED
    curriculum.approved_at = timezone.now()
    curriculum.approved_by = by
    curriculum.save(update_fields=["status", "approved_at", "approved_by"])
    after = snapshot(curriculum, ("status", "approved_at", "approved_by"))
    audit_record(action="curriculum_approve", obj=curriculum, before=before, after=after, actor=by)
    return curriculum


@transaction.atomic
def curriculum_copy(*, by: User | None, curriculum: Curriculum, intake_year: int) -> Curriculum:
    """A new draft of the same specialty and study form for `intake_year`, with the
    blocks, lines and semesters of `curriculum` copied (CU-6).

    Raises DomainError when that intake already has a plan.
    """
    copy = curriculum_create(
        by=by,
        specialty=curriculum.specialty,
        intake_year=intake_year,
        study_form=curriculum.study_form,
        system=curriculum.system,
    )
    copy.copied_from = curriculum
    copy.save(update_fields=["copied_from"])
    blocks = {}
    for block in curriculum.blocks.all():
        old_pk = block.pk
        block.pk, block.curriculum = None, copy
        blocks[old_pk] = block
    ElectiveBlock.objects.bulk_create(blocks.values())
    lines = list(curriculum.lines.prefetch_related("semesters"))
    semesters = []
    for line in lines:
        old_semesters = list(line.semesters.all())
        line.pk, line.curriculum = None, copy
        if line.elective_block_id is not None:
            line.elective_block = blocks[line.elective_block_id]
        semesters.append(old_semesters)
    CurriculumLine.objects.bulk_create(lines)
    rows = []
    for line, old_semesters in zip(lines, semesters, strict=True):
        for semester in old_semesters:
            semester.pk, semester.line = None, line
            rows.append(semester)
    LineSemester.objects.bulk_create(rows)
    audit_record(
        action="curriculum_copy",
        obj=copy,
        after={"copied_from": curriculum.pk, "lines": len(lines), "intake_year": intake_year},
        actor=by,
    )
    return copy


# --- Working plans ------------------------------------------------------------------------


@transaction.atomic
def working_plan_derive(
    *, by: User | None, curriculum: Curriculum, academic_year: AcademicYear, term_number: int
) -> WorkingPlan:
    """Make the working plan of a term from an approved base plan (CU-4).

    The cohort's course in `academic_year` gives the semester; the base lines
    of that semester are copied with their hours split by type. Raises
    DomainError for a draft base plan, a term outside the specialty's
    duration, or a working plan that exists already.
    """
    if not curriculum.is_approved:
        raise DomainError(_("Working plans are made from approved curricula only."))
    if term_number not in (1, 2):
        raise DomainError(_("A term is the first or the second of the year."))
    semester = semester_of(
        intake_year=curriculum.intake_year,
        year_start=academic_year.starts_on.year,
        term_number=term_number,
    )
    if not 1 <= semester <= curriculum.semesters:
        raise DomainError(
            _("In %(year)s the intake of %(intake)d is not studying (semester %(semester)d).")
            % {"year": academic_year.name, "intake": curriculum.intake_year, "semester": semester}
        )
    if WorkingPlan.objects.filter(
        curriculum=curriculum, academic_year=academic_year, semester=semester
    ).exists():
        raise DomainError(_("The working plan of this term exists already."))
    plan = WorkingPlan.objects.create(
        curriculum=curriculum, academic_year=academic_year, semester=semester
    )
    lines = working_lines_from_base(plan)
    WorkingPlanLine.objects.bulk_create(lines)
    audit_record(
        action="working_plan_derive",
        obj=plan,
        after={"curriculum": curriculum.pk, "semester": semester, "lines": len(lines)},
        actor=by,
    )
    return plan


def working_lines_from_base(plan: WorkingPlan) -> list[WorkingPlanLine]:
    """Unsaved working lines for `plan`: the base lines having its semester."""
    parts = LineSemester.objects.filter(
        line__curriculum_id=plan.curriculum_id, semester=plan.semester
    ).select_related("line")
    lines = []
    for part in parts:
        base = part.line
        whole = HourSplit(
            base.lecture_hours, base.practice_hours, base.lab_hours, base.independent_hours
        )
        share = split_hours(whole, part.hours)
        lines.append(
            WorkingPlanLine(
                working_plan=plan,
                source=base,
                discipline_id=base.discipline_id,
                cycle_id=base.cycle_id,
                component=base.component,
                elective_block_id=base.elective_block_id,
                department_id=base.department_id,
                lecture_hours=share.lecture,
                practice_hours=share.practice,
                lab_hours=share.lab,
                independent_hours=share.independent,
                credits=part.credits,
                control_form=part.control_form,
                has_coursework=part.has_coursework,
                checks=base.checks,
                weeks=base.weeks,
            )
        )
    return lines


@transaction.atomic
def working_plan_line_update(
    *,
    by: User | None,
    line: WorkingPlanLine,
    lecture_hours: int | None = None,
    practice_hours: int | None = None,
    lab_hours: int | None = None,
    independent_hours: int | None = None,
    credits: int | None = None,
    control_form: str | None = None,
    has_coursework: bool | None = None,
    checks: int | None = None,
    weeks: int | None = None,
    department: Department | None = None,
) -> WorkingPlanLine:
    """Adjust a line of a draft working plan for this year; fields left None are kept.

    Raises DomainError for an approved working plan or invalid values.
    """
    if line.working_plan.status == PlanStatus.APPROVED:
        raise DomainError(_("An approved working plan cannot be changed."))
    changes = {
        "lecture_hours": lecture_hours,
        "practice_hours": practice_hours,
        "lab_hours": lab_hours,
        "independent_hours": independent_hours,
        "credits": credits,
        "control_form": control_form,
        "has_coursework": has_coursework,
        "checks": checks,
        "weeks": weeks,
        "department": department,
    }
    return update_audited(
        line, by=by, action="working_plan_line_update", fields=WORKING_LINE_FIELDS, changes=changes
    )


@transaction.atomic
def working_plan_approve(*, by: User | None, plan: WorkingPlan) -> WorkingPlan:
    """Approve a working plan: workload and exam sheets are built from approved ones.

    Raises DomainError for a plan already approved or without lines.
    """
    if plan.status == PlanStatus.APPROVED:
        raise DomainError(_("The working plan is already approved."))
    if not plan.lines.exists():
        raise DomainError(_("The working plan has no lines."))
    return update_audited(
        plan,
        by=by,
        action="working_plan_approve",
        fields=("status",),
        changes={"status": PlanStatus.APPROVED},
    )


# --- Individual plans ---------------------------------------------------------------------


@transaction.atomic
def individual_plan_open(
    *, by: User | None, student: User, curriculum: Curriculum
) -> IndividualPlan:
    """Give a student an individual plan on an approved base plan, with no electives yet.

    Raises DomainError for someone who is not a student, a draft base plan, or
    a plan the student has already.
    """
    if student.cabinet != Cabinet.STUDENT:
        raise DomainError(_("An individual study plan is a student's."))
    if not curriculum.is_approved:
        raise DomainError(_("Individual plans follow approved curricula only."))
    if IndividualPlan.objects.filter(student=student, curriculum=curriculum).exists():
        raise DomainError(_("The student already has an individual plan on this curriculum."))
    plan = IndividualPlan.objects.create(student=student, curriculum=curriculum)
    audit_record(
        action="individual_plan_open",
        obj=plan,
        after={"student": student.pk, "curriculum": curriculum.pk},
        actor=by,
    )
    return plan


def choice_errors(plan: IndividualPlan, lines: list[CurriculumLine]) -> list[str]:
    """What is wrong with choosing `lines` in `plan`, per elective block."""
    errors = []
    if any(
        line.curriculum_id != plan.curriculum_id or line.elective_block_id is None for line in lines
    ):
        errors.append(_("Only the electives of your curriculum can be chosen."))
    for block in plan.curriculum.blocks.all():
        chosen = sum(1 for line in lines if line.elective_block_id == block.pk)
        if block.rule == ChoiceRule.EXACTLY and chosen != block.choose:
            errors.append(
                _("Choose exactly %(count)d in %(block)s (chosen: %(chosen)d).")
                % {"count": block.choose, "block": block.name, "chosen": chosen}
            )
        if block.rule == ChoiceRule.AT_MOST and chosen > block.choose:
            errors.append(
                _("Choose at most %(count)d in %(block)s (chosen: %(chosen)d).")
                % {"count": block.choose, "block": block.name, "chosen": chosen}
            )
    return errors


@transaction.atomic
def individual_plan_choose(
    *, by: User | None, plan: IndividualPlan, lines: list[CurriculumLine]
) -> IndividualPlan:
    """Replace the student's electives with `lines` (CU-5).

    Raises DomainError with a message per elective block chosen wrongly
    (exactly or at most its number) or for a line outside the plan's electives.
    """
    errors = choice_errors(plan, lines)
    if errors:
        raise DomainError(errors[0], messages=errors)
    before = sorted(plan.choices.values_list("pk", flat=True))
    plan.choices.set(lines)
    plan.save(update_fields=["updated_at"])
    audit_record(
        action="individual_plan_choose",
        obj=plan,
        before={"choices": before},
        after={"choices": sorted(line.pk for line in lines)},
        actor=by,
    )
    return plan
