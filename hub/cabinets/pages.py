"""What each cabinet shows: its title and the sections that are still to come.

Pure data, so the cabinet view stays one function for every kind. A section
moves out of `coming` when its page exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import Cabinet


@dataclass(frozen=True)
class Section:
    title: Promise
    description: Promise


@dataclass(frozen=True)
class Link:
    """A section that exists: its page is the route `url_name` (no arguments)."""

    title: Promise
    description: Promise
    url_name: str


@dataclass(frozen=True)
class CabinetPage:
    title: Promise
    coming: tuple[Section, ...]
    ready: tuple[Link, ...] = ()


CABINET_PAGES: dict[str, CabinetPage] = {
    Cabinet.STUDENT: CabinetPage(
        title=_("Student cabinet"),
        ready=(
            Link(
                _("My grades"),
                _("Your scores and attendance in this term's courses, as teachers enter them."),
                "grades:journal-my-grades",
            ),
            Link(
                _("Record book"),
                _("Your grades for every semester, your transcript and certificates."),
                "grades:home",
            ),
        ),
        coming=(
            Section(_("Timetable"), _("Your classes for the week, with rooms and teachers.")),
            Section(_("Assignments"), _("Tasks from your courses, deadlines and feedback.")),
            Section(_("Tests"), _("Online tests and their results.")),
            Section(_("Chats"), _("Conversations with your group and your teachers.")),
        ),
    ),
    Cabinet.TEACHER: CabinetPage(
        title=_("Teacher cabinet"),
        ready=(
            Link(
                _("Journal"), _("Grades and attendance of your groups."), "grades:journal-courses"
            ),
        ),
        coming=(
            Section(_("Timetable"), _("Your classes for the week, with rooms and groups.")),
            Section(_("Courses"), _("Materials and assignments of your courses.")),
            Section(_("Tests"), _("Question banks, tests and their results.")),
            Section(_("Online classes"), _("Live lessons with your students.")),
            Section(_("Chats"), _("Conversations with your groups.")),
        ),
    ),
    Cabinet.CURATOR: CabinetPage(
        title=_("Curator cabinet"),
        ready=(
            Link(
                _("Journals"),
                _("Grades and attendance of your groups' courses."),
                "grades:journal-courses",
            ),
        ),
        coming=(
            Section(_("My groups"), _("Students of the groups you look after.")),
            Section(_("Attendance"), _("Who missed classes and how often.")),
            Section(_("Debts"), _("Students with unpassed exams and credits.")),
            Section(_("Chats"), _("Conversations with students and their parents.")),
        ),
    ),
    Cabinet.PARENT: CabinetPage(
        title=_("Parent cabinet"),
        ready=(
            Link(
                _("Grades"),
                _("Your child's scores and attendance this term."),
                "grades:journal-my-grades",
            ),
        ),
        coming=(
            Section(_("Attendance"), _("Your child's missed classes.")),
            Section(_("Payments"), _("Tuition fees and receipts.")),
            Section(_("Messages"), _("Conversations with the curator.")),
        ),
    ),
    Cabinet.APPLICANT: CabinetPage(
        title=_("Applicant cabinet"),
        coming=(
            Section(_("Application"), _("Your application and the chosen specialties.")),
            Section(_("Documents"), _("The documents you have handed in.")),
            Section(_("Entrance results"), _("Your scores and your place in the ranking.")),
            Section(_("Announcements"), _("News from the admissions office.")),
        ),
    ),
    Cabinet.STAFF: CabinetPage(
        title=_("Staff cabinet"),
        coming=(
            Section(_("Students"), _("Personal files, groups and student orders.")),
            Section(_("Curricula"), _("Base and working curricula of the specialties.")),
            Section(_("Exam sheets"), _("Opening, filling and closing exam sheets.")),
            Section(_("Reports"), _("Contingent and progress reports.")),
        ),
    ),
    Cabinet.ADMIN: CabinetPage(
        title=_("Administrator cabinet"),
        coming=(
            Section(_("Users and roles"), _("Accounts, roles and their scopes.")),
            Section(_("Audit log"), _("Who changed what and when.")),
            Section(_("Imports"), _("Loading students and staff from files.")),
        ),
    ),
}
