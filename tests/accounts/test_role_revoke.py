from __future__ import annotations

from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.actions import role_revoke
from hub.accounts.models import RoleAssignment, User


def test_a_revoked_role_grants_nothing_more(cast):
    faculty = Scope("faculty", 1)
    assert has_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=faculty)
    assignment = RoleAssignment.objects.get(user=cast.deanery_a)

    role_revoke(by=cast.admin, assignment=assignment)

    assert not RoleAssignment.objects.filter(user=cast.deanery_a).exists()
    next_request_user = User.objects.get(pk=cast.deanery_a.pk)
    assert not has_right(next_request_user, Module.GRADES, Level.VIEW, scope=faculty)


def test_revoking_through_the_users_own_object_counts_at_once(cast):
    assignment = cast.deanery_a.role_assignments.get()
    assert has_right(cast.deanery_a, Module.GRADES, Level.EDIT)

    role_revoke(by=cast.admin, assignment=assignment)

    assert not has_right(cast.deanery_a, Module.GRADES, Level.VIEW)


def test_revoking_one_holder_leaves_the_others(cast):
    role_revoke(by=cast.admin, assignment=RoleAssignment.objects.get(user=cast.deanery_a))

    assert has_right(cast.deanery_b, Module.GRADES, Level.EDIT, scope=Scope("faculty", 2))
