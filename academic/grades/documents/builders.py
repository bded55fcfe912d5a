"""What each document says (GB-12), built from the data in the language asked for.

Each builder returns a `Doc` (layout.py) and must run inside
`translation.override(language)`: labels come from gettext, names of units
from their `name_<language>`. English documents print people's Latin names and
disciplines' English names (X-2).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from academic.curricula.models import ControlForm
from academic.grades.documents.layout import Doc, Fields, Heading, Paragraph, Signatures, Table
from academic.grades.models import DocumentKind, ExamSheet
from academic.grades.scales import Scale
from academic.grades.selectors.transcripts import (
    Standing,
    TermResults,
    Transcript,
    group_list_states,
    name_in,
    record_book,
    sheet_document_lines,
    transcript,
)
from academic.structure.models import Institution
from hub.errors import DomainError


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def institution_name(language: str) -> str:
    institution = Institution.objects.order_by("pk").first()
    return name_in(institution, language) if institution else "eBilim"


def _person(user, language: str) -> str:
    return user.get_full_name_for(language)


def _unit(obj, language: str) -> str:
    return name_in(obj, language) if obj is not None else "—"


def _specialty(specialty, language: str) -> str:
    return f"{specialty.code} {name_in(specialty, language)}"


def _faculty_of(group):
    return group.specialty.department.unit


def _semester_label(term: TermResults) -> str:
    if term.academic_year:
        return _("Semester %(semester)d (%(year)s)") % {
            "semester": term.semester,
            "year": term.academic_year,
        }
    return _("Semester %(semester)d") % {"semester": term.semester}


def _student_facts(standing: Standing) -> dict:
    student = standing.student
    return {
        "student": student.pk,
        "record_number": student.record_number,
        "name": student.user.get_full_name(),
        "name_latin": student.user.get_full_name_latin(),
        "birth_date": student.birth_date,
        "group": standing.state.group.name if standing.state else "",
        "status": standing.state.status if standing.state else "",
        "issued_on": timezone.localdate(),
    }


def _result_facts(book: list[TermResults]) -> list:
    return [
        [r.semester, r.discipline_code, r.control_form, r.credits, r.score, r.letter, r.mark]
        for term in book
        for r in term.results
    ]


def _study_fields(standing: Standing, language: str) -> list[tuple[str, str]]:
    state = standing.state
    group = state.group
    specialty = group.specialty
    admission = standing.admission
    order = admission.order_line.order if admission and admission.order_line_id else None
    ends = group.intake_year + int(Decimal(specialty.duration_years).to_integral_value("ROUND_UP"))
    return [
        (_("Faculty"), _unit(_faculty_of(group), language)),
        (_("Specialty"), _specialty(specialty, language)),
        (_("Degree level"), str(specialty.get_degree_level_display())),
        (_("Group"), group.name),
        (_("Course"), str(standing.course or group.course)),
        (_("Form of study"), str(group.get_study_form_display())),
        (_("Funding"), str(state.get_funding_display())),
        (
            _("Admitted by order"),
            _("No. %(number)s of %(date)s") % {"number": order.number, "date": _day(order.date)}
            if order
            else _day(admission.valid_from if admission else None),
        ),
        (_("Expected end of studies"), str(ends)),
    ]


def _require_studying(standing: Standing, language: str) -> None:
    if not standing.studying:
        raise DomainError(
            _("%(name)s is not studying now: this certificate cannot be issued.")
            % {"name": _person(standing.student.user, language)}
        )


def study_certificate(standing: Standing, language: str) -> Doc:
    """Certificate of study (справка с места учёбы): the student studies here now."""
    _require_studying(standing, language)
    student, institution = standing.student, institution_name(language)
    group = standing.state.group
    text = _(
        "This is to certify that %(name)s, born on %(birth)s, is a student of the %(course)s "
        "course, %(form)s form of study, of %(institution)s."
    ) % {
        "name": _person(student.user, language),
        "birth": _day(student.birth_date),
        "course": standing.course or group.course,
        "form": group.get_study_form_display(),
        "institution": institution,
    }
    return Doc(
        kind=DocumentKind.STUDY_CERTIFICATE,
        language=language,
        title=_("Certificate of study"),
        subject=_person(student.user, language),
        institution=institution,
        subtitle=_("Issued on %(date)s") % {"date": _day(timezone.localdate())},
        blocks=[
            Paragraph(text),
            Fields(tuple(_study_fields(standing, language))),
            Paragraph(_("The certificate is issued for presentation at the place of request.")),
            Signatures(((_("Dean of the faculty"), ""), (_("Registrar"), ""))),
        ],
        facts=_student_facts(standing) | {"kind": DocumentKind.STUDY_CERTIFICATE},
        filename="certificate-of-study",
    )


def military_certificate(standing: Standing, language: str) -> Doc:
    """Certificate for the military commissariat: studying full time, until when."""
    _require_studying(standing, language)
    student, institution = standing.student, institution_name(language)
    fields = [
        (_("Full name"), _person(student.user, language)),
        (_("Date of birth"), _day(student.birth_date)),
        (_("Personal number (PIN)"), student.pin or "—"),
        *_study_fields(standing, language),
    ]
    return Doc(
        kind=DocumentKind.MILITARY_CERTIFICATE,
        language=language,
        title=_("Certificate for the military commissariat"),
        subject=_person(student.user, language),
        institution=institution,
        subtitle=_("Issued on %(date)s") % {"date": _day(timezone.localdate())},
        blocks=[
            Paragraph(
                _("This is to certify that the citizen named below studies at %(institution)s.")
                % {"institution": institution}
            ),
            Fields(tuple(fields)),
            Paragraph(
                _(
                    "The certificate is issued for presentation to the military commissariat "
                    "to grant a deferment from conscription while studying."
                )
            ),
            Signatures(((_("Rector"), ""), (_("Head of the military records desk"), ""))),
        ],
        facts=_student_facts(standing) | {"kind": DocumentKind.MILITARY_CERTIFICATE},
        filename="military-certificate",
    )


def personal_card(standing: Standing, language: str) -> Doc:
    """The student's personal card: personal data, parents, the history of orders."""
    student, user = standing.student, standing.student.user
    unit = student.address_unit
    address = ", ".join(
        p
        for p in (
            name_in(unit, language) if unit else "",
            name_in(unit.parent, language) if unit and unit.parent else "",
            student.address_street,
        )
        if p
    )
    fields = (
        (_("Full name"), user.get_full_name()),
        (_("Full name (Latin)"), user.get_full_name_latin()),
        (_("Record book number"), student.record_number),
        (_("Sex"), str(student.get_sex_display())),
        (_("Date of birth"), _day(student.birth_date)),
        (_("Personal number (PIN)"), student.pin or "—"),
        (_("Citizenship"), student.citizenship or "—"),
        (_("Nationality"), student.nationality or "—"),
        (
            _("Identity document"),
            f"{student.get_document_kind_display()} {student.document_number}".strip(),
        ),
        (_("Address"), address or "—"),
        (_("Phone"), user.phone or "—"),
        (_("E-mail"), user.email or "—"),
        (
            _("Prior education"),
            " ".join(
                str(p)
                for p in (student.prior_school, student.prior_year, student.prior_document)
                if p
            )
            or "—",
        ),
    )
    contacts = tuple(
        (c.get_relation_display(), c.full_name, c.phone) for c in student.contacts.all()
    )
    history = tuple(
        (
            _day(s.valid_from),
            _day(s.valid_to),
            s.get_status_display(),
            s.group.name,
            s.get_funding_display(),
            f"{s.order_line.order.number} / {_day(s.order_line.order.date)}"
            if s.order_line_id
            else "",
        )
        for s in standing.states
    )
    blocks = [Fields(fields), Heading(_("Parents and guardians"))]
    blocks.append(Table((_("Relation"), _("Full name"), _("Phone")), contacts or (("—", "", ""),)))
    blocks += [
        Heading(_("History")),
        Table(
            (_("From"), _("To"), _("Status"), _("Group"), _("Funding"), _("Order")),
            history or (("—",) * 6,),
            widths=(14, 14, 18, 16, 18, 20),
        ),
        Signatures(((_("Registrar"), ""),)),
    ]
    return Doc(
        kind=DocumentKind.PERSONAL_CARD,
        language=language,
        title=_("Personal card of the student"),
        subject=user.get_full_name_for(language),
        institution=institution_name(language),
        blocks=blocks,
        facts=_student_facts(standing) | {"kind": DocumentKind.PERSONAL_CARD},
        filename="personal-card",
    )


def _book_tables(book: list[TermResults], language: str, *, examiner: bool) -> list:
    blocks: list = []
    headers = [
        _("Discipline"),
        _("Hours"),
        _("Credits"),
        _("Control"),
        _("Score"),
        _("Letter"),
        _("Mark"),
        _("Date"),
    ]
    widths = [40, 9, 9, 16, 9, 9, 8, 14]
    if examiner:
        headers.append(_("Examiner"))
        widths.append(26)
    for term in book:
        blocks.append(Heading(_semester_label(term)))
        rows = []
        for r in term.results:
            row = [
                r.name(language),
                r.hours if r.hours is not None else "",
                r.credits,
                r.control_label,
                _number(r.score),
                r.letter,
                _mark_text(r),
                _day(r.on),
            ]
            if examiner:
                row.append(r.examiner_latin if language == "en" else r.examiner)
            rows.append(tuple(row))
        blocks.append(Table(tuple(headers), tuple(rows), widths=tuple(widths)))
    if not book:
        blocks.append(Paragraph(_("No results yet.")))
    return blocks


def _mark_text(result) -> str:
    if result.control_form == ControlForm.CREDIT:
        return str(_("passed") if result.passed else _("failed"))
    if not result.passed:
        return str(result.mark or _("failed"))
    return str(result.mark or "")


def _student_heading(standing: Standing, language: str) -> Fields:
    student = standing.student
    state = standing.state
    pairs = [
        (_("Student"), _person(student.user, language)),
        (_("Record book number"), student.record_number),
    ]
    if state is not None:
        pairs += [
            (_("Specialty"), _specialty(state.group.specialty, language)),
            (_("Group"), state.group.name),
        ]
    return Fields(tuple(pairs))


def study_card(standing: Standing, language: str) -> Doc:
    """The study card: the student and every result, semester by semester."""
    book = record_book(standing.student)
    return Doc(
        kind=DocumentKind.STUDY_CARD,
        language=language,
        title=_("Study card of the student"),
        subject=_person(standing.student.user, language),
        institution=institution_name(language),
        blocks=[
            _student_heading(standing, language),
            *_book_tables(book, language, examiner=False),
            Signatures(((_("Dean of the faculty"), ""),)),
        ],
        facts=_student_facts(standing)
        | {"kind": DocumentKind.STUDY_CARD, "results": _result_facts(book)},
        landscape=True,
        filename="study-card",
    )


def record_book_document(standing: Standing, language: str) -> Doc:
    """The electronic record book printed: every result with its examiner."""
    book = record_book(standing.student)
    return Doc(
        kind=DocumentKind.RECORD_BOOK,
        language=language,
        title=_("Record book"),
        subject=_person(standing.student.user, language),
        institution=institution_name(language),
        blocks=[_student_heading(standing, language), *_book_tables(book, language, examiner=True)],
        facts=_student_facts(standing)
        | {"kind": DocumentKind.RECORD_BOOK, "results": _result_facts(book)},
        landscape=True,
        filename="record-book",
    )


def _transcript_blocks(data: Transcript, language: str) -> list:
    headers = (
        _("Code"),
        _("Discipline"),
        _("Credits"),
        _("Control"),
        _("Score"),
        _("Letter"),
        _("GPA points"),
        _("Mark"),
    )
    blocks: list = []
    for term in data.terms:
        blocks.append(Heading(_semester_label(term)))
        rows = tuple(
            (
                r.discipline_code,
                r.name(language),
                r.credits,
                r.control_label,
                _number(r.score),
                r.letter,
                _number(r.gpa) if r.counts_in_gpa else "",
                _mark_text(r),
            )
            for r in term.results
        )
        blocks.append(Table(headers, rows, widths=(12, 48, 10, 18, 10, 10, 12, 12)))
        blocks.append(
            Paragraph(
                _(
                    "Credits earned: %(earned)s of %(attempted)s; GPA of the semester: %(gpa)s; "
                    "cumulative credits: %(cumulative_credits)s; cumulative GPA: %(cumulative)s."
                )
                % {
                    "earned": term.credits_earned,
                    "attempted": term.credits_attempted,
                    "gpa": _number(term.gpa) or "—",
                    "cumulative_credits": term.cumulative_credits,
                    "cumulative": _number(term.cumulative_gpa) or "—",
                }
            )
        )
    if not data.terms:
        blocks.append(Paragraph(_("No results yet.")))
    blocks.append(
        Fields(
            (
                (_("Credits earned"), str(data.credits_earned)),
                (_("Cumulative GPA"), _number(data.gpa) or "—"),
            )
        )
    )
    return blocks


def transcript_document(standing: Standing, language: str) -> Doc:
    """The transcript: results with credits, letters and GPA per semester and cumulative."""
    data = transcript(standing.student)
    return Doc(
        kind=DocumentKind.TRANSCRIPT,
        language=language,
        title=_("Academic transcript"),
        subject=_person(standing.student.user, language),
        institution=institution_name(language),
        subtitle=_("Issued on %(date)s") % {"date": _day(timezone.localdate())},
        blocks=[
            _student_heading(standing, language),
            *_transcript_blocks(data, language),
            Signatures(((_("Registrar"), ""),)),
        ],
        facts=_student_facts(standing)
        | {
            "kind": DocumentKind.TRANSCRIPT,
            "results": _result_facts(data.terms),
            "gpa": data.gpa,
            "credits": data.credits_earned,
        },
        filename="transcript",
    )


def diploma_supplement(standing: Standing, language: str, scale: Scale) -> Doc:
    """The diploma supplement: the holder (with Latin names), the programme, every result, the scale."""
    student, user = standing.student, standing.student.user
    data = transcript(student)
    state = standing.state
    specialty = state.group.specialty if state else None
    holder = (
        (_("Family name"), user.last_name_latin if language == "en" else user.last_name),
        (_("Given name"), user.first_name_latin if language == "en" else user.first_name),
        (_("Full name (Latin)"), user.get_full_name_latin()),
        (_("Full name (Cyrillic)"), user.get_full_name()),
        (_("Date of birth"), _day(student.birth_date)),
        (_("Record book number"), student.record_number),
    )
    programme = (
        (_("Specialty"), _specialty(specialty, language) if specialty else "—"),
        (_("Degree level"), str(specialty.get_degree_level_display()) if specialty else "—"),
        (_("Faculty"), _unit(_faculty_of(state.group), language) if state else "—"),
        (
            _("Official length of the programme, years"),
            str(specialty.duration_years) if specialty else "—",
        ),
        (_("Form of study"), str(state.group.get_study_form_display()) if state else "—"),
    )
    rows = tuple(
        (
            r.semester,
            r.name(language),
            r.hours if r.hours is not None else "",
            r.credits,
            _number(r.score),
            r.letter,
            _mark_text(r),
        )
        for r in data.results
    )
    bands = tuple(
        (f"{b.low}–{b.high}", b.letter, _number(Decimal(b.gpa)), b.mark) for b in scale.bands
    )
    return Doc(
        kind=DocumentKind.DIPLOMA_SUPPLEMENT,
        language=language,
        title=_("Diploma supplement"),
        subject=_person(user, language),
        institution=institution_name(language),
        blocks=[
            Heading(_("1. The holder of the qualification")),
            Fields(holder),
            Heading(_("2. The qualification and the programme")),
            Fields(programme),
            Heading(_("3. Contents and results")),
            Table(
                (
                    _("Semester"),
                    _("Discipline"),
                    _("Hours"),
                    _("Credits"),
                    _("Score"),
                    _("Letter"),
                    _("Mark"),
                ),
                rows or (("—", "", "", "", "", "", ""),),
                widths=(10, 56, 10, 10, 10, 10, 14),
            ),
            Fields(
                (
                    (_("Credits earned"), str(data.credits_earned)),
                    (_("Cumulative GPA"), _number(data.gpa) or "—"),
                )
            ),
            Heading(_("4. The grading system")),
            Table((_("Score"), _("Letter"), _("GPA points"), _("Mark")), bands),
            Signatures(((_("Rector"), ""), (_("Registrar"), ""))),
        ],
        facts=_student_facts(standing)
        | {
            "kind": DocumentKind.DIPLOMA_SUPPLEMENT,
            "results": _result_facts(data.terms),
            "gpa": data.gpa,
            "credits": data.credits_earned,
        },
        filename="diploma-supplement",
    )


def sheet_kind(sheet: ExamSheet) -> str:
    """A pass/fail credit is printed as a pass/fail sheet, every other control as an exam sheet."""
    credit = sheet.control_form == ControlForm.CREDIT
    return DocumentKind.CREDIT_SHEET if credit else DocumentKind.EXAM_SHEET


def sheet_document(sheet: ExamSheet, language: str) -> Doc:
    """The exam sheet, or the pass/fail sheet of a credit, with every student on it."""
    course = sheet.course
    kind = sheet_kind(sheet)
    credit = kind == DocumentKind.CREDIT_SHEET
    lines = sheet_document_lines(sheet)
    examiner = sheet.teacher or course.teacher
    fields = (
        (_("Sheet number"), sheet.number),
        (_("Discipline"), name_in(course.discipline, language)),
        (_("Group"), course.group.name),
        (_("Faculty"), _unit(_faculty_of(course.group), language)),
        (_("Term"), str(course.term)),
        (_("Control"), str(sheet.get_control_form_display())),
        (_("Sheet"), f"{sheet.get_kind_display()}, {_('attempt')} {sheet.attempt}"),
        (_("Credits"), str(course.credits)),
        (_("Examiner"), _person(examiner, language) if examiner else "—"),
        (_("Date of the control"), _day(sheet.exam_date)),
        (_("Status"), str(sheet.get_status_display())),
    )
    if credit:
        headers = (
            _("No."),
            _("Student"),
            _("Record book number"),
            pgettext("exam sheet", "Admitted"),
            _("Total"),
            _("Result"),
        )
        rows = tuple(
            (
                n,
                _person(line.student.user, language),
                line.student.record_number,
                line.admitted,
                _number(line.total),
                _("did not appear")
                if line.absent
                else (
                    "" if line.passed is None else str(_("passed") if line.passed else _("failed"))
                ),
            )
            for n, line in enumerate(lines, start=1)
        )
        widths: tuple[int, ...] = (6, 44, 18, 12, 10, 18)
    else:
        headers = (
            _("No."),
            _("Student"),
            _("Record book number"),
            pgettext("exam sheet", "Admitted"),
            _("Checkpoints"),
            _("Final control"),
            _("Total"),
            _("Letter"),
            _("Mark"),
        )
        rows = tuple(
            (
                n,
                _person(line.student.user, language),
                line.student.record_number,
                line.admitted,
                _number(line.current_score),
                _("did not appear") if line.absent else _number(line.final_score),
                _number(line.total),
                line.letter,
                line.mark or "",
            )
            for n, line in enumerate(lines, start=1)
        )
        widths = (6, 40, 16, 12, 12, 14, 10, 9, 9)
    passed = sum(1 for line in lines if line.passed)
    summary = _(
        "Students on the sheet: %(total)d; passed: %(passed)d; failed or absent: %(failed)d."
    ) % {"total": len(lines), "passed": passed, "failed": len(lines) - passed}
    return Doc(
        kind=kind,
        language=language,
        title=_("Pass/fail sheet") if credit else _("Exam sheet"),
        subject=f"№ {sheet.number} · {name_in(course.discipline, language)} · {course.group.name}",
        institution=institution_name(language),
        blocks=[
            Fields(fields),
            Table(headers, rows or (("—",) * len(headers),), widths=widths),
            Paragraph(summary),
            Signatures(
                (
                    (_("Examiner"), _person(examiner, language) if examiner else ""),
                    (_("Dean of the faculty"), ""),
                )
            ),
        ],
        facts={
            "kind": kind,
            "sheet": sheet.pk,
            "number": sheet.number,
            "status": sheet.status,
            "lines": [
                [line.student.record_number, line.total, line.letter, line.mark, line.passed]
                for line in lines
            ],
        },
        landscape=not credit,
        filename=f"sheet-{sheet.number}",
    )


def group_list_document(group, language: str, on: date) -> Doc:
    """The list of a group's studying students on a date."""
    from academic.records.selectors import course_on

    states = group_list_states(group.pk, on)
    rows = tuple(
        (
            n,
            s.student.user.get_full_name(),
            s.student.user.get_full_name_latin(),
            s.student.record_number,
            s.get_funding_display(),
        )
        for n, s in enumerate(states, start=1)
    )
    fields = (
        (_("Group"), group.name),
        (_("Specialty"), _specialty(group.specialty, language)),
        (_("Faculty"), _unit(_faculty_of(group), language)),
        (_("Course"), str(course_on(group, on))),
        (_("Form of study"), str(group.get_study_form_display())),
        (_("On"), _day(on)),
    )
    return Doc(
        kind=DocumentKind.GROUP_LIST,
        language=language,
        title=_("Group list"),
        subject=group.name,
        institution=institution_name(language),
        blocks=[
            Fields(fields),
            Table(
                (
                    _("No."),
                    _("Full name"),
                    _("Full name (Latin)"),
                    _("Record book number"),
                    _("Funding"),
                ),
                rows or (("—", "", "", "", ""),),
                widths=(6, 40, 40, 18, 18),
            ),
            Paragraph(_("Students in the group: %(count)d.") % {"count": len(states)}),
            Signatures(((_("Dean of the faculty"), ""),)),
        ],
        facts={
            "kind": DocumentKind.GROUP_LIST,
            "group": group.pk,
            "on": on,
            "students": [s.student.record_number for s in states],
        },
        filename=f"group-{group.name}",
    )


STUDENT_BUILDERS = {
    DocumentKind.STUDY_CERTIFICATE: study_certificate,
    DocumentKind.MILITARY_CERTIFICATE: military_certificate,
    DocumentKind.PERSONAL_CARD: personal_card,
    DocumentKind.STUDY_CARD: study_card,
    DocumentKind.RECORD_BOOK: record_book_document,
    DocumentKind.TRANSCRIPT: transcript_document,
}
