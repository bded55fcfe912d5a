"""The roles, rights and data ownership eBilim ships (migration 0003)."""

from __future__ import annotations

import pytest
from django.utils import translation

from hub.accounts import roles
from hub.accounts.models import (
    DataKind,
    DataOwnership,
    Level,
    Module,
    Role,
    RoleKind,
    RoleRight,
    ScopeKind,
)

pytestmark = pytest.mark.django_db


def rights_of(code: str) -> dict[str, int]:
    return dict(Role.objects.get(code=code).rights.values_list("module", "level"))


def test_every_regulation_role_is_shipped_as_a_system_role():
    shipped = set(Role.objects.filter(is_system=True).values_list("code", flat=True))

    assert shipped == {spec.code for spec in roles.DEFAULT_ROLES}
    assert {
        "system_administrator",
        "vice_rector_academic",
        "rectorate",
        "student_records_office",
        "hr",
        "cashier",
        "academic_affairs",
        "admissions_committee",
        "deanery",
        "department",
        "distance_learning",
        "college_staff",
        "teacher",
        "curator",
        "student",
        "parent",
        "applicant",
    } <= shipped


def test_every_role_is_named_in_three_languages_with_kyrgyz_letters():
    for role in Role.objects.all():
        assert role.name_ky and role.name_ru and role.name_en, role.code
    assert (
        Role.objects.get(code=roles.STUDENT_RECORDS_OFFICE).name_ky == "Студенттик кадрлар бөлүмү"
    )


def test_the_administrator_approves_everything_and_the_rectorate_views_everything():
    assert rights_of(roles.SYSTEM_ADMINISTRATOR) == dict.fromkeys(Module.values, Level.APPROVE)
    # ...and announces to the whole university (TC-7).
    expected = {**dict.fromkeys(Module.values, Level.VIEW), Module.ANNOUNCEMENTS: Level.EDIT}
    assert rights_of(roles.RECTORATE) == expected


def test_the_vice_rector_approves_records_grades_cashier_and_accounts():
    rights = rights_of(roles.VICE_RECTOR)
    approved = {module for module, level in rights.items() if level == Level.APPROVE}

    assert approved == {Module.RECORDS, Module.GRADES, Module.CASHIER, Module.ACCOUNTS}


def test_offices_edit_their_own_module():
    assert rights_of(roles.STUDENT_RECORDS_OFFICE)[Module.RECORDS] == Level.EDIT
    assert rights_of(roles.HR)[Module.STAFF] == Level.EDIT
    assert rights_of(roles.CASHIER)[Module.CASHIER] == Level.EDIT
    assert rights_of(roles.ACADEMIC_AFFAIRS)[Module.CURRICULA] == Level.EDIT
    assert rights_of(roles.ADMISSIONS_COMMITTEE)[Module.ADMISSIONS] == Level.EDIT
    assert rights_of(roles.DEANERY)[Module.GRADES] == Level.EDIT
    assert rights_of(roles.DEPARTMENT)[Module.WORKLOAD] == Level.EDIT
    assert rights_of(roles.DISTANCE_LEARNING)[Module.LEARNING] == Level.EDIT


def test_students_parents_and_applicants_are_simple_roles_that_only_view():
    for code in (roles.STUDENT, roles.PARENT, roles.APPLICANT):
        role = Role.objects.get(code=code)
        assert role.kind == RoleKind.SIMPLE
        assert role.default_scope_kind == ScopeKind.OWN
        assert set(rights_of(code).values()) == {Level.VIEW}


def test_deanery_and_department_are_scoped_to_their_unit():
    assert Role.objects.get(code=roles.DEANERY).default_scope_kind == ScopeKind.FACULTY
    assert Role.objects.get(code=roles.DEPARTMENT).default_scope_kind == ScopeKind.DEPARTMENT


def test_each_kind_of_data_has_the_owner_the_regulation_names():
    owners = dict(DataOwnership.objects.values_list("data_kind", "owner__code"))

    assert owners == {
        DataKind.STUDENT_MOVEMENTS: roles.STUDENT_RECORDS_OFFICE,
        DataKind.PAYMENTS: roles.CASHIER,
        DataKind.CURRICULA: roles.ACADEMIC_AFFAIRS,
        DataKind.WORKLOAD: roles.DEPARTMENT,
        DataKind.WORKLOAD_PART_TIME: roles.DISTANCE_LEARNING,
        DataKind.STAFF_MOVEMENTS: roles.HR,
        DataKind.GRADES: roles.DEANERY,
        DataKind.ACADEMIC_DEBTS: roles.DEANERY,
        DataKind.TEACHING_DOCUMENTS: roles.DEANERY,
        DataKind.TRANSCRIPTS: roles.ACADEMIC_AFFAIRS,
        DataKind.WORKLOAD_FULFILMENT: roles.DEPARTMENT,
    }


def test_installing_again_keeps_the_administrators_edits():
    hr = Role.objects.get(code=roles.HR)
    hr.rights.all().delete()
    hr.name_en = "Personnel"
    hr.save()

    roles.default_roles_install(Role, RoleRight, DataOwnership)

    hr.refresh_from_db()
    assert hr.name_en == "Personnel"
    assert not hr.rights.exists()
    assert Role.objects.count() == len(roles.DEFAULT_ROLES)


def test_role_name_follows_the_active_language():
    role = Role.objects.get(code=roles.TEACHER)
    for language, expected in (("ky", "Окутуучу"), ("ru", "Преподаватель"), ("en", "Teacher")):
        with translation.override(language):
            assert role.name == expected
            assert str(role) == expected
