"""access_audit: the whole log is for those who may read it for the whole institution."""

from __future__ import annotations

import pytest
from django.http import Http404

from hub.accounts.access import Scope, forget_rights
from hub.accounts.actions import role_assign
from hub.accounts.models import Level, Module, Role, RoleRight, ScopeKind
from hub.audit.permissions import access_audit, may_view_audit


@pytest.fixture
def audit_reader(db) -> Role:
    role = Role.objects.create(
        code="audit-reader", name_ky="Аудит", name_ru="Аудит", name_en="Audit reader"
    )
    RoleRight.objects.create(role=role, module=Module.AUDIT, level=Level.VIEW)
    return role


def test_a_superuser_may_read_the_log(cast):
    assert may_view_audit(cast.admin)
    access_audit(cast.admin)


def test_a_right_on_the_whole_institution_opens_the_log(cast, audit_reader):
    role_assign(by=None, user=cast.records_office, role=audit_reader, scope=Scope.institution())
    forget_rights(cast.records_office)

    assert may_view_audit(cast.records_office)


def test_a_right_within_one_faculty_reads_that_faculty(cast, audit_reader):
    # Entries record the units of the changed object (hub.audit.units).
    role_assign(by=None, user=cast.hr, role=audit_reader, scope=Scope(ScopeKind.FACULTY, 1))
    forget_rights(cast.hr)

    assert may_view_audit(cast.hr)
    assert access_audit(cast.hr) == [Scope(ScopeKind.FACULTY, 1)]
    with pytest.raises(Http404):
        access_audit(cast.teacher)


def test_an_inactive_administrator_may_not(cast):
    cast.admin.is_active = False

    assert not may_view_audit(cast.admin)


def test_anonymous_may_not(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        access_audit(AnonymousUser())
