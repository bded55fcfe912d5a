"""Who may read and write grades: the only access checks of this app.

- A course's journal and sheets are read by its teacher and by those with
  VIEW on grades over the course's group (the deanery of its faculty, the
  curator of the group, the vice-rector, the offices institution-wide).
- They are written by the course's teacher (the sheet's examiner for a sheet)
  and by those with EDIT on grades over the group (the deanery of its
  faculty), while the sheet is open.
- A closed sheet changes only through a change request, decided by those with
  APPROVE on grades institution-wide (the vice-rector, AC-3).
- A student reads their own grades, a parent their child's (AC-8): through
  `access_student_grades`.
- The scale bands are kept by those with APPROVE on grades institution-wide
  (the administrator, the vice-rector); the academic calendar and the
  generation of courses by the keepers of curricula (academic affairs).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from academic.grades.models import Course, ExamSheet, SheetChangeRequest
from academic.records.models import Student
from academic.structure.permissions import groups_visible_filter
from hub.accounts.access import Level, Module, Scope, can_read_person, has_right, scopes_for
from hub.accounts.models import ScopeKind


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def _group_scope(group_id: int) -> Scope:
    return Scope(ScopeKind.GROUP, group_id)


def office_scopes(user, level: int = Level.VIEW) -> list[Scope]:
    """The unit scopes (not own data) where `user` holds `level` on grades."""
    return [s for s in scopes_for(user, Module.GRADES, level) if s.kind != ScopeKind.OWN]


def is_teacher(user) -> bool:
    """Does `user` teach (EDIT on grades over their own data)?"""
    return has_right(user, Module.GRADES, Level.EDIT, scope=Scope.own())


def may_read_grades_office(user) -> bool:
    """Does `user` read grades of any group as an office (menus, list pages)?"""
    return bool(office_scopes(user))


def visible_courses(user) -> QuerySet[Course]:
    """The courses whose journal `user` reads: those they teach and those of their groups."""
    condition = Q(pk__in=[])
    if is_teacher(user):
        condition |= Q(teacher=user) | Q(sheets__teacher=user)
    scopes = office_scopes(user)
    if scopes:
        groups = groups_visible_filter(scopes, prefix="group__")
        if groups is None:
            return Course.objects.all()
        condition |= groups
    return Course.objects.filter(condition).distinct()


def may_read_course(user, course: Course) -> bool:
    if course.teacher_id is not None and course.teacher_id == user.pk and is_teacher(user):
        return True
    return has_right(user, Module.GRADES, Level.VIEW, scope=_group_scope(course.group_id))


def may_write_course(user, course: Course) -> bool:
    """The course's teacher, or EDIT on grades over its group (the faculty's deanery)."""
    if course.teacher_id is not None and course.teacher_id == user.pk and is_teacher(user):
        return True
    return has_right(user, Module.GRADES, Level.EDIT, scope=_group_scope(course.group_id))


def access_course(user, course_id: int, *, write: bool = False) -> Course:
    """The course `course_id` if `user` reads its journal (keeps it, with `write`).

    A missing and a forbidden course give the same Http404.
    """
    course = (
        Course.objects.select_related(
            "term__academic_year", "group__specialty__department", "discipline", "teacher", "line"
        )
        .filter(pk=course_id)
        .order_by()  # Course's own ordering would add its joins to a one-row lookup
        .first()
    )
    if course is None:
        raise _not_found()
    allowed = may_write_course(user, course) if write else may_read_course(user, course)
    if not allowed:
        raise _not_found()
    return course


def may_write_sheet(user, sheet: ExamSheet) -> bool:
    """The sheet's examiner, the course's teacher, or EDIT on grades over the group."""
    if sheet.teacher_id is not None and sheet.teacher_id == user.pk and is_teacher(user):
        return True
    return may_write_course(user, sheet.course)


def may_read_sheet(user, sheet: ExamSheet) -> bool:
    if sheet.teacher_id is not None and sheet.teacher_id == user.pk and is_teacher(user):
        return True
    return may_read_course(user, sheet.course)


def access_sheet(user, sheet_id: int, *, write: bool = False) -> ExamSheet:
    """The sheet `sheet_id` if `user` reads it (fills or closes it, with `write`)."""
    sheet = (
        ExamSheet.objects.select_related(
            "course__term__academic_year",
            "course__group__specialty__department__faculty",
            "course__discipline",
            "course__teacher",
            "teacher",
            "closed_by",
        )
        .filter(pk=sheet_id)
        .order_by()  # the sheet's own ordering would add joins to a one-row lookup
        .first()
    )
    if sheet is None:
        raise _not_found()
    allowed = may_write_sheet(user, sheet) if write else may_read_sheet(user, sheet)
    if not allowed:
        raise _not_found()
    return sheet


def may_decide_changes(user) -> bool:
    """APPROVE on grades institution-wide: the vice-rector (AC-3) and the administrator."""
    return has_right(user, Module.GRADES, Level.APPROVE, scope=Scope.institution())


def access_change_request(user, request_id: int, *, decide: bool = False) -> SheetChangeRequest:
    """A change request: read by readers of its sheet, decided by `may_decide_changes`."""
    change = (
        SheetChangeRequest.objects.select_related(
            "line__student__user",
            "line__sheet__course__discipline",
            "line__sheet__course__group",
            "requested_by",
            "decided_by",
        )
        .filter(pk=request_id)
        .first()
    )
    if change is None:
        raise _not_found()
    if decide:
        allowed = may_decide_changes(user)
    else:
        allowed = may_decide_changes(user) or may_read_sheet(user, change.line.sheet)
    if not allowed:
        raise _not_found()
    return change


def access_student_grades(user, student_id: int) -> Student:
    """The student `student_id` if `user` reads their grades: themselves, a parent, an office."""
    student = Student.objects.select_related("user").filter(pk=student_id).first()
    if student is None or not can_read_person(user, student.user, module=Module.GRADES):
        raise _not_found()
    return student


def may_issue_documents(user) -> bool:
    """Offices that issue documents to students: VIEW on records or grades beyond own data."""
    if office_scopes(user):
        return True
    return any(s.kind != ScopeKind.OWN for s in scopes_for(user, Module.RECORDS, Level.VIEW))


def access_student_documents(user, student_id: int) -> Student:
    """The student if `user` issues documents for them: an office over them, or the student."""
    student = Student.objects.select_related("user").filter(pk=student_id).first()
    if student is None:
        raise _not_found()
    if student.user_id == user.pk and user.is_authenticated:
        return student
    readable = can_read_person(user, student.user, module=Module.GRADES) or can_read_person(
        user, student.user, module=Module.RECORDS
    )
    if not (readable and may_issue_documents(user)):
        raise _not_found()
    return student


def may_keep_scale(user) -> bool:
    """The scale bands: APPROVE on grades institution-wide (administrator, vice-rector)."""
    return has_right(user, Module.GRADES, Level.APPROVE, scope=Scope.institution())


def may_keep_calendar(user) -> bool:
    """The academic calendar and course generation: EDIT on curricula institution-wide."""
    return has_right(user, Module.CURRICULA, Level.EDIT, scope=Scope.institution())


def access_scale(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads the scale (everyone signed in) or keeps it."""
    if not user.is_authenticated or (write and not may_keep_scale(user)):
        raise _not_found()


def access_calendar(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads the calendar (signed in) or keeps it (`write`)."""
    if not user.is_authenticated or (write and not may_keep_calendar(user)):
        raise _not_found()


def access_grades_office(user) -> None:
    """Raise Http404 unless `user` reads grades as an office (session results, debts)."""
    if not may_read_grades_office(user):
        raise _not_found()


def may_assign_teacher(user, course: Course) -> bool:
    """The department teaching the course (EDIT on workload) or the deanery of its group."""
    department = course.line.department_id if course.line_id else None
    if department and has_right(
        user, Module.WORKLOAD, Level.EDIT, scope=Scope(ScopeKind.DEPARTMENT, department)
    ):
        return True
    return has_right(user, Module.GRADES, Level.EDIT, scope=_group_scope(course.group_id))


# Documents a student issues for themselves; offices issue every kind (GB-12).
STUDENT_OWN_DOCUMENTS = ("study", "transcript")


def may_issue_student_document(user, student: Student, kind: str) -> bool:
    """May `user`, who passed access_student_documents for `student`, issue `kind` for them?"""
    if student.user_id == user.pk and not may_issue_documents(user):
        return kind in STUDENT_OWN_DOCUMENTS
    return True


def access_student_document(user, student_id: int, kind: str) -> Student:
    """The student if `user` issues the document `kind` for them (access_student_documents,
    and a student only their own certificate of study and transcript); else Http404."""
    student = access_student_documents(user, student_id)
    if not may_issue_student_document(user, student, kind):
        raise _not_found()
    return student


def may_write_grades_office(user) -> bool:
    """Does `user` keep grades of some groups as an office (EDIT beyond own data: the deanery)?"""
    return bool(office_scopes(user, Level.EDIT))


def may_keep_debts(user, group_id: int) -> bool:
    """Retakes and academic differences of a group's students: EDIT on grades over the group."""
    return has_right(user, Module.GRADES, Level.EDIT, scope=_group_scope(group_id))


def taught_group_ids(user) -> QuerySet:
    """The ids of the groups `user` teaches a course to in a term not over yet (a subquery).

    For realtime's announcements (TC-7: a teacher announces to the groups they teach).
    """
    from django.utils import timezone

    if not user.is_authenticated or not is_teacher(user):
        return Course.objects.none().values("group_id")
    return Course.objects.filter(teacher=user, term__ends_on__gte=timezone.localdate()).values(
        "group_id"
    )


def may_announce_as_teacher(user, group_id: int | None = None) -> bool:
    """Does `user` teach `group_id` (any group, with None) in a term not over yet?"""
    taught = taught_group_ids(user)
    if group_id is not None:
        taught = taught.filter(group_id=group_id)
    return taught.exists()
