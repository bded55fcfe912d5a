import pytest

from hub.accounts.access import Level, Module, Scope, has_right, scope_contains
from hub.accounts.models import ScopeKind

pytestmark = pytest.mark.django_db


def test_a_group_lies_in_its_specialtys_department_and_faculty(university):
    group = Scope(ScopeKind.GROUP, university.group_a.pk)

    assert scope_contains(Scope(ScopeKind.DEPARTMENT, university.department_a.pk), group)
    assert scope_contains(Scope(ScopeKind.FACULTY, university.faculty_a.pk), group)
    assert not scope_contains(Scope(ScopeKind.FACULTY, university.faculty_b.pk), group)


def test_deanery_a_edits_grades_of_its_faculty_group_and_not_of_the_other(cast, university):
    group_a = Scope(ScopeKind.GROUP, university.group_a.pk)
    group_b = Scope(ScopeKind.GROUP, university.group_b.pk)

    assert has_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=group_a)
    assert not has_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=group_b)
    assert has_right(cast.deanery_b, Module.GRADES, Level.EDIT, scope=group_b)


def test_the_curator_of_group_1_reads_its_records_and_not_another_groups(cast, university):
    assert has_right(cast.curator, Module.RECORDS, Level.VIEW, scope=Scope(ScopeKind.GROUP, 1))
    assert not has_right(cast.curator, Module.RECORDS, Level.VIEW, scope=Scope(ScopeKind.GROUP, 2))


def test_a_missing_group_lies_nowhere(university):
    assert not scope_contains(Scope(ScopeKind.FACULTY, 1), Scope(ScopeKind.GROUP, 999))


def test_a_college_department_lies_in_its_college(university):
    from academic.structure.actions import department_create
    from academic.structure.models import College

    college = College.objects.create(
        institution=university.institution, code="C1", name_ky="Колледж", name_ru="Колледж"
    )
    department = department_create(
        by=None, college=college, code="CD", name_ky="Бөлүм", name_ru="Отделение"
    )

    inner = Scope(ScopeKind.DEPARTMENT, department.pk)
    assert scope_contains(Scope(ScopeKind.COLLEGE, college.pk), inner)
    assert not scope_contains(Scope(ScopeKind.FACULTY, 1), inner)
