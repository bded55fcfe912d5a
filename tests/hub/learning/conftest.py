"""A teaching stream to learn in: cast.teacher's course of one discipline for group A
(cast.student and cast.other_student) in a term, and its e-course."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hub.learning.actions import ecourses_sync
from hub.learning.models import AssignmentFile, ECourse, Material, SubmissionFile
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name: str = "lecture.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _files_in_tmp(tmp_path, monkeypatch):
    # Uploaded files go to a directory of the test, not the shared var/.
    storage = FileSystemStorage(location=tmp_path / "learning")
    for model in (Material, AssignmentFile, SubmissionFile):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)


@dataclass
class Stream:
    ecourse: ECourse
    course: object
    term: object
    line: object
    student: object
    other_student: object


def make_stream(cast, university, *, code: str = "LRN-1") -> Stream:
    """cast.teacher's course `code` for group A in autumn 2033, synced into its e-course."""
    enrolled = enrol_cast(cast, university)
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code=code)
    course = graded_course(university.group_a, term, line, teacher=cast.teacher)
    ecourses_sync()
    ecourse = ECourse.objects.get(term=term, discipline=line.discipline, teacher=cast.teacher)
    return Stream(ecourse, course, term, line, enrolled.student, enrolled.other_student)


@pytest.fixture
def stream(cast, university) -> Stream:
    return make_stream(cast, university)


def in_days(days: float):
    return timezone.now() + timedelta(days=days)
