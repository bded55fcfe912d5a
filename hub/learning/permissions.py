"""Who may read and write e-courses: the only access checks of this app.

- An e-course is read by its teacher, by the students studying today in one
  of its stream's groups (following the records: a transferred student
  leaves the old stream's e-course and finds the new one), and by those with
  VIEW on learning over one of those groups (the deanery of their faculty,
  the distance-learning office and the rectorate institution-wide).
- It is written (syllabus, sections, materials, assignments, checking) by its
  teacher (EDIT on learning over own data) and by those with EDIT on learning
  over one of its groups (the distance-learning office).
- A student sees the assignments given to them (the whole stream, their
  group, or them by name) and their own submissions; the readers of the
  e-course who are not its students see every submission.

Every `access_*` gives the same Http404 for a missing and a forbidden object.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.models import Course
from academic.records.models import Status, Student, StudentState
from academic.records.selectors import covering
from academic.structure.models import Group
from academic.structure.permissions import groups_visible_filter
from hub.accounts.access import Level, Module, Scope, has_right, scopes_for
from hub.accounts.models import ScopeKind
from hub.learning.models import (
    Assignment,
    AssignmentFile,
    ECourse,
    Material,
    Section,
    Submission,
    SubmissionFile,
)

_STATE_ATTRIBUTE = "_learning_state"


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def is_teacher(user) -> bool:
    """Does `user` teach (EDIT on learning over their own data)?"""
    return has_right(user, Module.LEARNING, Level.EDIT, scope=Scope.own())


def office_scopes(user, level: int = Level.VIEW) -> list[Scope]:
    """The unit scopes (not own data) where `user` holds `level` on learning."""
    return [s for s in scopes_for(user, Module.LEARNING, level) if s.kind != ScopeKind.OWN]


def student_state(user) -> StudentState | None:
    """The user's state as a student studying today (None if not one); read once per user."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, _STATE_ATTRIBUTE):
        state = None
        if has_right(user, Module.LEARNING, Level.VIEW, scope=Scope.own()):
            state = (
                StudentState.objects.filter(
                    covering(timezone.localdate()), student__user=user, status=Status.STUDYING
                )
                .select_related("student")
                .first()
            )
        setattr(user, _STATE_ATTRIBUTE, state)
    return getattr(user, _STATE_ATTRIBUTE)


def stream_group_ids(ecourse: ECourse) -> list[int]:
    """The ids of the groups the e-course's stream teaches (read once per object)."""
    if not hasattr(ecourse, "_group_ids"):
        ecourse._group_ids = sorted(
            set(ecourse.stream_courses().values_list("group_id", flat=True))
        )
    return ecourse._group_ids


def _office_may(user, ecourse: ECourse, level: int) -> bool:
    scopes = office_scopes(user, level)
    if not scopes:
        return False
    return any(
        has_right(user, Module.LEARNING, level, scope=Scope(ScopeKind.GROUP, group_id))
        for group_id in stream_group_ids(ecourse)
    )


def _teaches(user, ecourse: ECourse) -> bool:
    return ecourse.teacher_id == user.pk and is_teacher(user)


def is_course_student(user, ecourse: ECourse) -> bool:
    """Is `user` studying today in one of the e-course's groups?"""
    state = student_state(user)
    return state is not None and state.group_id in stream_group_ids(ecourse)


def may_read_ecourse(user, ecourse: ECourse) -> bool:
    if not user.is_authenticated:
        return False
    return (
        _teaches(user, ecourse)
        or is_course_student(user, ecourse)
        or _office_may(user, ecourse, Level.VIEW)
    )


def may_write_ecourse(user, ecourse: ECourse) -> bool:
    """Its teacher, or EDIT on learning over one of its groups (the distance-learning office)."""
    if not user.is_authenticated:
        return False
    return _teaches(user, ecourse) or _office_may(user, ecourse, Level.EDIT)


def _ecourse_rows():
    return ECourse.objects.select_related("term__academic_year", "discipline", "teacher")


def _checked(user, found, ecourse_of, *, write: bool):
    """`found` if it exists and `user` reads its e-course (edits it, with `write`), else 404."""
    if found is None:
        raise _not_found()
    allowed = may_write_ecourse if write else may_read_ecourse
    if not allowed(user, ecourse_of(found)):
        raise _not_found()
    return found


def access_ecourse(user, ecourse_id: int, *, write: bool = False) -> ECourse:
    """The e-course `ecourse_id` if `user` reads it (edits its content, with `write`)."""
    ecourse = _ecourse_rows().filter(pk=ecourse_id).first()
    return _checked(user, ecourse, lambda ecourse: ecourse, write=write)


def access_section(user, section_id: int, *, write: bool = False) -> Section:
    """A section, by the rights on its e-course."""
    section = (
        Section.objects.select_related(
            "ecourse__term__academic_year", "ecourse__discipline", "ecourse__teacher"
        )
        .filter(pk=section_id)
        .first()
    )
    return _checked(user, section, lambda section: section.ecourse, write=write)


def access_material(user, material_id: int, *, write: bool = False) -> Material:
    """A material (its file is downloaded with it), by the rights on its e-course."""
    material = (
        Material.objects.select_related(
            "section__ecourse__term", "section__ecourse__discipline", "section__ecourse__teacher"
        )
        .filter(pk=material_id)
        .first()
    )
    return _checked(user, material, lambda material: material.section.ecourse, write=write)


def assignment_is_for(assignment: Assignment, state: StudentState) -> bool:
    """Is the assignment given to the student of `state` (whole stream, their group, by name)?

    Reads the assignment's groups and students (prefetched by the selectors).
    """
    groups = [g.pk for g in assignment.groups.all()]
    students = [s.pk for s in assignment.students.all()]
    if not groups and not students:
        return True
    return state.group_id in groups or state.student_id in students


def access_assignment(
    user, assignment_id: int, *, write: bool = False, submit: bool = False
) -> Assignment:
    """An assignment: its e-course's readers who are not its students see all; a student
    those given to them; `write` (checking, editing) for the writers of the e-course;
    `submit` for the students it is given to only."""
    assignment = (
        Assignment.objects.select_related(
            "ecourse__term__academic_year",
            "ecourse__discipline",
            "ecourse__teacher",
            "checkpoint",
        )
        .prefetch_related("groups", "students", "files")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise _not_found()
    ecourse = assignment.ecourse
    if write:
        allowed = may_write_ecourse(user, ecourse)
    elif not submit and (_teaches(user, ecourse) or _office_may(user, ecourse, Level.VIEW)):
        allowed = True
    else:
        allowed = is_course_student(user, ecourse) and assignment_is_for(
            assignment, student_state(user)
        )
    if not allowed:
        raise _not_found()
    return assignment


def access_submission(user, submission_id: int, *, write: bool = False) -> Submission:
    """A submission: read by its student and the e-course's readers who are not students;
    checked (`write`) by the writers of the e-course."""
    submission = (
        Submission.objects.select_related(
            "assignment__ecourse__term",
            "assignment__ecourse__discipline",
            "assignment__ecourse__teacher",
            "assignment__checkpoint",
            "student__user",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise _not_found()
    ecourse = submission.assignment.ecourse
    if write:
        allowed = may_write_ecourse(user, ecourse)
    else:
        allowed = (
            (user.is_authenticated and submission.student.user_id == user.pk)
            or _teaches(user, ecourse)
            or _office_may(user, ecourse, Level.VIEW)
        )
    if not allowed:
        raise _not_found()
    return submission


def may_see_all_submissions(user, ecourse: ECourse) -> bool:
    """The teacher and the offices reading the e-course (not its students)."""
    return _teaches(user, ecourse) or _office_may(user, ecourse, Level.VIEW)


def visible_ecourses(user) -> QuerySet[ECourse]:
    """The e-courses on `user`'s "My courses": those they teach, those of their group
    today, and for an office those teaching a group in its scopes."""
    condition = Q(pk__in=[])
    if is_teacher(user):
        condition |= Q(teacher=user)
    state = student_state(user)
    if state is not None:
        condition |= Q(
            Exists(
                Course.objects.filter(
                    term_id=OuterRef("term_id"),
                    discipline_id=OuterRef("discipline_id"),
                    teacher_id=OuterRef("teacher_id"),
                    group_id=state.group_id,
                )
            )
        )
    return _with_office_courses(user, condition)


def _with_office_courses(user, condition: Q) -> QuerySet[ECourse]:
    """The e-courses matching `condition`, and for an office those teaching a group in its
    scopes (every e-course for institution-wide ones)."""
    scopes = office_scopes(user)
    if scopes:
        groups = groups_visible_filter(scopes)
        if groups is None:
            return ECourse.objects.all()
        condition |= Q(
            Exists(
                Course.objects.filter(
                    term_id=OuterRef("term_id"),
                    discipline_id=OuterRef("discipline_id"),
                    teacher_id=OuterRef("teacher_id"),
                    group_id__in=Group.objects.filter(groups).values("pk"),
                )
            )
        )
    return ECourse.objects.filter(condition)


def student_of(user) -> Student | None:
    """The user's personal file if they study today (for submitting)."""
    state = student_state(user)
    return state.student if state is not None else None


def access_assignment_file(user, file_id: int) -> AssignmentFile:
    """A file of an assignment, for those who read the assignment."""
    row = AssignmentFile.objects.filter(pk=file_id).values_list("assignment_id", flat=True).first()
    if row is None:
        raise _not_found()
    assignment = access_assignment(user, row)
    return next(f for f in assignment.files.all() if f.pk == file_id)


def access_submission_file(user, file_id: int) -> SubmissionFile:
    """A file of a submission, for those who read the submission."""
    row = SubmissionFile.objects.filter(pk=file_id).select_related("submission").first()
    if row is None:
        raise _not_found()
    access_submission(user, row.submission_id)
    return row


# --- Analytics (DL-6) ------------------------------------------------------------------


def may_read_analytics(user) -> bool:
    """Teachers (of their own courses) and those with VIEW on learning over some unit
    (the deanery over its faculty, the distance-learning office and the rectorate
    institution-wide); never students, whose VIEW on learning is over their own data."""
    if not user.is_authenticated:
        return False
    return is_teacher(user) or bool(office_scopes(user))


def access_analytics(user) -> None:
    """Raise the not-found error unless `user` reads the analytics of some e-courses."""
    if not may_read_analytics(user):
        raise _not_found()


def analytics_ecourses(user) -> QuerySet[ECourse]:
    """The e-courses whose analytics `user` reads: those they teach, and for an office
    those teaching a group in its scopes (the whole institution for institution-wide ones)."""
    if not may_read_analytics(user):
        return ECourse.objects.none()
    condition = Q(pk__in=[])
    if is_teacher(user):
        condition |= Q(teacher=user)
    return _with_office_courses(user, condition)


def analytics_faculties(user) -> set[int] | bool | None:
    """The faculties whose summaries the analytics show `user`: their own faculties' ids for
    a faculty office, None (every faculty) for an institution-wide reader or an office over
    other units, False (no faculty summaries) for a teacher without an office."""
    scopes = office_scopes(user)
    if not scopes:
        return False
    own = {s.id for s in scopes if s.kind == ScopeKind.FACULTY}
    if Scope.institution() in scopes or not own:
        return None
    return own


def access_ecourse_analytics(user, ecourse_id: int) -> ECourse:
    """The e-course `ecourse_id` if `user` reads its analytics: its teacher and the offices
    reading it (those who see every submission), never its students."""
    ecourse = access_ecourse(user, ecourse_id)
    if not may_see_all_submissions(user, ecourse):
        raise _not_found()
    return ecourse
