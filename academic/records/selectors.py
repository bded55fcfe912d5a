"""Reads of student records: who was where on which date, lists, personal files, orders.

"On a date" always means the StudentState period covering it: valid_from ≤ date
and (valid_to is empty or date < valid_to).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from academic.records.models import (
    GroupCourse,
    Order,
    OrderLine,
    StarostaTerm,
    Status,
    Student,
    StudentState,
)

GROUP_PATH = (
    "group__specialty__department__faculty",
    "group__specialty__department__college",
)


def covering(on: date, prefix: str = "") -> Q:
    """A filter on StudentState (or, with `prefix`, a relation to it) for periods covering `on`."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def state_on(student: Student, on: date | None = None) -> StudentState | None:
    """The student's state on `on` (today by default), or None before their admission."""
    on = on or timezone.localdate()
    return (
        StudentState.objects.filter(covering(on), student=student)
        .select_related("group__specialty")
        .first()
    )


def open_state(student: Student) -> StudentState | None:
    """The latest state of the student, still running (None if never admitted)."""
    return StudentState.objects.filter(student=student, valid_to__isnull=True).first()


def states_on(on: date | None = None) -> QuerySet[StudentState]:
    """Every student's state on `on` (today by default), one row per admitted student."""
    return StudentState.objects.filter(covering(on or timezone.localdate()))


def group_students_on(
    group_id: int, on: date | None = None, *, statuses: tuple[str, ...] = (Status.STUDYING,)
) -> QuerySet[Student]:
    """The students of a group on `on` (today by default) in `statuses`, by name.

    This is the list journals, exam sheets, chats and timetables read: it
    follows signed orders from their effective dates.
    """
    on = on or timezone.localdate()
    ids = states_on(on).filter(group_id=group_id, status__in=statuses).values("student_id")
    return Student.objects.filter(pk__in=ids).select_related("user")


def student_history(student: Student) -> list[StudentState]:
    """Every period of the student, oldest first, with the order that began it."""
    return list(
        student.states.select_related("group", "order_line__order").order_by("valid_from", "id")
    )


def course_on(group, on: date | None = None) -> int:
    """The course of `group` on `on`: the period covering it, else the group's course now."""
    on = on or timezone.localdate()
    period = (
        GroupCourse.objects.filter(group=group, valid_from__lte=on).order_by("-valid_from").first()
    )
    if period is not None:
        return period.course
    earliest = GroupCourse.objects.filter(group=group).order_by("valid_from").first()
    return earliest.course if earliest else group.course


def personal_file(student_id: int) -> Student | None:
    """One student with everything the personal-file page shows, in a fixed number of queries."""
    return (
        Student.objects.select_related("user", "address_unit__parent__parent")
        .prefetch_related(
            "documents",
            "contacts",
            Prefetch(
                "states",
                queryset=StudentState.objects.select_related("group", "order_line__order").order_by(
                    "valid_from", "id"
                ),
            ),
        )
        .filter(pk=student_id)
        .first()
    )


def orders_list(*, kind: str = "", status: str = "", q: str = "") -> QuerySet[Order]:
    """Orders newest first, filtered; each with its number of lines."""
    from django.db.models import Count

    orders = Order.objects.annotate(size=Count("lines"))
    if kind:
        orders = orders.filter(kind=kind)
    if status:
        orders = orders.filter(status=status)
    if q:
        orders = orders.filter(Q(number__icontains=q) | Q(reason__icontains=q))
    return orders.order_by("-date", "-id")


def order_lines(order: Order) -> QuerySet[OrderLine]:
    """The lines of an order with their students and groups, in a fixed number of queries."""
    return order.lines.select_related("student__user", "group").order_by("id")


def name_matches(words: list[str], prefix: str = "") -> Q:
    """Every word (any case) found in some name, Cyrillic or Latin, or the record book number."""
    condition = Q()
    for word in words:
        condition &= Q(**{f"{prefix}search_text__contains": word.lower()})
    return condition


def student_rows(
    *,
    visible: Q | None,
    on: date,
    faculty: int | None = None,
    specialty: int | None = None,
    group: str = "",
    course: int | None = None,
    study_form: str = "",
    status: str = "",
    funding: str = "",
    q: str = "",
    order_by: tuple[str, ...] = ("student__user__last_name", "student_id"),
) -> QuerySet[StudentState]:
    """Students' states on `on` inside `visible` (a filter on states; None = all), filtered.

    One row per student with the student, user and group path selected, so a
    page of any size costs the same queries.
    """
    rows = states_on(on).select_related("student__user", "group__specialty__department")
    if visible is not None:
        rows = rows.filter(visible)
    filters = {
        "group__specialty__department__faculty_id": faculty,
        "group__specialty_id": specialty,
        "group__course": course,
        "group__study_form": study_form or None,
        "status": status or None,
        "funding": funding or None,
        "group__name__iexact": group.strip() or None,
    }
    rows = rows.filter(**{key: value for key, value in filters.items() if value is not None})
    if q.strip():
        rows = rows.filter(name_matches(q.split(), prefix="student__"))
    return rows.order_by(*order_by)


def students_not_admitted(q: str = "") -> QuerySet[Student]:
    """Personal files no admission order has placed yet, newest first."""
    students = Student.objects.filter(states__isnull=True).select_related("user")
    if q.strip():
        students = students.filter(name_matches(q.split()))
    return students.order_by("-created_at", "-id")


def starosta_terms(group) -> list[StarostaTerm]:
    """The heads of a group, newest first, with their names."""
    return list(StarostaTerm.objects.filter(group=group).select_related("student__user"))
