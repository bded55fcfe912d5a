"""The grades home page: every grades page the signed-in user may open, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from academic.grades import permissions
from academic.records.models import Student
from hub.accounts.models import Cabinet


@dataclass(frozen=True)
class Entry:
    title: Promise
    description: Promise
    url: str


def _own_entries(user) -> list[Entry]:
    """A student's and a parent's pages: their (child's) grades, record book, transcript."""
    entries = []
    if user.cabinet in (Cabinet.STUDENT, Cabinet.PARENT):
        entries.append(
            Entry(
                _("My grades"),
                _("Scores and attendance in this term's courses, live."),
                reverse("grades:journal-my-grades"),
            )
        )
    own = Student.objects.filter(user=user).values_list("pk", flat=True).first()
    if own is not None:
        entries += [
            Entry(
                _("Record book"),
                _("Every closed exam and credit, by semester."),
                reverse("grades:documents-record-book", args=[own]),
            ),
            Entry(
                _("Transcript"),
                _("Credits, scores, letters and GPA per term and in total."),
                reverse("grades:documents-transcript", args=[own]),
            ),
            Entry(
                _("Certificates"),
                _("Order a certificate of study or a transcript with a verification code."),
                reverse("grades:documents-student", args=[own]),
            ),
        ]
    return entries


def _teaching_entries(user, office: bool) -> list[Entry]:
    """The journal, the sheets and the change requests: teachers' and offices' work."""
    if not (office or permissions.is_teacher(user)):
        return []
    return [
        Entry(
            _("Journals"),
            _("Attendance and scores lesson by lesson."),
            reverse("grades:journal-courses"),
        ),
        Entry(
            _("Exam sheets"),
            _("Sheets of the session: fill, close, export."),
            reverse("grades:sheets"),
        ),
        Entry(
            _("Changes of closed sheets"),
            _("Requests to change a closed sheet and their decisions."),
            reverse("grades:change-requests"),
        ),
    ]


def _office_entries() -> list[Entry]:
    """Session results, debts and ratings: for offices reading grades in their scope."""
    return [
        Entry(
            _("Session results"),
            _("Pass rates, averages and marks by faculty, group and course, with charts."),
            reverse("grades:session-results"),
        ),
        Entry(
            _("Session monitoring"),
            _("How many sheets are closed, live."),
            reverse("grades:session-monitor"),
        ),
        Entry(
            _("Final-score journal"),
            _("A group's final totals for every course of a term."),
            reverse("grades:final-journal"),
        ),
        Entry(
            _("Rating"), _("Students ranked by their checkpoint results."), reverse("grades:rating")
        ),
        Entry(
            _("Academic debts"),
            _("Failed, missed and not admitted controls, and retakes."),
            reverse("grades:debts"),
        ),
        Entry(
            _("Academic differences"),
            _("Disciplines transferred students still have to pass."),
            reverse("grades:differences"),
        ),
    ]


def _reference_entries(user) -> list[Entry]:
    entries = []
    if permissions.may_keep_calendar(user):
        entries.append(
            Entry(
                _("Generate courses and sheets"),
                _("Make the term's courses and exam sheets from the working plans."),
                reverse("grades:courses-generate"),
            )
        )
    entries += [
        Entry(
            _("Academic calendar"),
            _("Teaching weeks, modules, sessions and holidays."),
            reverse("grades:calendar"),
        ),
        Entry(
            _("Grading scale"),
            _("Scores, letters, GPA points and marks."),
            reverse("grades:scale"),
        ),
        Entry(
            _("Check a document"),
            _("Verify a document issued by the university by its code."),
            reverse("grades:documents-verify-lookup"),
        ),
    ]
    return entries


@login_required
def grades_home(request: HttpRequest) -> HttpResponse:
    """The grades pages open to the user, grouped by whose work they are."""
    user = request.user
    office = permissions.may_read_grades_office(user)
    sections = [
        (_("My studies"), _own_entries(user)),
        (_("Teaching"), _teaching_entries(user, office)),
        (_("Offices"), _office_entries() if office else []),
        (_("Reference"), _reference_entries(user)),
    ]
    return render(
        request,
        "grades/home.html",
        {"sections": [(title, entries) for title, entries in sections if entries]},
    )
