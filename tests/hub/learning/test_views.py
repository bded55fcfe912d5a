"""The pages: the teacher builds the course and gives work, the student sends it, the
teacher checks it and downloads everything as a zip."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from academic.grades.models import Score
from hub.learning.actions import assignment_give, material_add, section_create
from hub.learning.models import Assignment, Section, Submission, SubmissionStatus
from tests.hub.learning.conftest import in_days, pdf

pytestmark = pytest.mark.django_db


def test_the_teacher_writes_the_syllabus_and_adds_a_section(stream, cast, client):
    client.force_login(cast.teacher)

    client.post(reverse("learning:syllabus", args=[stream.ecourse.pk]), {"syllabus": "Aims"})
    response = client.post(
        reverse("learning:section-create", args=[stream.ecourse.pk]),
        {"title_en": "Week 1", "description": "Intro"},
    )

    assert response.status_code == 302
    stream.ecourse.refresh_from_db()
    assert stream.ecourse.syllabus == "Aims"
    assert Section.objects.get().title_en == "Week 1"


def test_a_section_without_a_title_re_renders_with_the_message(stream, cast, client):
    client.force_login(cast.teacher)

    response = client.post(reverse("learning:section-create", args=[stream.ecourse.pk]), {})

    assert response.status_code == 200
    assert "Give a title in at least one language." in response.content.decode()


def test_the_course_page_shows_every_kind_of_material(stream, cast, client):
    section = section_create(by=cast.teacher, ecourse=stream.ecourse, title_en="Week 1")
    for kind, extra in (
        ("file", {"file": pdf()}),
        ("video", {"url": "https://youtu.be/dQw4w9WgXcQ"}),
        ("link", {"url": "https://lib.example.kg/b/1"}),
        ("meeting", {"url": "https://meet.example/abc", "starts_at": in_days(1)}),
    ):
        material_add(by=cast.teacher, section=section, kind=kind, title_en=kind.title(), **extra)
    client.force_login(cast.student)

    page = client.get(reverse("learning:course", args=[stream.ecourse.pk])).content.decode()

    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in page
    assert 'href="https://meet.example/abc"' in page
    assert 'href="https://lib.example.kg/b/1"' in page
    assert "Add a section" not in page  # a student does not edit


def test_the_whole_flow_through_the_pages(stream, cast, client):
    checkpoint = stream.course.checkpoints.get(order=1)
    client.force_login(cast.teacher)
    deadline = timezone.localtime(in_days(3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("learning:assignment-create", args=[stream.ecourse.pk]),
        {
            "title_en": "Essay", "instructions": "Write", "deadline": deadline, "max_score": "10",
            "checkpoint": checkpoint.pk, "late_policy": "refuse", "files": [pdf("task.pdf")],
        },
    )  # fmt: skip
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and assignment.files.count() == 1

    client.force_login(cast.student)
    response = client.post(
        reverse("learning:assignment-submit", args=[assignment.pk]),
        {"text": "My essay", "files": [pdf("essay.pdf"), pdf("appendix.pdf")]},
    )
    submission = Submission.objects.get()
    assert response.status_code == 302 and submission.files.count() == 2
    page = client.get(reverse("learning:assignment", args=[assignment.pk])).content.decode()
    assert "My essay" in page and "Send again" in page

    client.force_login(cast.teacher)
    page = client.get(reverse("learning:assignment", args=[assignment.pk])).content.decode()
    assert "1 / 2" in page  # one of the two students has sent it
    response = client.post(
        reverse("learning:submission", args=[submission.pk]), {"score": "9", "comment": "Fine"}
    )
    assert response.status_code == 302
    assert Score.objects.get().value == Decimal("9.00")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHECKED

    response = client.get(reverse("learning:submissions-zip", args=[assignment.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 3
    assert names[0].endswith("/1-essay.pdf") and names[2].endswith("/answer.txt")


def test_a_bad_score_re_renders_the_check_form(stream, cast, client):
    assignment = assignment_give(
        by=cast.teacher, ecourse=stream.ecourse, title_en="Essay", deadline=in_days(3),
        max_score=10,
    )  # fmt: skip
    from hub.learning.actions import submission_submit

    submission = submission_submit(by=cast.student, assignment=assignment, text="x")
    client.force_login(cast.teacher)

    response = client.post(reverse("learning:submission", args=[submission.pk]), {"score": "12"})

    assert response.status_code == 200
    assert "A score is from 0 to 10." in response.content.decode()


def test_a_late_submission_is_refused_on_the_page(stream, cast, client):
    assignment = assignment_give(
        by=cast.teacher, ecourse=stream.ecourse, title_en="Essay", deadline=in_days(-1),
        max_score=10,
    )  # fmt: skip
    client.force_login(cast.student)

    response = client.post(
        reverse("learning:assignment-submit", args=[assignment.pk]), {"text": "Late"}
    )

    assert response.status_code == 200
    assert "The deadline has passed" in response.content.decode()
    assert not Submission.objects.exists()


def test_deleting_a_material_with_htmx_answers_an_empty_fragment(stream, cast, client):
    section = section_create(by=cast.teacher, ecourse=stream.ecourse, title_en="Week 1")
    material = material_add(
        by=cast.teacher, section=section, kind="link", title_en="Book", url="https://a.example"
    )
    client.force_login(cast.teacher)

    response = client.post(
        reverse("learning:material-delete", args=[material.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200 and response.content == b""
    assert not section.materials.exists()
