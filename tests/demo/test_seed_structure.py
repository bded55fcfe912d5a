"""The demo university's structure: deaneries' faculties, groups sized for the students."""

from __future__ import annotations

import pytest

from academic.structure.models import (
    AcademicYear,
    Department,
    Faculty,
    Group,
    GroupCuratorship,
    Room,
    Specialty,
    Term,
)
from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.models import ScopeKind, User
from hub.demo.seed import seed_demo
from hub.demo.structure import GROUP_SIZE

pytestmark = pytest.mark.django_db

MODELS = (Faculty, Department, Specialty, AcademicYear, Term, Group, GroupCuratorship, Room)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_faculties_are_the_deaneries_scopes_with_departments_and_specialties():
    seed_demo(students=100, seed=2026)

    assert set(Faculty.objects.values_list("pk", flat=True)) == {1, 2}
    for faculty in Faculty.objects.all():
        # Two or three chairs each, and faculty 1 also hosts the general subjects' chair
        # that the curricula step adds.
        assert 2 <= faculty.departments.exclude(code="GEN").count() <= 3
    assert Specialty.objects.filter(code__regex=r"^\d{6}$").count() == Specialty.objects.count()


def test_there_is_one_current_academic_year_with_two_terms_and_about_twenty_rooms():
    seed_demo(students=100, seed=2026)

    year = AcademicYear.objects.get(is_current=True)
    assert year.terms.count() == 2
    assert 15 <= Room.objects.count() <= 25


def test_groups_hold_about_twenty_five_students_each_and_every_course_has_groups():
    seed_demo(students=3000, seed=2026)

    groups = Group.objects.count()
    assert 3000 / groups <= GROUP_SIZE
    assert 3000 / groups > GROUP_SIZE / 2
    assert set(Group.objects.values_list("course", flat=True)) == {1, 2, 3, 4}


def test_demo_curators_are_given_groups_with_a_curatorship():
    seed_demo(students=300, seed=2026)

    assert not Group.objects.filter(curator__isnull=True).exists()
    assert GroupCuratorship.objects.count() == Group.objects.count()
    assert set(Group.objects.values_list("curator__cabinet", flat=True)) == {"curator"}


def test_a_second_run_creates_nothing_and_more_students_only_add_groups():
    seed_demo(students=300, seed=2026)
    before = counts()

    seed_demo(students=300, seed=2026)
    assert counts() == before

    seed_demo(students=3000, seed=2026)
    assert counts()["Group"] > before["Group"]
    assert counts()["Faculty"] == before["Faculty"]


def test_the_demo_deanery_reads_grades_of_its_own_faculty_groups_only():
    seed_demo(students=100, seed=2026)
    deanery = User.objects.get(username="deanery-a")
    own = Group.objects.filter(specialty__department__faculty_id=1).first()
    other = Group.objects.filter(specialty__department__faculty_id=2).first()

    assert has_right(deanery, Module.GRADES, Level.EDIT, scope=Scope(ScopeKind.GROUP, own.pk))
    assert not has_right(deanery, Module.GRADES, Level.EDIT, scope=Scope(ScopeKind.GROUP, other.pk))
