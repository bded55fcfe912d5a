"""The one access layer: rights of every cast member, scopes, simple users, parents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from hub.accounts import access, roles
from hub.accounts.access import (
    Level,
    Module,
    Scope,
    can_read_person,
    forget_rights,
    has_right,
    is_simple_user,
    register_scope_resolver,
    require_right,
    scope_contains,
    scopes_for,
)
from hub.accounts.actions import role_assign, role_update_rights
from hub.accounts.models import Role, ScopeKind
from tests.conftest import FACULTY_A, FACULTY_B, make_user

INSTITUTION = Scope.institution()
FACULTY_1 = Scope(ScopeKind.FACULTY, FACULTY_A)
FACULTY_2 = Scope(ScopeKind.FACULTY, FACULTY_B)

# (member, module, level, scope or None) the member holds ...
ALLOWED = [
    ("admin", Module.ACCOUNTS, Level.APPROVE, INSTITUTION),
    ("admin", Module.GRADES, Level.APPROVE, FACULTY_2),
    ("vice_rector", Module.GRADES, Level.APPROVE, INSTITUTION),
    ("vice_rector", Module.RECORDS, Level.APPROVE, FACULTY_1),
    ("vice_rector", Module.WORKLOAD, Level.VIEW, INSTITUTION),
    ("records_office", Module.RECORDS, Level.EDIT, INSTITUTION),
    ("records_office", Module.STRUCTURE, Level.VIEW, INSTITUTION),
    ("cashier", Module.CASHIER, Level.EDIT, INSTITUTION),
    ("deanery_a", Module.GRADES, Level.EDIT, FACULTY_1),
    ("deanery_a", Module.RECORDS, Level.VIEW, FACULTY_1),
    ("deanery_b", Module.GRADES, Level.EDIT, FACULTY_2),
    ("teacher", Module.GRADES, Level.EDIT, Scope.own()),
    ("teacher", Module.LEARNING, Level.EDIT, None),
    ("curator", Module.GRADES, Level.VIEW, Scope(ScopeKind.GROUP, 1)),
    ("student", Module.GRADES, Level.VIEW, Scope.own()),
    ("parent", Module.CASHIER, Level.VIEW, Scope.own()),
    ("applicant", Module.ADMISSIONS, Level.VIEW, Scope.own()),
]

# ... and what each is refused.
REFUSED = [
    ("vice_rector", Module.WORKLOAD, Level.EDIT, INSTITUTION),
    ("records_office", Module.RECORDS, Level.APPROVE, INSTITUTION),
    ("records_office", Module.GRADES, Level.EDIT, None),
    ("cashier", Module.RECORDS, Level.EDIT, INSTITUTION),
    ("cashier", Module.ACCOUNTS, Level.VIEW, None),
    ("deanery_a", Module.GRADES, Level.EDIT, FACULTY_2),
    ("deanery_a", Module.GRADES, Level.EDIT, INSTITUTION),
    ("deanery_a", Module.GRADES, Level.APPROVE, FACULTY_1),
    ("deanery_b", Module.GRADES, Level.VIEW, FACULTY_1),
    ("teacher", Module.GRADES, Level.EDIT, FACULTY_1),
    ("teacher", Module.RECORDS, Level.VIEW, None),
    ("curator", Module.GRADES, Level.VIEW, Scope(ScopeKind.GROUP, 2)),
    ("curator", Module.GRADES, Level.EDIT, None),
    ("student", Module.GRADES, Level.EDIT, Scope.own()),
    ("student", Module.GRADES, Level.VIEW, INSTITUTION),
    ("student", Module.ACCOUNTS, Level.VIEW, None),
    ("parent", Module.LEARNING, Level.VIEW, None),
    ("applicant", Module.ADMISSIONS, Level.EDIT, None),
]


@pytest.mark.parametrize(("member", "module", "level", "scope"), ALLOWED)
def test_cast_member_holds_the_rights_of_their_office(cast, member, module, level, scope):
    assert has_right(getattr(cast, member), module, level, scope=scope)


@pytest.mark.parametrize(("member", "module", "level", "scope"), REFUSED)
def test_cast_member_is_refused_what_their_office_lacks(cast, member, module, level, scope):
    assert not has_right(getattr(cast, member), module, level, scope=scope)


def test_anonymous_and_inactive_users_hold_no_right(cast):
    cast.admin.is_active = False

    assert not has_right(AnonymousUser(), Module.ANNOUNCEMENTS, Level.VIEW)
    assert not has_right(None, Module.ANNOUNCEMENTS, Level.VIEW)
    assert not has_right(cast.admin, Module.ANNOUNCEMENTS, Level.VIEW)
    assert scopes_for(AnonymousUser(), Module.GRADES, Level.VIEW) == []


def test_superuser_without_any_role_holds_every_right(db):
    root = make_user("root", is_superuser=True)

    assert has_right(root, Module.PROCTORING, Level.APPROVE, scope=FACULTY_2)
    assert scopes_for(root, Module.GRADES, Level.APPROVE) == [INSTITUTION]
    assert not is_simple_user(root)


def test_a_user_without_roles_holds_nothing(db):
    nobody = make_user("nobody")

    assert not has_right(nobody, Module.ANNOUNCEMENTS, Level.VIEW)
    assert is_simple_user(nobody)


def test_deanery_scopes_are_its_own_faculty_only(cast):
    assert scopes_for(cast.deanery_a, Module.GRADES, Level.EDIT) == [FACULTY_1]
    assert scopes_for(cast.deanery_b, Module.GRADES, Level.EDIT) == [FACULTY_2]
    assert scopes_for(cast.deanery_a, Module.GRADES, Level.APPROVE) == []


def test_an_institution_grant_makes_it_the_only_scope_listed(cast):
    deanery = Role.objects.get(code=roles.DEANERY)
    role_assign(by=cast.admin, user=cast.deanery_a, role=deanery, scope=INSTITUTION)

    assert scopes_for(cast.deanery_a, Module.GRADES, Level.EDIT) == [INSTITUTION]


def test_own_scope_is_the_users_own_id(cast):
    assert scopes_for(cast.teacher, Module.GRADES, Level.EDIT) == [Scope.own(cast.teacher.pk)]
    assert has_right(cast.teacher, Module.GRADES, Level.EDIT, scope=Scope.own(cast.teacher.pk))
    assert not has_right(
        cast.teacher, Module.GRADES, Level.EDIT, scope=Scope.own(cast.other_teacher.pk)
    )


def test_expired_and_future_assignments_grant_nothing(cast, db):
    cashier_role = Role.objects.get(code=roles.CASHIER)
    today = timezone.localdate()
    role_assign(
        by=cast.admin,
        user=cast.deanery_b,
        role=cashier_role,
        scope=INSTITUTION,
        valid_to=today - timedelta(days=1),
    )
    hr = Role.objects.get(code=roles.HR)
    role_assign(
        by=cast.admin,
        user=cast.deanery_b,
        role=hr,
        scope=INSTITUTION,
        valid_from=today + timedelta(days=1),
    )

    assert not has_right(cast.deanery_b, Module.CASHIER, Level.EDIT)
    assert not has_right(cast.deanery_b, Module.STAFF, Level.EDIT)


class TestScopeContainment:
    @pytest.fixture(autouse=True)
    def _no_resolvers_left_behind(self):
        saved = dict(access._resolvers)
        # Start from no resolvers: academic.structure's read the database.
        access._resolvers.clear()
        yield
        access._resolvers.clear()
        access._resolvers.update(saved)

    def test_institution_contains_everything_and_a_scope_itself(self):
        group = Scope(ScopeKind.GROUP, 7)

        assert scope_contains(INSTITUTION, group)
        assert scope_contains(group, group)
        assert not scope_contains(FACULTY_1, group)
        assert not scope_contains(group, INSTITUTION)

    def test_a_registered_resolver_places_a_group_in_its_faculty(self):
        # group 7 → department 3 → faculty 1, as academic.structure will say
        register_scope_resolver(ScopeKind.GROUP, lambda i: [Scope(ScopeKind.DEPARTMENT, 3)])
        register_scope_resolver(ScopeKind.DEPARTMENT, lambda i: [FACULTY_1] if i == 3 else [])

        assert scope_contains(FACULTY_1, Scope(ScopeKind.GROUP, 7))
        assert not scope_contains(FACULTY_2, Scope(ScopeKind.GROUP, 7))

    def test_deanery_edits_grades_of_a_group_inside_its_faculty_only(self, cast):
        register_scope_resolver(ScopeKind.GROUP, lambda i: [FACULTY_1 if i < 100 else FACULTY_2])

        assert has_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=Scope("group", 7))
        assert not has_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=Scope("group", 107))
        assert has_right(cast.deanery_b, Module.GRADES, Level.EDIT, scope=Scope("group", 107))

    def test_cyclic_resolvers_end(self):
        register_scope_resolver(
            ScopeKind.GROUP, lambda i: [Scope(ScopeKind.GROUP, i + 1 - 2 * (i % 2))]
        )

        assert not scope_contains(FACULTY_1, Scope(ScopeKind.GROUP, 4))


class TestSimpleUsers:
    def test_students_parents_and_applicants_are_simple_and_staff_are_not(self, cast):
        assert is_simple_user(cast.student)
        assert is_simple_user(cast.parent)
        assert is_simple_user(cast.applicant)
        assert not is_simple_user(cast.teacher)
        assert not is_simple_user(cast.deanery_a)
        assert not is_simple_user(cast.admin)

    def test_a_simple_user_never_edits_even_if_the_role_says_so(self, cast):
        student_role = Role.objects.get(code=roles.STUDENT)
        role_update_rights(
            by=cast.admin,
            role=student_role,
            rights={Module.GRADES: Level.APPROVE, Module.RECORDS: Level.EDIT},
        )

        assert has_right(cast.student, Module.GRADES, Level.VIEW, scope=Scope.own())
        assert not has_right(cast.student, Module.GRADES, Level.EDIT, scope=Scope.own())
        assert not has_right(cast.student, Module.RECORDS, Level.EDIT)
        assert scopes_for(cast.student, Module.RECORDS, Level.EDIT) == []

    def test_a_student_who_is_also_staff_edits_with_the_staff_role(self, cast):
        single_window = Role.objects.get(code=roles.SINGLE_WINDOW)
        role_assign(by=cast.admin, user=cast.student, role=single_window, scope=INSTITUTION)

        assert not is_simple_user(cast.student)
        assert has_right(cast.student, Module.SERVICES, Level.EDIT)


class TestReadingAPerson:
    def test_parent_reads_their_child_but_not_the_other_student(self, cast):
        assert can_read_person(cast.parent, cast.student, module=Module.GRADES)
        assert not can_read_person(cast.parent, cast.other_student, module=Module.GRADES)

    def test_parent_reads_the_child_only_in_the_modules_of_the_parent_role(self, cast):
        assert can_read_person(cast.parent, cast.student, module=Module.CASHIER)
        assert not can_read_person(cast.parent, cast.student, module=Module.LEARNING)

    def test_a_student_reads_themselves_and_not_a_classmate(self, cast):
        assert can_read_person(cast.student, cast.student, module=Module.GRADES)
        assert not can_read_person(cast.student, cast.other_student, module=Module.GRADES)
        assert not can_read_person(cast.other_student, cast.student, module=Module.GRADES)

    def test_an_institution_wide_office_reads_anyone(self, cast):
        assert can_read_person(cast.records_office, cast.student, module=Module.RECORDS)
        assert can_read_person(cast.admin, cast.other_student, module=Module.GRADES)
        assert not can_read_person(cast.cashier, cast.student, module=Module.GRADES)

    def test_a_faculty_office_reads_a_person_placed_in_its_faculty(self, cast):
        saved = dict(access._resolvers)
        students_faculty = {cast.student.pk: FACULTY_1, cast.other_student.pk: FACULTY_2}
        register_scope_resolver(ScopeKind.OWN, lambda i: [students_faculty[i]])
        try:
            assert can_read_person(cast.deanery_a, cast.student, module=Module.GRADES)
            assert not can_read_person(cast.deanery_a, cast.other_student, module=Module.GRADES)
        finally:
            access._resolvers.clear()
            access._resolvers.update(saved)

    def test_anonymous_reads_nobody(self, cast):
        assert not can_read_person(AnonymousUser(), cast.student, module=Module.GRADES)


def test_require_right_refuses_with_not_found(cast):
    require_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=FACULTY_1)

    with pytest.raises(Http404):
        require_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=FACULTY_2)
    with pytest.raises(Http404):
        require_right(AnonymousUser(), Module.ANNOUNCEMENTS, Level.VIEW)


def test_fifty_questions_cost_the_same_one_query_as_one(cast, django_assert_num_queries):
    user = cast.deanery_a
    forget_rights(user)

    # The assignments with their roles' rights, in one statement.
    with django_assert_num_queries(1):
        for _ in range(50):
            has_right(user, Module.GRADES, Level.EDIT, scope=FACULTY_1)
            has_right(user, Module.CASHIER, Level.VIEW, scope=FACULTY_2)
            scopes_for(user, Module.RECORDS, Level.VIEW)
            is_simple_user(user)


def test_parent_checks_read_the_guardianship_once(cast, django_assert_num_queries):
    forget_rights(cast.parent)

    # Rights, wards, and once where the other child studies (records' resolver).
    with django_assert_num_queries(3):
        for _ in range(50):
            can_read_person(cast.parent, cast.student, module=Module.GRADES)
            can_read_person(cast.parent, cast.other_student, module=Module.GRADES)


def test_a_new_assignment_counts_at_once_on_the_same_user_object(cast):
    assert not has_right(cast.cashier, Module.STAFF, Level.EDIT)

    role_assign(
        by=cast.admin, user=cast.cashier, role=Role.objects.get(code=roles.HR), scope=INSTITUTION
    )

    assert has_right(cast.cashier, Module.STAFF, Level.EDIT)
