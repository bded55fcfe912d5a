"""Who may read and write the curator's questionnaires: the only access checks of this app.

A questionnaire holds personal and health data, so the circle is small: the
curator of the student's group (today) writes it; the deanery of the group's
faculty (or the college staff of its college) reads it; the system
administrator reads it. Everyone else, including the student, gets the same
Http404 as for a missing page.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.records.models import Student
from academic.records.selectors import states_on
from academic.structure.models import Group
from hub.accounts import roles
from hub.accounts.access import Scope, scope_contains
from hub.accounts.models import RoleAssignment, ScopeKind

# The offices that read the questionnaires of the groups in their unit.
READING_ROLES = (roles.DEANERY, roles.COLLEGE_STAFF)


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_write_questionnaires(user, group: Group) -> bool:
    """Is `user` the curator of `group` (who fills its students' questionnaires)?"""
    return _active(user) and group.curator_id == user.pk


def may_read_questionnaires(user, group: Group) -> bool:
    """The curator, the deanery (or college staff) over the group, or the administrator."""
    if not _active(user):
        return False
    if user.is_superuser or may_write_questionnaires(user, group):
        return True
    today = timezone.localdate()
    scopes = (
        RoleAssignment.objects.filter(user_id=user.pk, role__code__in=READING_ROLES)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values_list("scope_kind", "scope_id")
    )
    inner = Scope(ScopeKind.GROUP, group.pk)
    return any(scope_contains(Scope(kind, scope_id), inner) for kind, scope_id in scopes)


def may_questionnaires_anywhere(user) -> bool:
    """For menus and links: does `user` curate a group (and so fill questionnaires)?"""
    return _active(user) and Group.objects.filter(curator=user, is_active=True).exists()


def access_group_questionnaires(user, group_id: int, *, write: bool = False) -> Group:
    """The group whose questionnaires `user` reads (or, with `write`, fills); Http404 otherwise."""
    group = Group.objects.select_related("specialty__department").filter(pk=group_id).first()
    if group is None:
        raise _not_found()
    allowed = may_write_questionnaires if write else may_read_questionnaires
    if not allowed(user, group):
        raise _not_found()
    return group


def access_student_questionnaire(
    user, student_id: int, *, write: bool = False
) -> tuple[Student, Group]:
    """The student and their group today, if `user` reads (or writes) their questionnaire.

    The group is the one the records put the student in today; a student
    without one (not admitted, or expelled long ago) has no questionnaire page.
    """
    student = Student.objects.select_related("user").filter(pk=student_id).first()
    group_id = (
        states_on().filter(student_id=student_id).values_list("group_id", flat=True).first()
        if student is not None
        else None
    )
    if group_id is None:
        raise _not_found()
    return student, access_group_questionnaires(user, group_id, write=write)
