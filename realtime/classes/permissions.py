"""Who may be in an online class: the only access checks of this app.

- The class of a lesson is taught (started, moderated, ended, its attendance
  confirmed) by the teacher of the lesson's course.
- It is attended by the students of the course's group, as the records say
  today (StudentState covering today, studying): a student moved to another
  group by a signed order stops seeing it at once.
- Everyone else gets the same Http404 for a missing and a forbidden class.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.models import Lesson
from academic.grades.permissions import is_teacher
from academic.records.models import Status, StudentState
from academic.records.selectors import covering
from realtime.classes.media.provider import Role
from realtime.classes.models import OnlineClass


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def is_class_teacher(user, lesson: Lesson) -> bool:
    """The teacher of the lesson's course (and a teacher by role)."""
    teacher_id = lesson.course.teacher_id
    return teacher_id is not None and teacher_id == user.pk and is_teacher(user)


def is_class_student(user, lesson: Lesson) -> bool:
    """A student of the lesson's group today, per the records."""
    return StudentState.objects.filter(
        covering(timezone.localdate()),
        student__user_id=user.pk,
        group_id=lesson.course.group_id,
        status=Status.STUDYING,
    ).exists()


def class_role(user, lesson: Lesson) -> Role | None:
    """How `user` takes part in the lesson's classes: teacher, student, or not at all (None)."""
    if user is None or not user.is_authenticated:
        return None
    if is_class_teacher(user, lesson):
        return Role.TEACHER
    if is_class_student(user, lesson):
        return Role.STUDENT
    return None


def access_lesson(user, lesson_id: int, *, teach: bool = False) -> tuple[Lesson, Role]:
    """The lesson and `user`'s role in its classes; with `teach`, only for its teacher."""
    lesson = (
        Lesson.objects.select_related("course__group", "course__discipline", "course__teacher")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None:
        raise _not_found()
    role = class_role(user, lesson)
    if role is None or (teach and role != Role.TEACHER):
        raise _not_found()
    return lesson, role


def access_class(user, class_id: int, *, teach: bool = False) -> tuple[OnlineClass, Role]:
    """The class and `user`'s role in it; with `teach`, only for the lesson's teacher."""
    online_class = (
        OnlineClass.objects.select_related(
            "lesson__course__group", "lesson__course__discipline", "lesson__course__teacher"
        )
        .filter(pk=class_id)
        .first()
    )
    if online_class is None:
        raise _not_found()
    role = class_role(user, online_class.lesson)
    if role is None or (teach and role != Role.TEACHER):
        raise _not_found()
    return online_class, role
