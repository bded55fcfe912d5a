"""Who may read and write curricula: the only access checks of this app.

Writing plans is the academic affairs office's work (AC-2): the owner of
DataKind.CURRICULA with institution-wide EDIT on the curricula module.
Reading is scoped by the specialty's department: a deanery reads the plans of
its faculty's specialties, a college its own, a department the plans of its
specialties and those where it teaches a line (CU-3). Disciplines, cycles and
norms are reference data: whoever reads any plan reads them. A student reads
and fills in their own individual plan (electives) without any module right:
it is their own submission (AC-1).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from academic.curricula.models import (
    Curriculum,
    CurriculumLine,
    Discipline,
    ElectiveBlock,
    IndividualPlan,
    WorkingPlan,
    WorkingPlanLine,
)
from academic.structure.models import Group
from hub.accounts.access import Level, Module, Scope, has_right, owns_data, scopes_for
from hub.accounts.models import DataKind, ScopeKind


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def read_scopes(user) -> list[Scope]:
    """The unit scopes where `user` reads curricula (own-data grants give no plans)."""
    return [s for s in scopes_for(user, Module.CURRICULA, Level.VIEW) if s.kind != ScopeKind.OWN]


def may_read_curricula(user) -> bool:
    """Does `user` read any plans (for the header menu and the list pages)?"""
    return bool(read_scopes(user))


def may_write_curricula(user) -> bool:
    """True for the office that keeps curricula: see the module docstring."""
    institution = Scope.institution()
    return owns_data(user, DataKind.CURRICULA, scope=institution) and has_right(
        user, Module.CURRICULA, Level.EDIT, scope=institution
    )


def curricula_visible_filter(scopes: list[Scope], *, prefix: str = "") -> Q | None:
    """A filter selecting the plans inside `scopes` (on Curriculum, or on a model
    reaching it through `prefix`, e.g. "curriculum__"); None means all of them."""
    if Scope.institution() in scopes:
        return None
    match = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    ids = {kind: [s.id for s in scopes if s.kind == kind] for kind in ScopeKind.values}
    if ids[ScopeKind.FACULTY]:
        match |= Q(**{f"{prefix}specialty__department__faculty_id__in": ids[ScopeKind.FACULTY]})
    if ids[ScopeKind.COLLEGE]:
        match |= Q(**{f"{prefix}specialty__department__college_id__in": ids[ScopeKind.COLLEGE]})
    if ids[ScopeKind.DEPARTMENT]:
        teaching = CurriculumLine.objects.filter(department_id__in=ids[ScopeKind.DEPARTMENT])
        match |= Q(**{f"{prefix}specialty__department_id__in": ids[ScopeKind.DEPARTMENT]})
        match |= Q(**{f"{prefix}pk__in": teaching.values("curriculum_id")})
    if ids[ScopeKind.GROUP]:
        of_groups = Group.objects.filter(pk__in=ids[ScopeKind.GROUP]).values("specialty_id")
        match |= Q(**{f"{prefix}specialty_id__in": of_groups})
    return match


def _may_read(user, curriculum: Curriculum) -> bool:
    condition = curricula_visible_filter(read_scopes(user))
    if condition is None:
        return True
    return Curriculum.objects.filter(condition, pk=curriculum.pk).exists()


def _allowed(user, curriculum: Curriculum, *, write: bool) -> bool:
    return may_write_curricula(user) if write else _may_read(user, curriculum)


def access_curricula(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads any plans (or, with `write`, keeps them)."""
    allowed = may_write_curricula(user) if write else may_read_curricula(user)
    if not allowed:
        raise _not_found()


def access_curriculum(user, curriculum_id: int, *, write: bool = False) -> Curriculum:
    """The plan `curriculum_id` if `user` may read it (keep it, with `write`).

    A missing and a forbidden plan give the same Http404.
    """
    curriculum = (
        Curriculum.objects.select_related(
            "specialty__department__faculty", "specialty__department__college", "approved_by"
        )
        .filter(pk=curriculum_id)
        .first()
    )
    if curriculum is None or not _allowed(user, curriculum, write=write):
        raise _not_found()
    return curriculum


def access_curriculum_line(user, line_id: int, *, write: bool = False) -> CurriculumLine:
    """A plan's line, on the terms of access_curriculum for its plan."""
    line = (
        CurriculumLine.objects.select_related(
            "curriculum__specialty", "discipline", "elective_block"
        )
        .filter(pk=line_id)
        .first()
    )
    if line is None or not _allowed(user, line.curriculum, write=write):
        raise _not_found()
    return line


def access_elective_block(user, block_id: int, *, write: bool = False) -> ElectiveBlock:
    """A plan's elective block, on the terms of access_curriculum for its plan."""
    block = (
        ElectiveBlock.objects.select_related("curriculum__specialty").filter(pk=block_id).first()
    )
    if block is None or not _allowed(user, block.curriculum, write=write):
        raise _not_found()
    return block


def access_discipline(user, discipline_id: int, *, write: bool = False) -> Discipline:
    """A discipline for those who read plans (keep them, with `write`); else Http404."""
    discipline = Discipline.objects.select_related("department").filter(pk=discipline_id).first()
    allowed = may_write_curricula(user) if write else may_read_curricula(user)
    if discipline is None or not allowed:
        raise _not_found()
    return discipline


def access_working_plan(user, plan_id: int, *, write: bool = False) -> WorkingPlan:
    """A working plan, on the terms of access_curriculum for its base plan."""
    plan = (
        WorkingPlan.objects.select_related("curriculum__specialty", "academic_year")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not _allowed(user, plan.curriculum, write=write):
        raise _not_found()
    return plan


def access_working_plan_line(user, line_id: int, *, write: bool = False) -> WorkingPlanLine:
    """A working plan's line, on the terms of access_curriculum for its base plan."""
    line = (
        WorkingPlanLine.objects.select_related(
            "working_plan__curriculum__specialty", "working_plan__academic_year", "discipline"
        )
        .filter(pk=line_id)
        .first()
    )
    if line is None or not _allowed(user, line.working_plan.curriculum, write=write):
        raise _not_found()
    return line


def access_individual_plan(user, plan_id: int, *, write: bool = False) -> IndividualPlan:
    """A student's individual plan: the student reads it and chooses electives in it;
    those who read its base plan read it too. Anyone else gets Http404."""
    plan = (
        IndividualPlan.objects.select_related("student", "curriculum__specialty")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not user.is_authenticated or not user.is_active:
        raise _not_found()
    if plan.student_id == user.pk:
        return plan
    if write or not _may_read(user, plan.curriculum):
        raise _not_found()
    return plan
