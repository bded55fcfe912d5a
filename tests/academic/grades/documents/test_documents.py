"""Documents (GB-12): every kind in every language, Kyrgyz letters in the PDF, verification."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from academic.curricula.models import ControlForm
from academic.grades.documents import STUDENT_KINDS, formats_for
from academic.grades.models import DocumentKind, ExamSheet, IssuedDocument
from tests.conftest import personal_file

LANGUAGES = ("ky", "ru", "en")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def file_text(content: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return pdf_text(content)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def kyrgyz_name(cast, enrolled):
    """cast.other_student becomes Өмүрбекова Жаңыл (ө, ү, ң in one name)."""
    cast.other_student.first_name = "Жаңыл"
    cast.other_student.save()
    return enrolled.other_student


@pytest.fixture
def graded(results, enrolled):
    for student in (enrolled.student, enrolled.other_student):
        results.add(student, semester=1, code="A1", credits=5, total=95)
        results.add(student, semester=1, code="C1", credits=3, total=70, form=ControlForm.CREDIT)
        results.add(student, semester=2, code="D2", credits=6, total=50)
        results.add(student, semester=2, code="D2", credits=6, total=82, attempt=2)
    return enrolled


def _issue(client, url: str, **data):
    return client.post(url, data)


def test_the_transcript_pdf_of_a_kyrgyz_name_keeps_its_letters(client, cast, kyrgyz_name, graded):
    client.force_login(cast.other_student)

    response = _issue(
        client,
        reverse("grades:documents-student", args=[kyrgyz_name.pk]),
        kind="transcript",
        lang="ky",
        format="pdf",
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Өмүрбекова Жаңыл" in text
    assert "Сабак A1 ңөү" in text
    assert all(letter in text for letter in "ңөүҢӨҮ".lower())
    issued = IssuedDocument.objects.get()
    assert (issued.kind, issued.language, issued.student) == ("transcript", "ky", kyrgyz_name)
    assert issued.code in text.replace("-", "")
    assert reverse("grades:documents-verify", args=[issued.code]) in text.replace("\n", "")


def test_the_pdf_embeds_its_font(client, cast, kyrgyz_name, graded):
    client.force_login(cast.deanery_a)

    response = _issue(
        client, reverse("grades:documents-student", args=[kyrgyz_name.pk]),
        kind="transcript", lang="ky",
    )  # fmt: skip

    fonts = [
        font.get_object()
        for page in PdfReader(io.BytesIO(response.content)).pages
        for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts and all(
        "/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_student_document_renders_in_every_language(
    client, cast, kyrgyz_name, graded, language
):
    client.force_login(cast.admin)
    url = reverse("grades:documents-student", args=[kyrgyz_name.pk])
    for kind in STUDENT_KINDS:
        for fmt in formats_for(kind):
            response = _issue(client, url, kind=kind, lang=language, format=fmt)

            assert response.status_code == 200, (kind, fmt)
            text = file_text(response.content, fmt)
            name = "Omurbekova Zhanyl" if language == "en" else "Өмүрбекова Жаңыл"
            if kind != DocumentKind.PERSONAL_CARD:  # the card prints both forms
                name = "Omurbekova" if language == "en" else name
            assert name.split()[0] in text, (kind, fmt, language)
    assert IssuedDocument.objects.filter(language=language).count() == sum(
        len(formats_for(k)) for k in STUDENT_KINDS
    )


def test_an_english_supplement_prints_latin_names_and_english_disciplines(
    client, cast, kyrgyz_name, graded
):
    cast.other_student.first_name_latin = "Zhanyl"
    cast.other_student.save()
    client.force_login(cast.records_office)

    response = _issue(
        client, reverse("grades:documents-student", args=[kyrgyz_name.pk]),
        kind="supplement", lang="en",
    )  # fmt: skip

    text = pdf_text(response.content)
    assert "Diploma supplement" in text
    assert "Omurbekova" in text and "Zhanyl" in text
    assert "Subject A1" in text and "Subject D2" in text
    assert "Сабак A1" not in text


def test_a_russian_transcript_prints_russian_disciplines(client, cast, kyrgyz_name, graded):
    client.force_login(cast.records_office)

    response = _issue(
        client, reverse("grades:documents-student", args=[kyrgyz_name.pk]),
        kind="transcript", lang="ru",
    )  # fmt: skip

    assert "Предмет A1" in pdf_text(response.content)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sheets_and_group_lists_render_in_every_language(client, cast, graded, language):
    client.force_login(cast.deanery_a)
    sheets = ExamSheet.objects.filter(attempt=1, control_form__in=["exam", "credit"])
    for sheet in sheets:
        kind = "credit_sheet" if sheet.control_form == "credit" else "exam_sheet"
        for fmt in formats_for(kind):
            response = _issue(
                client,
                reverse("grades:documents-sheet", args=[sheet.pk]),
                lang=language,
                format=fmt,
            )
            assert response.status_code == 200
            assert sheet.number in file_text(response.content, fmt)
    group = graded.student.states.get().group
    for fmt in ("pdf", "xlsx", "docx"):
        response = _issue(
            client, reverse("grades:documents-group", args=[group.pk]), lang=language, format=fmt
        )
        text = file_text(response.content, fmt)
        assert group.name in text and "24-0002" in text and "24-0001" in text
    kinds = set(IssuedDocument.objects.values_list("kind", flat=True))
    assert kinds == {"exam_sheet", "credit_sheet", "group_list"}


def test_a_student_issues_their_certificate_of_study_and_transcript_only(client, cast, enrolled):
    client.force_login(cast.student)
    url = reverse("grades:documents-student", args=[enrolled.student.pk])

    assert _issue(client, url, kind="study", lang="ru").status_code == 200
    assert _issue(client, url, kind="transcript", lang="ru").status_code == 200
    assert _issue(client, url, kind="military", lang="ru").status_code == 404
    assert _issue(client, url, kind="supplement", lang="ru").status_code == 404
    page = client.get(url).content.decode()
    assert 'value="study"' in page and 'value="military"' not in page


def test_a_student_issues_nothing_for_another_student(client, cast, enrolled):
    client.force_login(cast.student)

    response = _issue(
        client, reverse("grades:documents-student", args=[enrolled.other_student.pk]), kind="study"
    )

    assert response.status_code == 404
    assert not IssuedDocument.objects.exists()


def test_a_parent_reads_the_transcript_but_issues_nothing(client, cast, enrolled):
    client.force_login(cast.parent)

    assert (
        client.get(reverse("grades:documents-transcript", args=[enrolled.student.pk])).status_code
        == 200
    )
    response = _issue(
        client, reverse("grades:documents-student", args=[enrolled.student.pk]), kind="transcript"
    )
    assert response.status_code == 404


def test_the_stranger_deanery_is_refused(client, cast, enrolled):
    client.force_login(cast.deanery_b)

    for name in ("documents-record-book", "documents-transcript", "documents-student"):
        assert client.get(reverse(f"grades:{name}", args=[enrolled.student.pk])).status_code == 404


def test_a_certificate_of_study_for_someone_not_studying_is_refused(
    client, cast, university, in_english
):
    newcomer = personal_file(cast.applicant, "26-0001")
    client.force_login(cast.admin)
    url = reverse("grades:documents-student", args=[newcomer.pk])

    response = client.post(url, {"kind": "study", "lang": "en"}, follow=True)

    assert response.status_code == 200
    assert "is not studying now" in response.content.decode()
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "passport"},
        {"kind": "transcript", "format": "docx"},
        {"kind": "study", "format": "exe"},
    ],
)
def test_bad_requests_come_back_with_a_message(client, cast, enrolled, in_english, data):
    client.force_login(cast.records_office)
    url = reverse("grades:documents-student", args=[enrolled.student.pk])

    response = client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == url
    assert response.context["messages"] and not IssuedDocument.objects.exists()


def test_the_language_defaults_to_the_users(client, cast, enrolled):
    cast.records_office.language = "ru"
    cast.records_office.save()
    client.force_login(cast.records_office)

    _issue(client, reverse("grades:documents-student", args=[enrolled.student.pk]), kind="study")

    assert IssuedDocument.objects.get().language == "ru"


# --- Public verification ----------------------------------------------------------------


def test_the_verification_page_shows_a_real_document_to_anyone(client, cast, enrolled):
    client.force_login(cast.records_office)
    _issue(
        client,
        reverse("grades:documents-student", args=[enrolled.student.pk]),
        kind="study",
        lang="en",
    )
    issued = IssuedDocument.objects.get()
    client.logout()

    response = client.get(reverse("grades:documents-verify", args=[issued.code]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "data-genuine" in page and issued.subject in page and issued.code in page


def test_a_code_typed_with_dashes_and_lower_case_is_found(client, cast, enrolled):
    client.force_login(cast.records_office)
    _issue(client, reverse("grades:documents-student", args=[enrolled.student.pk]), kind="study")
    code = IssuedDocument.objects.get().code
    client.logout()
    typed = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()

    response = client.get(reverse("grades:documents-verify-lookup"), {"code": typed}, follow=True)

    assert response.status_code == 200 and "data-genuine" in response.content.decode()


@pytest.mark.parametrize("code", ["NOSUCHCODE22", "x" * 40, "<script>"])
def test_an_unknown_code_is_not_found(client, db, code):
    response = client.get(reverse("grades:documents-verify", args=[code]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "data-not-found" in page and "<script>" not in page


def test_the_lookup_form_is_public(client, db):
    assert client.get(reverse("grades:documents-verify-lookup")).status_code == 200


def test_a_sheet_in_an_unknown_format_comes_back_with_a_message(client, cast, graded, in_english):
    sheet = ExamSheet.objects.filter(control_form="exam").first()
    client.force_login(cast.teacher)
    url = reverse("grades:documents-sheet", args=[sheet.pk])

    response = client.post(url, {"format": "odt"}, follow=True)

    assert response.redirect_chain[-1][0] == url
    assert "not issued as odt" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_the_other_teacher_gets_no_sheet_document(client, cast, graded):
    sheet = ExamSheet.objects.filter(control_form="exam").first()
    client.force_login(cast.other_teacher)

    assert client.post(reverse("grades:documents-sheet", args=[sheet.pk])).status_code == 404
    assert client.post(reverse("grades:documents-group", args=[999])).status_code == 404
