"""The navigation of the signed-in user's cabinet, for the header of every page."""

from __future__ import annotations

from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from academic.curricula.permissions import may_read_curricula
from academic.records.permissions import may_read_records
from academic.staff.permissions import may_read_staff
from academic.structure.permissions import may_read_structure
from hub.accounts.models import Cabinet
from hub.accounts.permissions import may_administer_accounts
from hub.audit.permissions import may_view_audit


class NavItem(NamedTuple):
    label: str
    url: str


# The link that carries the live unread-notifications badge.
NOTIFICATIONS_URL = "/notifications/"


# Background jobs (imports, reports) are started by people who run an office
# or a course; students, parents and applicants have none to follow.
JOB_CABINETS = {Cabinet.TEACHER, Cabinet.CURATOR, Cabinet.STAFF, Cabinet.ADMIN}
API_CABINETS = {Cabinet.STAFF, Cabinet.ADMIN}
# Office pages (audit, structure, accounts) are offered to office cabinets only.
OFFICE_CABINETS = {Cabinet.STAFF, Cabinet.ADMIN}


def navigation_for(user) -> list[NavItem]:
    """The header links of `user`, only to pages that exist; none for anonymous."""
    if user is None or not user.is_authenticated:
        return []
    items = [
        NavItem(_("My cabinet"), reverse("cabinet-page", args=[user.cabinet])),
        NavItem(_("Notifications"), NOTIFICATIONS_URL),
        NavItem(_("Chats"), reverse("chat:list")),
        NavItem(_("Announcements"), reverse("announcement-list")),
    ]
    if user.cabinet != Cabinet.APPLICANT:  # applicants have no grades yet
        items.append(NavItem(_("Grades"), reverse("grades:home")))
    if user.cabinet in (Cabinet.STUDENT, Cabinet.TEACHER):
        items.append(NavItem(_("Courses"), reverse("learning:courses")))
    if user.cabinet == Cabinet.STUDENT:
        items.append(NavItem(_("Tests"), reverse("testing:my-tests")))
    elif user.cabinet == Cabinet.TEACHER:
        items.append(NavItem(_("Tests"), reverse("testing:banks")))
    if user.cabinet == Cabinet.CURATOR:
        items.append(NavItem(_("My groups"), reverse("curator-groups")))
    if user.cabinet in JOB_CABINETS:
        items.append(NavItem(_("Jobs"), "/jobs/"))
    if user.cabinet in API_CABINETS or user.is_staff:
        items.append(NavItem(_("API"), "/api/docs/"))
    if _may_view_audit(user):
        items.append(NavItem(_("Audit log"), reverse("audit:list")))
    if _may_view_structure(user):
        items.append(NavItem(_("University structure"), reverse("structure:overview")))
    if _in_office(user) and may_read_records(user):
        items.append(NavItem(_("Student records"), reverse("records:students")))
    if _in_office(user) and may_read_curricula(user):
        items.append(NavItem(_("Curricula"), reverse("curricula:list")))
    if user.cabinet == Cabinet.STUDENT:
        items.append(NavItem(_("My study plan"), reverse("curricula:my-plans")))
    if _in_office(user) and may_read_staff(user):
        items.append(NavItem(_("Staff records"), reverse("staff:employees")))
    if _may_administer_accounts(user):
        items.append(NavItem(_("Accounts"), reverse("accounts-users")))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index")))
    items.append(NavItem(_("My profile"), reverse("profile")))
    return items


def _in_office(user) -> bool:
    # Rights are read (two queries) only for office cabinets and superusers, so
    # the pages of students, parents and teachers keep their query count.
    return user.is_superuser or user.cabinet in OFFICE_CABINETS


def _may_administer_accounts(user) -> bool:
    return _in_office(user) and may_administer_accounts(user)


def _may_view_structure(user) -> bool:
    return _in_office(user) and may_read_structure(user)


def _may_view_audit(user) -> bool:
    return _in_office(user) and may_view_audit(user)


def display_name(user) -> str:
    """The name in the header: Latin in English, Cyrillic otherwise, else the login."""
    if user is None or not user.is_authenticated:
        return ""
    return user.get_full_name_for(get_language()) or user.get_username()


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "navigation": navigation_for(user),
        "notifications_url": NOTIFICATIONS_URL,
        "user_display_name": display_name(user),
    }
