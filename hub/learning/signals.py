"""Receivers of learning: e-courses follow the grades courses (DL-1).

Saving a course (made one by one, or given a teacher) syncs the e-courses of
its term and discipline once committed, so a new stream gets its e-course and
a teacher change hands the e-course over. Courses made in bulk (bulk_create
sends no signal: generation, the demo) are caught by the nightly
`learning.sync_ecourses` task and the `sync_ecourses` command.
"""

from __future__ import annotations

from django.db import transaction


def _after_course_saved(sender, instance, **kwargs) -> None:
    if instance.teacher_id is None:
        return
    term_id, discipline_id = instance.term_id, instance.discipline_id

    def sync() -> None:
        from hub.learning.actions import ecourses_sync

        ecourses_sync(term_id=term_id, discipline_id=discipline_id)

    transaction.on_commit(sync)


def connect() -> None:
    from django.db.models.signals import post_save

    from academic.grades.models import Course

    post_save.connect(_after_course_saved, sender=Course, dispatch_uid="learning-ecourse-sync")
