"""The administrator's pages for roles, rights, role assignments and data ownership."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from hub.accounts import roles
from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.actions import role_assign, role_create
from hub.accounts.models import DataKind, DataOwnership, Role, RoleAssignment, ScopeKind
from hub.accounts.selectors import ownership_map
from hub.audit.models import AuditEntry
from tests.conftest import CAST_NAMES, make_user
from tests.policy import ACCOUNT_ADMINS

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def methodologist(cast, code: str = "methodologist", **rights) -> Role:
    return role_create(
        by=cast.admin,
        code=code,
        name_ky="Методист",
        name_ru="Методист",
        name_en=f"Methodologist {code}",
        rights=rights or {Module.CURRICULA: Level.VIEW, Module.LEARNING: Level.EDIT},
    )


def role_data(**overrides) -> dict:
    data = {
        "code": "methodologist",
        "name_ky": "Методист",
        "name_ru": "Методист",
        "name_en": "Methodologist",
        "description": "",
        "kind": "full",
        "default_scope_kind": "faculty",
        "rights-curricula": "2",
        "rights-learning": "1",
    }
    return data | overrides


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


# --- Refused members write nothing ---------------------------------------------------


def writes(cast, role: Role, assignment: RoleAssignment) -> list[tuple[str, dict]]:
    """Every POST of these pages, with input that would succeed for an administrator."""
    return [
        (reverse("accounts-role-create"), role_data(code="intruder")),
        (reverse("accounts-role", args=[role.pk]), {"rights-grades": "3"}),
        (reverse("accounts-role-delete", args=[role.pk]), {}),
        (
            reverse("accounts-user-roles", args=[cast.student.pk]),
            {"role": role.pk, "scope_kind": "institution", "unit": ""},
        ),
        (
            reverse("accounts-user-role-revoke", args=[cast.other_student.pk, assignment.pk]),
            {},
        ),
        (reverse("accounts-ownership-move", args=["grades"]) + f"?owner={role.pk}", {}),
    ]


@pytest.mark.parametrize("member", CAST_NAMES)
def test_only_accounts_administrators_may_write_roles_and_ownership(client, cast, member):
    role = methodologist(cast)
    assignment = role_assign(by=None, user=cast.other_student, role=role, scope=Scope.institution())
    client.force_login(getattr(cast, member))
    entries = AuditEntry.objects.count()

    statuses = {client.post(url, data).status_code for url, data in writes(cast, role, assignment)}

    if member in ACCOUNT_ADMINS:
        assert statuses <= {200, 302}
        assert AuditEntry.objects.count() > entries
    else:
        assert statuses == {404}
        assert AuditEntry.objects.count() == entries
        assert set(role.rights.values_list("module", flat=True)) == {"curricula", "learning"}
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
        assert ownership_map()[DataKind.GRADES].code == roles.DEANERY


# --- The roles list ---------------------------------------------------------------------


def test_the_list_shows_each_role_with_kind_scope_holders_and_rights(admin_client, cast):
    methodologist(cast)

    page = admin_client.get(reverse("accounts-roles"), **EN).content.decode()

    assert "Methodologist methodologist" in page
    assert "Deanery" in page
    assert "simple user" in page and "full-rights user" in page
    assert "Distance learning" in page  # a module column
    assert "approve" in page and "edit" in page and "view" in page


def test_the_list_costs_the_same_queries_for_few_and_many_roles(admin_client, cast):
    url = reverse("accounts-roles")
    admin_client.get(url)  # the session and the first-use caches
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for number in range(12):
        role = methodologist(cast, code=f"extra-{number}", grades=Level.VIEW, library=Level.EDIT)
        role_assign(by=None, user=make_user(f"holder{number}"), role=role, scope=Scope.own())

    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)

    assert response.status_code == 200
    assert "extra-11" in response.content.decode()
    assert len(many) == len(few)


# --- Creating a role ----------------------------------------------------------------------


def test_a_new_role_is_created_with_its_rights_and_audited(admin_client, cast):
    response = admin_client.post(reverse("accounts-role-create"), role_data())

    role = Role.objects.get(code="methodologist")
    assert response["Location"] == reverse("accounts-role", args=[role.pk])
    assert role.default_scope_kind == ScopeKind.FACULTY
    assert dict(role.rights.values_list("module", "level")) == {
        Module.CURRICULA: Level.EDIT,
        Module.LEARNING: Level.VIEW,
    }
    entry = AuditEntry.objects.get(action="role_create", object_id=str(role.pk))
    assert entry.actor == cast.admin
    assert entry.before is None
    assert entry.after["rights"] == {"curricula": 2, "learning": 1}
    assert entry.after["code"] == "methodologist"


def test_a_role_with_no_rights_may_be_created(admin_client):
    data = role_data(**{"rights-curricula": "", "rights-learning": ""})

    admin_client.post(reverse("accounts-role-create"), data)

    assert not Role.objects.get(code="methodologist").rights.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_en": ""}, "This field is required."),
        ({"code": "not a slug!"}, "Enter a valid"),
        ({"kind": "boss"}, "Select a valid choice."),
        ({"rights-grades": "9"}, "Select a valid choice."),
        ({"code": roles.DEANERY}, "A role with this code already exists."),
    ],
)
def test_bad_input_re_renders_the_form_with_the_reason(admin_client, cast, overrides, message):
    roles_before = Role.objects.count()

    response = admin_client.post(reverse("accounts-role-create"), role_data(**overrides), **EN)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Please correct the errors below." in page
    assert 'value="Методист"' in page  # what was typed is kept
    assert Role.objects.count() == roles_before
    assert not AuditEntry.objects.filter(action="role_create").exists()


# --- The rights editor ------------------------------------------------------------------


def test_the_editor_shows_the_current_levels(admin_client, cast):
    role = methodologist(cast)

    page = admin_client.get(reverse("accounts-role", args=[role.pk]), **EN).content.decode()

    assert '<option value="2" selected>edit</option>' in page
    assert '<option value="1" selected>view</option>' in page
    assert page.count("selected>") == 2 + len(Module.values) - 2  # the rest at "none"


def test_saving_the_grid_replaces_the_rights_and_is_audited(admin_client, cast):
    role = methodologist(cast)
    holder = make_user("holder")
    role_assign(by=None, user=holder, role=role, scope=Scope.institution())

    response = admin_client.post(
        reverse("accounts-role", args=[role.pk]),
        {"rights-curricula": "3", "rights-grades": "1", "rights-learning": ""},
    )

    assert response["Location"] == reverse("accounts-role", args=[role.pk])
    assert dict(role.rights.values_list("module", "level")) == {"curricula": 3, "grades": 1}
    holder = type(holder).objects.get(pk=holder.pk)
    assert has_right(holder, Module.CURRICULA, Level.APPROVE)
    assert not has_right(holder, Module.LEARNING, Level.VIEW)
    entry = AuditEntry.objects.get(action="role_update_rights")
    assert entry.before == {"rights": {"curricula": 1, "learning": 2}}
    assert entry.after == {"rights": {"curricula": 3, "grades": 1}}


def test_a_shipped_role_s_rights_may_be_edited_too(admin_client):
    librarian = Role.objects.get(code=roles.LIBRARIAN)

    admin_client.post(reverse("accounts-role", args=[librarian.pk]), {"rights-library": "3"})

    assert dict(librarian.rights.values_list("module", "level")) == {"library": 3}


def test_a_bad_level_re_renders_the_editor_and_changes_nothing(admin_client, cast):
    role = methodologist(cast)

    response = admin_client.post(
        reverse("accounts-role", args=[role.pk]), {"rights-grades": "approve"}, **EN
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert set(role.rights.values_list("module", flat=True)) == {"curricula", "learning"}
    assert not AuditEntry.objects.filter(action="role_update_rights").exists()


def test_a_missing_role_is_not_found(admin_client):
    assert admin_client.get(reverse("accounts-role", args=[99999])).status_code == 404


# --- Deleting a role --------------------------------------------------------------------


def test_deleting_asks_first_then_deletes_and_audits(admin_client, cast):
    role = methodologist(cast)
    url = reverse("accounts-role-delete", args=[role.pk])

    question = admin_client.get(url, **EN).content.decode()
    assert "Delete the role Methodologist methodologist?" in question
    assert Role.objects.filter(pk=role.pk).exists()

    response = admin_client.post(url)

    assert response["Location"] == reverse("accounts-roles")
    assert not Role.objects.filter(pk=role.pk).exists()
    entry = AuditEntry.objects.get(action="role_delete")
    assert entry.before["code"] == "methodologist"
    assert entry.before["rights"] == {"curricula": 1, "learning": 2}
    assert entry.after is None


def refusal(admin_client, role: Role) -> str:
    response = admin_client.post(reverse("accounts-role-delete", args=[role.pk]), follow=True, **EN)
    assert response.redirect_chain[-1][0] == reverse("accounts-role", args=[role.pk])
    assert Role.objects.filter(pk=role.pk).exists()
    assert not AuditEntry.objects.filter(action="role_delete").exists()
    return response.content.decode()


def test_a_held_role_is_not_deleted(admin_client, cast):
    role = methodologist(cast)
    role_assign(by=None, user=cast.student, role=role, scope=Scope.own())

    assert "The role is still assigned; revoke it first." in refusal(admin_client, role)


def test_a_role_owning_data_is_not_deleted(admin_client, cast):
    role = methodologist(cast)
    DataOwnership.objects.filter(data_kind=DataKind.GRADES).update(owner=role)

    assert "The role owns data" in refusal(admin_client, role)


def test_a_shipped_role_is_not_deleted(admin_client):
    page = refusal(admin_client, Role.objects.get(code=roles.LIBRARIAN))

    assert "Roles shipped with the system cannot be deleted." in page


# --- A user's roles -----------------------------------------------------------------------


def test_the_user_page_lists_the_roles_with_links(admin_client, cast):
    page = admin_client.get(reverse("accounts-user", args=[cast.deanery_a.pk]), **EN)
    page = page.content.decode()

    deanery = Role.objects.get(code=roles.DEANERY)
    assert reverse("accounts-role", args=[deanery.pk]) in page
    assert "Deanery" in page and "faculty #1" in page
    assert reverse("accounts-user-roles", args=[cast.deanery_a.pk]) in page


def test_the_roles_page_names_the_units_and_the_ids_of_missing_ones(admin_client, cast, university):
    role_assign(
        by=None,
        user=cast.deanery_a,
        role=Role.objects.get(code=roles.CURATOR),
        scope=Scope(ScopeKind.GROUP, 777),
        valid_from=date(2026, 9, 1),
        valid_to=date(2027, 6, 30),
    )

    page = admin_client.get(reverse("accounts-user-roles", args=[cast.deanery_a.pk]), **EN)
    page = page.content.decode()

    assert "faculty: Faculty A" in page
    assert "group: #777 (no longer exists)" in page
    assert "Sept. 1, 2026" in page
    assert "ГР-2-24" in page  # offered in the unit select
    assert "Faculty B" in page


def test_the_roles_page_costs_the_same_queries_for_few_and_many_assignments(
    admin_client, cast, university
):
    url = reverse("accounts-user-roles", args=[cast.teacher.pk])
    by_code = {role.code: role for role in Role.objects.all()}
    grant = {"by": cast.admin, "user": cast.teacher}
    role_assign(**grant, role=by_code[roles.DEANERY], scope=Scope("faculty", 1))
    role_assign(**grant, role=by_code[roles.CURATOR], scope=Scope("group", 1))
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for code in (roles.LIBRARIAN, roles.HR, roles.CASHIER):
        role_assign(**grant, role=by_code[code], scope=Scope("faculty", 2))
        role_assign(**grant, role=by_code[code], scope=Scope("group", 2))

    with CaptureQueriesContext(connection) as many:
        page = admin_client.get(url, **EN).content.decode()

    assert page.count("revoke/") == 9
    assert len(many) == len(few)


def assign(admin_client, user, **data):
    return admin_client.post(reverse("accounts-user-roles", args=[user.pk]), data, **EN)


def test_a_role_is_assigned_in_a_unit_and_audited(admin_client, cast, university):
    librarian = Role.objects.get(code=roles.LIBRARIAN)

    response = assign(
        admin_client,
        cast.teacher,
        role=librarian.pk,
        scope_kind="faculty",
        unit=f"faculty:{university.faculty_b.pk}",
        valid_from="2026-09-01",
        valid_to="",
    )

    assert response["Location"] == reverse("accounts-user-roles", args=[cast.teacher.pk])
    assignment = RoleAssignment.objects.get(user=cast.teacher, role=librarian)
    assert (assignment.scope_kind, assignment.scope_id) == ("faculty", university.faculty_b.pk)
    assert assignment.valid_from == date(2026, 9, 1)
    assert assignment.granted_by == cast.admin
    entry = AuditEntry.objects.get(action="role_assign", object_id=str(assignment.pk))
    assert entry.before is None
    assert entry.after["scope_kind"] == "faculty"
    assert entry.after["role"] == librarian.pk


def test_an_institution_wide_role_takes_no_unit(admin_client, cast):
    librarian = Role.objects.get(code=roles.LIBRARIAN)

    assign(admin_client, cast.teacher, role=librarian.pk, scope_kind="institution", unit="")

    assignment = RoleAssignment.objects.get(user=cast.teacher, role=librarian)
    assert (assignment.scope_kind, assignment.scope_id) == ("institution", None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope_kind": "faculty", "unit": "group:1"}, "Choose a unit of the chosen scope."),
        ({"scope_kind": "institution", "unit": "faculty:1"}, "This scope names no unit"),
        ({"scope_kind": "faculty", "unit": ""}, "Choose a unit of the chosen scope."),
        ({"scope_kind": "faculty", "unit": "faculty:99"}, "Select a valid choice."),
        ({"scope_kind": "planet", "unit": ""}, "Select a valid choice."),
        (
            {"scope_kind": "own", "unit": "", "valid_from": "2027-01-01", "valid_to": "2026-01-01"},
            "The end of the period comes before its start.",
        ),
        ({"scope_kind": "own", "unit": "", "role": "student"}, "Select a valid choice."),
    ],
)
def test_bad_assignments_re_render_the_form(admin_client, cast, university, data, message):
    student_role = Role.objects.get(code=roles.STUDENT)
    before = RoleAssignment.objects.count()

    response = assign(admin_client, cast.teacher, **({"role": student_role.pk} | data))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert RoleAssignment.objects.count() == before
    assert not AuditEntry.objects.filter(action="role_assign", actor=cast.admin).exists()


def test_the_same_role_twice_in_a_scope_is_refused(admin_client, cast):
    student_role = Role.objects.get(code=roles.STUDENT)

    response = assign(admin_client, cast.student, role=student_role.pk, scope_kind="own", unit="")

    assert response.status_code == 200
    assert "The user already holds this role in this scope." in response.content.decode()


def test_revoking_asks_first_then_revokes_and_audits(admin_client, cast):
    assignment = RoleAssignment.objects.get(user=cast.deanery_a)
    url = reverse("accounts-user-role-revoke", args=[cast.deanery_a.pk, assignment.pk])

    question = admin_client.get(url, **EN).content.decode()
    assert "Take the role Deanery away from" in question
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()

    response = admin_client.post(url)

    assert response["Location"] == reverse("accounts-user-roles", args=[cast.deanery_a.pk])
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditEntry.objects.get(action="role_revoke")
    assert entry.before["scope_kind"] == "faculty" and entry.before["scope_id"] == 1
    assert entry.after is None


def test_an_assignment_of_another_user_is_not_found_through_this_user(admin_client, cast):
    assignment = RoleAssignment.objects.get(user=cast.deanery_a)
    url = reverse("accounts-user-role-revoke", args=[cast.deanery_b.pk, assignment.pk])

    assert admin_client.post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


# --- Data ownership ---------------------------------------------------------------------


def test_the_ownership_page_lists_every_kind_of_data_with_its_owner(admin_client):
    page = admin_client.get(reverse("accounts-ownership"), **EN).content.decode()

    for label in DataKind.labels:
        assert escape(str(label)) in page
    assert "Deanery" in page and "Accounting and cashier" in page


def test_moving_ownership_asks_first_then_moves_and_audits(admin_client, cast):
    department = Role.objects.get(code=roles.DEPARTMENT)
    deanery = Role.objects.get(code=roles.DEANERY)
    url = reverse("accounts-ownership-move", args=["grades"]) + f"?owner={department.pk}"

    question = admin_client.get(url, **EN).content.decode()
    assert "Make Department the only office that writes grades?" in question
    assert ownership_map()[DataKind.GRADES] == deanery

    response = admin_client.post(url)

    assert response["Location"] == reverse("accounts-ownership")
    assert ownership_map()[DataKind.GRADES] == department
    entry = AuditEntry.objects.get(action="ownership_set")
    assert entry.before == {"owner": deanery.pk}
    assert entry.after == {"owner": department.pk}
    assert entry.actor == cast.admin


def test_the_move_page_offers_the_roles_and_re_renders_a_bad_choice(admin_client):
    url = reverse("accounts-ownership-move", args=["grades"])

    form = admin_client.get(url, **EN).content.decode()
    bad = admin_client.post(url + "?owner=99999", **EN)

    assert "Deanery" in form and 'name="owner"' in form
    assert bad.status_code == 200
    assert "Select a valid choice." in bad.content.decode()
    assert ownership_map()[DataKind.GRADES].code == roles.DEANERY
    assert not AuditEntry.objects.filter(action="ownership_set").exists()


def test_an_unknown_kind_of_data_is_not_found(admin_client):
    assert (
        admin_client.get(reverse("accounts-ownership-move", args=["horoscopes"])).status_code == 404
    )


# --- Django admin reads only ------------------------------------------------------------


def test_django_admin_can_no_longer_change_roles(admin_client, cast):
    role = Role.objects.get(code=roles.LIBRARIAN)
    change = reverse("admin:accounts_role_change", args=[role.pk])

    page = admin_client.get(change).content.decode()
    posted = admin_client.post(change, {"code": "hacked", "name_ky": "x", "name_ru": "x"})

    assert 'name="_save"' not in page
    assert "every change is audited" in page
    assert f'<a href="{reverse("accounts-roles")}">' in page
    assert posted.status_code == 403
    role.refresh_from_db()
    assert role.code == roles.LIBRARIAN
    assert admin_client.get(reverse("admin:accounts_role_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:accounts_role_delete", args=[role.pk])).status_code == 403
    )


@pytest.mark.parametrize("model", ["roleassignment", "dataownership", "guardianship", "role"])
def test_django_admin_adds_none_of_the_access_tables(admin_client, model):
    assert admin_client.get(reverse(f"admin:accounts_{model}_add")).status_code == 403
    changelist = admin_client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
