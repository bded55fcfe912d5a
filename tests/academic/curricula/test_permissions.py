import pytest
from django.http import Http404

from academic.curricula import actions
from academic.curricula.permissions import (
    access_curriculum,
    access_curriculum_line,
    access_discipline,
    access_elective_block,
    access_individual_plan,
    access_working_plan,
    access_working_plan_line,
    may_read_curricula,
    may_write_curricula,
    read_scopes,
)
from academic.curricula.selectors import curricula_list
from hub.accounts import roles
from hub.accounts.access import Scope
from hub.accounts.actions import role_assign
from hub.accounts.models import Role, ScopeKind
from tests.academic.curricula.conftest import add_line, make_plan
from tests.conftest import CAST_NAMES, make_user
from tests.policies.curricula import (
    CURRICULA_READERS,
    CURRICULA_WRITERS,
    OWN_PLAN_READERS,
    PLAN_A_READERS,
)

pytestmark = pytest.mark.django_db


def allowed(check) -> bool:
    try:
        check()
    except Http404:
        return False
    return True


@pytest.fixture
def things(cast, university, approved_plan, year_2026):
    block = actions.elective_block_create(
        by=None, curriculum=make_plan(university, intake_year=2025), name_ky="Т", name_ru="В"
    )
    working = actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=1
    )
    individual = actions.individual_plan_open(
        by=None, student=cast.student, curriculum=approved_plan
    )
    return {
        "plan": approved_plan,
        "line": approved_plan.lines.first(),
        "block": block,
        "discipline": approved_plan.lines.first().discipline,
        "working": working,
        "working_line": working.lines.first(),
        "individual": individual,
    }


@pytest.mark.parametrize("member", CAST_NAMES)
def test_menus_show_curricula_to_readers_and_writing_to_the_owner(cast, member):
    user = getattr(cast, member)

    assert may_read_curricula(user) == (member in CURRICULA_READERS)
    assert may_write_curricula(user) == (member in CURRICULA_WRITERS)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_a_plan_of_faculty_a_is_read_by_its_readers_and_kept_by_the_office(cast, things, member):
    user = getattr(cast, member)
    reads = member in PLAN_A_READERS
    writes = member in CURRICULA_WRITERS

    assert allowed(lambda: access_curriculum(user, things["plan"].pk)) == reads
    assert allowed(lambda: access_curriculum(user, things["plan"].pk, write=True)) == writes
    assert allowed(lambda: access_curriculum_line(user, things["line"].pk)) == reads
    assert allowed(lambda: access_curriculum_line(user, things["line"].pk, write=True)) == writes
    assert allowed(lambda: access_elective_block(user, things["block"].pk)) == reads
    assert allowed(lambda: access_elective_block(user, things["block"].pk, write=True)) == writes
    assert allowed(lambda: access_working_plan(user, things["working"].pk)) == reads
    assert allowed(lambda: access_working_plan(user, things["working"].pk, write=True)) == writes
    line = things["working_line"].pk
    assert allowed(lambda: access_working_plan_line(user, line)) == reads
    assert allowed(lambda: access_working_plan_line(user, line, write=True)) == writes


@pytest.mark.parametrize("member", CAST_NAMES)
def test_disciplines_are_read_by_every_plan_reader(cast, things, member):
    user = getattr(cast, member)
    discipline = things["discipline"].pk

    assert allowed(lambda: access_discipline(user, discipline)) == (member in CURRICULA_READERS)
    assert allowed(lambda: access_discipline(user, discipline, write=True)) == (
        member in CURRICULA_WRITERS
    )


@pytest.mark.parametrize("member", CAST_NAMES)
def test_only_the_student_fills_in_their_individual_plan(cast, things, member):
    user = getattr(cast, member)
    plan = things["individual"].pk

    assert allowed(lambda: access_individual_plan(user, plan)) == (member in OWN_PLAN_READERS)
    assert allowed(lambda: access_individual_plan(user, plan, write=True)) == (member == "student")


@pytest.mark.parametrize("member", CAST_NAMES)
def test_missing_objects_are_not_found_for_anyone(cast, member):
    user = getattr(cast, member)

    for check in (
        access_curriculum,
        access_curriculum_line,
        access_discipline,
        access_working_plan,
        access_individual_plan,
    ):
        assert not allowed(lambda check=check: check(user, 999_999))


def test_a_deanery_lists_only_its_faculty_plans(cast, university, plan):
    make_plan(university, specialty=university.specialty_b)

    assert [c.specialty for c in curricula_list(scopes=read_scopes(cast.deanery_b))] == [
        university.specialty_b
    ]
    assert curricula_list(scopes=read_scopes(cast.academic_affairs)).count() == 2


def test_a_department_reads_plans_where_it_teaches_a_line(university, plan, disciplines, cycle):
    other = make_plan(university, specialty=university.specialty_b)
    add_line(other, disciplines[0], cycle, semesters={1: 4})  # taught by department A
    chair = make_user("chair_a", cabinet="staff")
    role = Role.objects.get(code=roles.DEPARTMENT)
    role_assign(
        by=None,
        user=chair,
        role=role,
        scope=Scope(ScopeKind.DEPARTMENT, university.department_a.pk),
    )

    visible = set(curricula_list(scopes=read_scopes(chair)))

    assert visible == {plan, other}
    assert access_curriculum(chair, other.pk) == other
    chair_b = make_user("chair_b", cabinet="staff")
    role_assign(
        by=None,
        user=chair_b,
        role=role,
        scope=Scope(ScopeKind.DEPARTMENT, university.department_b.pk),
    )
    assert set(curricula_list(scopes=read_scopes(chair_b))) == {other}
    with pytest.raises(Http404):
        access_curriculum(chair_b, plan.pk)
