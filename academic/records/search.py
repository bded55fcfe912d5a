"""Search of students (SR-7): by name in Cyrillic or Latin and by any attribute of the file.

The free text is split into words; every word must match some field (names,
record book number, PIN, phone, document number, group, specialty), so
"асанов бак" and "бак асанов" find the same student. Names and the record
book number are looked up in the file's lower-cased `search_text` (one column
instead of six). Structured filters (status today, sex, birth year, region…)
narrow the result further.

SQLite folds case for ASCII letters only, so for the other free-text columns
(group names, nationality, citizenship) each value is also tried lower-case,
capitalised, title-cased and upper-case, which covers them as they are
written. PostgreSQL folds every alphabet itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from academic.records.models import Student, StudentState
from academic.records.selectors import name_matches, states_on
from academic.structure.models import Group
from hub.accounts.models import User

MAX_WORDS = 5
PICKER_SIZE = 20

# Identifiers a word with a digit is also looked up in.
NUMBER_FIELDS = ("pin", "document_number")


@dataclass(frozen=True)
class StudentFilters:
    """The structured part of a search; empty values do not filter."""

    status: str = ""
    group: int | None = None
    specialty: int | None = None
    faculty: int | None = None
    sex: str = ""
    birth_year: int | None = None
    region: int | None = None
    nationality: str = ""
    citizenship: str = ""


def _spellings(word: str) -> set[str]:
    if connection.vendor == "postgresql":
        return {word}
    return {word, word.lower(), word.capitalize(), word.title(), word.upper()}


def _same_text(field: str, value: str) -> Q:
    """`field` equal to `value` whatever the case (of its usual spellings, on SQLite)."""
    match = Q()
    for spelling in _spellings(value):
        match |= Q(**{f"{field}__iexact": spelling})
    return match


def word_filter(word: str, today: date) -> Q:
    """Students with `word` inside a name (any script, any case) or an identifier.

    A word with a digit may also be part of the PIN, the document number, the
    student's group name ("ПИ-1") or specialty code today; a word of digits
    (or "+" and digits) part of the phone.
    """
    match = name_matches([word])
    if not any(c.isdigit() for c in word):
        # Names only: identifiers and group names all have digits, and skipping
        # them spares their subqueries.
        return match
    # Identifiers are digits and capital Latin letters: a plain LIKE, no case folding per row.
    for name in NUMBER_FIELDS:
        match |= Q(**{f"{name}__contains": word.upper()})
    if word.lstrip("+").isdigit():
        # The phone lives on the account: a subquery spares a join of every student to it.
        match |= Q(user_id__in=User.objects.filter(phone__contains=word).values("pk"))
    names = Q(specialty__code__startswith=word)
    for spelling in _spellings(word):
        names |= Q(name__icontains=spelling)
    # The few matching groups first, then their states through the group index.
    groups = Group.objects.filter(names).values("pk")
    return match | Q(pk__in=states_on(today).filter(group__in=groups).values("student_id"))


def text_filter(text: str, today: date) -> Q:
    """Every word of `text` (at most MAX_WORDS) matches some field of the student."""
    match = Q()
    for word in text.split()[:MAX_WORDS]:
        match &= word_filter(word, today)
    return match


def _region_filter(region: int) -> Q:
    unit = "address_unit"
    return (
        Q(**{f"{unit}_id": region})
        | Q(**{f"{unit}__parent_id": region})
        | Q(**{f"{unit}__parent__parent_id": region})
        | Q(**{f"{unit}__parent__parent__parent_id": region})
    )


def _state_filter(filters: StudentFilters, today: date) -> QuerySet[StudentState] | None:
    """Today's states the filters ask for (status, group, specialty, faculty), or None."""
    lookups = {
        "status": filters.status,
        "group_id": filters.group,
        "group__specialty_id": filters.specialty,
        "group__specialty__department__faculty_id": filters.faculty,
    }
    lookups = {key: value for key, value in lookups.items() if value}
    if not lookups:
        return None
    return states_on(today).filter(**lookups)


def search_students(
    students: QuerySet[Student],
    *,
    text: str = "",
    filters: StudentFilters = StudentFilters(),
    today: date | None = None,
) -> QuerySet[Student]:
    """The students of `students` (the reader's visible ones) matching `text` and `filters`.

    By name; each with `today_states` (their state today, with group and
    specialty) prefetched, so a page of results costs two queries (three with
    search_page).
    """
    today = today or timezone.localdate()
    found = students
    if text.strip():
        found = found.filter(text_filter(text, today))
    states = _state_filter(filters, today)
    if states is not None:
        found = found.filter(pk__in=states.values("student_id"))
    if filters.sex:
        found = found.filter(sex=filters.sex)
    if filters.birth_year:
        start = date(filters.birth_year, 1, 1)
        found = found.filter(
            birth_date__gte=start, birth_date__lt=start.replace(year=start.year + 1)
        )
    if filters.region:
        found = found.filter(_region_filter(filters.region))
    if filters.nationality:
        found = found.filter(_same_text("nationality", filters.nationality))
    if filters.citizenship:
        found = found.filter(_same_text("citizenship", filters.citizenship))
    return with_today_states(found, today).order_by("user__last_name", "user__first_name", "id")


def with_today_states(students: QuerySet[Student], today: date) -> QuerySet[Student]:
    """`students` with the user and `today_states` (the state today, group, specialty)."""
    # order_by(): the states' default order would join the students and users again.
    today_states = states_on(today).select_related("group__specialty").order_by()
    return students.select_related("user").prefetch_related(
        Prefetch("states", queryset=today_states, to_attr="today_states")
    )


def search_page(
    found: QuerySet[Student], number: object, size: int, *, today: date | None = None
) -> Page:
    """Page `number` of `found` (from search_students), in one scan of the table.

    The ids of every match come first, in order (they give the count), then
    the page's students by id alone: a count and a page query would each run
    the whole search.
    """
    page = Paginator(list(found.values_list("pk", flat=True)), size).get_page(number)
    chosen = Student.objects.filter(pk__in=page.object_list)
    students = {s.pk: s for s in with_today_states(chosen, today or timezone.localdate())}
    page.object_list = [students[pk] for pk in page.object_list if pk in students]
    return page


def picker_rows(students: QuerySet[Student]) -> list[dict]:
    """The first PICKER_SIZE found students as JSON rows for the pickers of other forms."""
    rows = []
    for student in students[:PICKER_SIZE]:
        state = student.today_states[0] if student.today_states else None
        rows.append(
            {
                "id": student.pk,
                "url": reverse("records:student", args=[student.pk]),
                "name": student.user.get_full_name(),
                "name_latin": student.user.get_full_name_latin(),
                "record_number": student.record_number,
                "group": state.group.name if state else "",
                "status": state.status if state else "",
                "status_display": str(state.get_status_display()) if state else "",
            }
        )
    return rows
