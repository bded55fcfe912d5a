from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from academic.staff import actions
from academic.staff.models import (
    DOCUMENT_MAX_BYTES,
    AcademicDegree,
    AcademicTitle,
    DocumentKind,
    Establishment,
)
from academic.structure.models import SoateLevel, SoateUnit
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.staff.conftest import card

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def a_city() -> SoateUnit:
    # The data migration ships the classifier; a flushed database may lack it.
    city, _created = SoateUnit.objects.get_or_create(
        code="41711000000000",
        defaults={"level": SoateLevel.CITY, "name_ky": "Бишкек", "name_ru": "Бишкек"},
    )
    return city


def refused(call, **kwargs) -> str:
    with pytest.raises(DomainError) as error, translation.override("en"):
        call(**kwargs)
    return error.value.messages[0]


def test_a_card_is_opened_for_a_teacher_and_audited(cast):
    bishkek = a_city()

    employee = actions.employee_create(
        by=cast.hr,
        user=cast.teacher,
        personnel_number=" 10001 ",
        birth_date=date(1980, 5, 17),
        sex="f",
        soate=bishkek,
        street="Чүй пр. 12",
        degree=AcademicDegree.CANDIDATE,
        title=AcademicTitle.DOCENT,
    )

    assert employee.personnel_number == "10001"
    assert employee.citizenship == "Кыргыз Республикасы"
    entry = AuditEntry.objects.get(action="employee_create")
    assert entry.actor == cast.hr
    assert entry.after["soate"] == bishkek.pk


@pytest.mark.parametrize("member", ["student", "parent", "applicant"])
def test_students_parents_and_applicants_get_no_card(cast, member):
    message = refused(
        actions.employee_create,
        by=cast.hr,
        user=getattr(cast, member),
        personnel_number="1",
        birth_date=date(2000, 1, 1),
        sex="m",
    )

    assert message == "Only staff members, teachers and curators get a personnel card."


def test_a_person_has_one_card_and_a_number_one_person(cast):
    card(cast.teacher, "10001")

    assert (
        refused(
            actions.employee_create,
            by=None,
            user=cast.teacher,
            personnel_number="2",
            birth_date=date(1980, 1, 1),
            sex="f",
        )
        == "This person already has a personnel card."
    )
    assert "already exists" in refused(
        actions.employee_create,
        by=None,
        user=cast.other_teacher,
        personnel_number="10001",
        birth_date=date(1980, 1, 1),
        sex="m",
    )


def test_invalid_choices_and_dates_are_refused(cast):
    base = {"by": None, "user": cast.teacher, "personnel_number": "1", "sex": "f"}

    assert "valid choice" in refused(
        actions.employee_create, **base, birth_date=date(1980, 1, 1), degree="master"
    )
    assert (
        refused(actions.employee_create, **base, birth_date=date(1850, 1, 1))
        == "Enter a real date of birth."
    )


def test_a_card_update_keeps_what_is_not_given_and_clears_the_address(cast):
    bishkek = a_city()
    employee = card(cast.teacher, "10001", soate=bishkek, phone="+996 555 000000")

    actions.employee_update(
        by=cast.hr, employee=employee, degree=AcademicDegree.DOCTOR, soate=None, phone=None
    )

    employee.refresh_from_db()
    assert (employee.degree, employee.soate, employee.phone) == (
        AcademicDegree.DOCTOR,
        None,
        "+996 555 000000",
    )
    entry = AuditEntry.objects.get(action="employee_update")
    assert entry.changes == {"soate": [bishkek.pk, None], "degree": ["none", "doctor"]}


def test_education_is_added_after_the_year_of_birth(cast):
    employee = card(cast.teacher, "10001", born=date(1980, 5, 17))

    actions.education_add(
        by=cast.hr, employee=employee, institution="КНУ", specialty="Математика", year=2002
    )

    assert [e.year for e in employee.education.all()] == [2002]
    assert AuditEntry.objects.filter(action="education_add").count() == 1
    assert (
        refused(
            actions.education_add,
            by=None,
            employee=employee,
            institution="x",
            specialty="y",
            year=1979,
        )
        == "The year of graduation must come after the year of birth."
    )


def test_a_pdf_document_is_stored_and_audited(cast, settings):
    employee = card(cast.teacher, "10001")

    document = actions.document_upload(
        by=cast.hr,
        employee=employee,
        kind=DocumentKind.DIPLOMA,
        file=SimpleUploadedFile("диплом.pdf", PDF, content_type="application/pdf"),
    )

    assert document.original_name == "диплом.pdf"
    assert document.size == len(PDF)
    assert document.file.path.startswith(str(settings.MEDIA_ROOT))
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert AuditEntry.objects.get(action="document_upload").actor == cast.hr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.docx", PDF, "Upload a PDF, JPG or PNG file."),
        ("noextension", PDF, "Upload a PDF, JPG or PNG file."),
        ("scan.png", PDF, "The file's content is not what its name says."),
        ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 10, "The file's content is not what its name says."),
        ("empty.pdf", b"", "The file is empty."),
        ("big.png", PNG + b"\x00" * DOCUMENT_MAX_BYTES, "The file is larger than 10 MB."),
    ],
)
def test_documents_other_than_pdf_jpg_png_up_to_10_mb_are_refused(cast, name, content, message):
    employee = card(cast.teacher, "10001")

    assert (
        refused(
            actions.document_upload,
            by=None,
            employee=employee,
            kind=DocumentKind.OTHER,
            file=SimpleUploadedFile(name, content),
        )
        == message
    )
    assert not employee.documents.exists()


def test_a_png_and_a_jpeg_are_accepted(cast):
    employee = card(cast.teacher, "10001")
    for name, content in (("photo.PNG", PNG), ("scan.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 16)):
        actions.document_upload(
            by=None,
            employee=employee,
            kind=DocumentKind.PASSPORT,
            file=SimpleUploadedFile(name, content),
        )

    assert employee.documents.count() == 2


def test_the_establishment_is_set_and_reset(cast, university, titles):
    department, docent = university.department_a, titles["docent"]

    actions.establishment_set(by=cast.hr, department=department, title=docent, rates=Decimal(3))
    actions.establishment_set(by=cast.hr, department=department, title=docent, rates=Decimal("2.5"))

    row = Establishment.objects.get()
    assert row.rates == Decimal("2.5")
    assert AuditEntry.objects.filter(action="establishment_set").count() == 2
    assert (
        refused(
            actions.establishment_set,
            by=None,
            department=department,
            title=docent,
            rates=Decimal(-1),
        )
        == "Budgeted rates cannot be negative."
    )
