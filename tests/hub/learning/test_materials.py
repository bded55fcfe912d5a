"""Materials: uploads checked for type and size, videos only from YouTube, links, meetings
(DL-2, DL-3, TC-4); files served only to those who read the course."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.errors import DomainError
from hub.learning.actions import material_add, section_create, youtube_id
from hub.learning.models import Material, MaterialKind
from tests.hub.learning.conftest import in_days, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def section(stream, cast):
    return section_create(by=cast.teacher, ecourse=stream.ecourse, title_ru="Неделя 1")


def add(section, teacher, **fields):
    return material_add(by=teacher, section=section, title_en="Lecture 1", **fields)


def test_a_pdf_is_stored_under_a_random_name(section, cast):
    material = add(section, cast.teacher, kind=MaterialKind.FILE, file=pdf("Лекция 1.pdf"))

    assert material.file_name == "Лекция 1.pdf"
    assert material.file.name.startswith("materials/") and material.file.name.endswith(".pdf")
    assert "Лекция" not in material.file.name


def test_a_file_of_another_type_is_refused(section, cast):
    script = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    with pytest.raises(DomainError, match=r"run\.exe: files of this type are not accepted"):
        add(section, cast.teacher, kind=MaterialKind.FILE, file=script)
    assert not Material.objects.exists()


def test_a_file_whose_content_is_not_its_type_is_refused(section, cast):
    fake = SimpleUploadedFile("notes.pdf", b"<html><script>alert(1)</script>")

    with pytest.raises(DomainError, match="not accepted"):
        add(section, cast.teacher, kind=MaterialKind.FILE, file=fake)


def test_a_file_larger_than_the_setting_is_refused(section, cast, settings):
    settings.LEARNING_UPLOAD_MAX_MB = 1
    big = pdf("big.pdf", b"%PDF-1.4\n" + b"0" * (2**20))

    with pytest.raises(DomainError, match=r"big\.pdf is larger than 1 MB"):
        add(section, cast.teacher, kind=MaterialKind.FILE, file=big)


def test_a_video_upload_must_be_an_mp4(section, cast):
    mp4 = SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16)

    material = add(section, cast.teacher, kind=MaterialKind.VIDEO, file=mp4)

    assert material.is_video_file
    with pytest.raises(DomainError, match="not accepted"):
        add(section, cast.teacher, kind=MaterialKind.VIDEO, file=pdf())


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://m.youtube.com/shorts/dQw4w9WgXcQ",
    ],
)
def test_youtube_links_give_the_video_id(url):
    assert youtube_id(url) == "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/123456",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=bad",
    ],
)
def test_videos_from_other_hosts_are_refused(section, cast, url):
    with pytest.raises(DomainError, match="Only YouTube links"):
        add(section, cast.teacher, kind=MaterialKind.VIDEO, url=url)


def test_a_link_must_be_a_web_address(section, cast):
    book = add(section, cast.teacher, kind=MaterialKind.LINK, url="https://lib.example.kg/b/1")

    assert book.url == "https://lib.example.kg/b/1"
    with pytest.raises(DomainError, match="http:// or https://"):
        add(section, cast.teacher, kind=MaterialKind.LINK, url="javascript:alert(1)")


def test_a_meeting_needs_its_time(section, cast):
    with pytest.raises(DomainError, match="when the meeting starts"):
        add(section, cast.teacher, kind=MaterialKind.MEETING, url="https://meet.example/x")

    meeting = add(
        section, cast.teacher, kind=MaterialKind.MEETING, url="https://meet.example/x",
        starts_at=in_days(1),
    )  # fmt: skip
    assert meeting.starts_at is not None


def test_a_title_in_some_language_is_needed(section, cast):
    with pytest.raises(DomainError, match="title in at least one language"):
        material_add(by=cast.teacher, section=section, kind=MaterialKind.LINK,
                     url="https://a.example")  # fmt: skip


def test_titles_show_in_the_user_language_with_a_fall_back(section):
    from django.utils import translation

    with translation.override("en"):
        assert section.title == "Неделя 1"  # no English title: Russian
    section.title_en = "Week 1"
    with translation.override("en"):
        assert section.title == "Week 1"


def test_a_pdf_opens_in_the_browser_for_a_student_of_the_course(section, cast, client):
    material = add(section, cast.teacher, kind=MaterialKind.FILE, file=pdf())
    client.force_login(cast.student)

    response = client.get(reverse("learning:material-file", args=[material.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_file_is_not_found_for_a_stranger(section, cast, client):
    material = add(section, cast.teacher, kind=MaterialKind.FILE, file=pdf())
    client.force_login(cast.deanery_b)

    assert client.get(reverse("learning:material-file", args=[material.pk])).status_code == 404


def test_the_upload_form_shows_the_refusal(section, cast, client):
    client.force_login(cast.teacher)
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00")

    response = client.post(
        reverse("learning:material-create", args=[section.pk]),
        {"kind": "file", "title_en": "Tool", "file": bad},
    )

    assert response.status_code == 200
    assert "files of this type are not accepted" in response.content.decode()
