"""Session results, the final-score journal, session monitoring and the rating (GB-10, GB-11).

Every figure is counted by the database with GROUP BY over the lines of the
term's exam sheets (regular sheets: the session; retakes are the debts
pages' business), so a faculty of 5,000 students costs the same few queries
as a group of 20. Closed sheets give the results; lines of sheets still open
are counted only when asked, and the open sheets are always shown as such.
A student who left a sheet (`left_on`) is not counted on it.

The reader's scope (`permissions.office_scopes`) filters the groups of the
courses: a deanery sees its faculty, a curator its group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from academic.curricula.models import Discipline
from academic.grades.models import (
    Checkpoint,
    Course,
    ExamSheet,
    Score,
    SheetKind,
    SheetLine,
    SheetStatus,
)
from academic.grades.scales import MARKS, Scale
from academic.records.models import Status, Student
from academic.records.selectors import states_on
from academic.structure.models import Faculty, Group, Specialty, Term
from academic.structure.permissions import groups_visible_filter
from hub.accounts.access import Scope

FACULTY, GROUP, COURSE, SPECIALTY = "faculty", "group", "course", "specialty"
RESULT_DIMENSIONS = [
    (FACULTY, _("by faculty")),
    (GROUP, _("by group")),
    (COURSE, _("by course")),
]
RATING_SCOPES = [
    (GROUP, _("group")),
    (SPECIALTY, _("specialty")),
    (FACULTY, _("faculty")),
]
FACULTY_ID = "specialty__department__faculty_id"
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
UNKNOWN: Promise = _("not stated")


def _round(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    return _round(Decimal(part) * HUNDRED / whole) if whole else None


# --- Terms and scopes --------------------------------------------------------------------


def terms_list() -> QuerySet[Term]:
    """Every term, newest first, with its academic year (for the term pickers)."""
    return Term.objects.select_related("academic_year").order_by(
        "-academic_year__starts_on", "-number"
    )


def term_current(on: date | None = None) -> Term | None:
    """The term covering `on` (today by default), else the latest one that started; one query."""
    on = on or timezone.localdate()
    terms = terms_list()
    return terms.filter(starts_on__lte=on, ends_on__gte=on).first() or (
        terms.filter(starts_on__lte=on).first() or terms.last()
    )


def groups_in_scope(scopes: list[Scope]) -> QuerySet[Group]:
    """The groups inside `scopes` (every group for an institution-wide scope)."""
    condition = groups_visible_filter(scopes)
    groups = Group.objects.all()
    return groups if condition is None else groups.filter(condition)


def faculties_in_scope(scopes: list[Scope]) -> QuerySet[Faculty]:
    """The faculties that have a group inside `scopes`, by code."""
    ids = groups_in_scope(scopes).values(FACULTY_ID)
    return Faculty.objects.filter(pk__in=ids).order_by("code")


def specialties_in_scope(scopes: list[Scope]) -> QuerySet[Specialty]:
    return Specialty.objects.filter(pk__in=groups_in_scope(scopes).values("specialty_id")).order_by(
        "code"
    )


def _scoped(queryset: QuerySet, scopes: list[Scope], prefix: str) -> QuerySet:
    condition = groups_visible_filter(scopes, prefix=prefix)
    return queryset if condition is None else queryset.filter(condition)


# --- Session results ---------------------------------------------------------------------


@dataclass
class ResultRow:
    """The figures of one faculty, group or course (or of all of them: the total row)."""

    key: object
    label: str
    students: int = 0
    lines: int = 0
    sat: int = 0
    passed: int = 0
    average: Decimal | None = None
    average_gpa: Decimal | None = None
    marks: dict[int, int] = field(default_factory=dict)
    letters: dict[str, int] = field(default_factory=dict)
    sheets: int = 0
    open_sheets: int = 0
    open_lines: int = 0
    letter_counts: list[int] = field(default_factory=list)
    # Sums behind the averages, so that the total row weighs its rows right.
    sum_total: Decimal = Decimal(0)
    n_total: int = 0
    sum_gpa: Decimal = Decimal(0)
    n_gpa: int = 0

    @property
    def closed_sheets(self) -> int:
        return self.sheets - self.open_sheets

    @property
    def pass_rate(self) -> Decimal | None:
        """Passed, in per cent of every student-control on the sheets."""
        return _percent(self.passed, self.lines)

    @property
    def mark_list(self) -> list[int]:
        return [self.marks.get(mark, 0) for mark in MARKS]


@dataclass
class SessionResults:
    term: Term
    by: str
    include_open: bool
    rows: list[ResultRow]
    total: ResultRow
    letters: list[str]

    def letter_list(self, row: ResultRow) -> list[int]:
        return [row.letters.get(letter, 0) for letter in self.letters]


def figures_of(letters: list[str]) -> dict:
    """The aggregates of one results row: every figure, each letter of `letters`, in one pass."""
    return {
        "lines": Count("pk"),
        "students": Count("student_id", distinct=True),
        "sat": Count("pk", filter=Q(admitted=True, absent=False, total__isnull=False)),
        "passed": Count("pk", filter=Q(passed=True)),
        "sum_total": Sum("total"),
        "n_total": Count("total"),
        "sum_gpa": Sum("gpa"),
        "n_gpa": Count("gpa"),
        "open_lines": Count("pk", filter=Q(sheet__status=SheetStatus.OPEN)),
        **{f"m{mark}": Count("pk", filter=Q(mark=mark)) for mark in MARKS},
        **{f"l{i}": Count("pk", filter=Q(letter=letter)) for i, letter in enumerate(letters)},
        # Letters of an earlier scale, on sheets closed before it changed: counted apart.
        "other_letters": Count("pk", filter=~Q(letter__in=[*letters, ""])),
    }


_KEYS = {
    FACULTY: F(f"sheet__course__group__{FACULTY_ID}"),
    GROUP: F("sheet__course__group_id"),
    COURSE: F("sheet__course_id"),
}


_SHEET_KEYS = {
    FACULTY: F(f"course__group__{FACULTY_ID}"),
    GROUP: F("course__group_id"),
    COURSE: F("course_id"),
}


def session_sheets(
    *, term: Term, scopes: list[Scope], faculty: int | None = None, group: int | None = None
) -> QuerySet[ExamSheet]:
    """The regular sheets of `term` in scope (and in the faculty or group chosen)."""
    sheets = _scoped(
        ExamSheet.objects.filter(course__term=term, kind=SheetKind.REGULAR),
        scopes,
        "course__group__",
    )
    if faculty:
        sheets = sheets.filter(**{f"course__group__{FACULTY_ID}": faculty})
    if group:
        sheets = sheets.filter(course__group_id=group)
    return sheets


def session_lines(
    *,
    term: Term,
    scopes: list[Scope],
    faculty: int | None = None,
    group: int | None = None,
    include_open: bool = False,
) -> QuerySet[SheetLine]:
    """The lines the session results count: regular sheets of `term` in scope, still on them."""
    lines = SheetLine.objects.filter(
        sheet__course__term=term, sheet__kind=SheetKind.REGULAR, left_on__isnull=True
    )
    lines = _scoped(lines, scopes, "sheet__course__group__")
    if faculty:
        lines = lines.filter(**{f"sheet__course__group__{FACULTY_ID}": faculty})
    if group:
        lines = lines.filter(sheet__course__group_id=group)
    if not include_open:
        # The open sheets are still counted, from the sheets themselves (session_sheets).
        lines = lines.filter(sheet__status=SheetStatus.CLOSED)
    return lines


def _mean(total, count: int) -> Decimal | None:
    return _round(Decimal(str(total)) / count) if count else None


def _row(key, label: str, figures: dict, letters: list[str]) -> ResultRow:
    return ResultRow(
        key=key,
        label=label,
        students=figures["students"],
        lines=figures["lines"],
        sat=figures["sat"],
        passed=figures["passed"],
        average=_mean(figures["sum_total"], figures["n_total"]),
        average_gpa=_mean(figures["sum_gpa"], figures["n_gpa"]),
        marks={mark: figures[f"m{mark}"] for mark in MARKS},
        letters={letter: figures[f"l{i}"] for i, letter in enumerate(letters) if figures[f"l{i}"]},
        open_lines=figures["open_lines"],
        sum_total=Decimal(str(figures["sum_total"] or 0)),
        n_total=figures["n_total"],
        sum_gpa=Decimal(str(figures["sum_gpa"] or 0)),
        n_gpa=figures["n_gpa"],
    )


def _labels(by: str, keys: list) -> dict[object, str]:
    if by == FACULTY:
        found = Faculty.objects.in_bulk([k for k in keys if k])
        return {k: found[k].name if k in found else str(UNKNOWN) for k in keys}
    if by == GROUP:
        return {k: g.name for k, g in Group.objects.in_bulk(keys).items()}
    # Thousands of courses share a few disciplines and groups: name those once each.
    courses = Course.objects.filter(pk__in=keys).values_list("pk", "discipline_id", "group_id")
    courses = list(courses)
    disciplines = Discipline.objects.in_bulk({d for _c, d, _g in courses})
    groups = dict(
        Group.objects.filter(pk__in={g for _c, _d, g in courses}).values_list("pk", "name")
    )
    return {c: f"{disciplines[d].name} — {groups[g]}" for c, d, g in courses}


def session_results(
    *,
    term: Term,
    scopes: list[Scope],
    by: str = FACULTY,
    faculty: int | None = None,
    group: int | None = None,
    include_open: bool = False,
    scale: Scale | None = None,
) -> SessionResults:
    """Session results of `term` per faculty, group or course, with the total (four queries).

    Students, sat (appeared with a result), passed, pass rate, average score
    and GPA, the 2/3/4/5 marks and the letters of `scale`. Figures come from
    closed sheets, and from open ones too with `include_open`; the sheets of
    the term still open are counted in every case. One pass over the lines
    gives every figure; a second one runs only when letters of an earlier
    scale are found, or to count distinct students over courses. Read-only.
    """
    lines = session_lines(
        term=term, scopes=scopes, faculty=faculty, group=group, include_open=include_open
    )
    scale_letters = [b.letter for b in scale.bands] if scale else []
    key = _KEYS[by]
    figures = {
        r["key"]: r
        for r in lines.annotate(key=key)
        .values("key")
        .annotate(**figures_of(scale_letters))
        .order_by()
    }
    # Sheets are counted on their own table (thousands of rows, not the lines' tens of thousands).
    sheet_counts = {
        r["key"]: r
        for r in session_sheets(term=term, scopes=scopes, faculty=faculty, group=group)
        .annotate(key=_SHEET_KEYS[by])
        .values("key")
        .annotate(
            sheets=Count("pk"),
            open_sheets=Count("pk", filter=Q(status=SheetStatus.OPEN)),
        )
        .order_by()
    }
    keys = list(set(figures) | set(sheet_counts))
    labels = _labels(by, keys)
    empty = dict.fromkeys(figures_of(scale_letters), 0) | {"sum_total": 0, "sum_gpa": 0}
    rows = []
    for k in keys:
        row = _row(k, labels.get(k, str(UNKNOWN)), {**empty, **figures.get(k, {})}, scale_letters)
        row.sheets = sheet_counts.get(k, {}).get("sheets", 0)
        row.open_sheets = sheet_counts.get(k, {}).get("open_sheets", 0)
        rows.append(row)
    rows.sort(key=lambda r: r.label)
    if any(f["other_letters"] for f in figures.values()):
        others = (
            lines.exclude(letter__in=[*scale_letters, ""])
            .annotate(key=key)
            .values("key", "letter")
            .annotate(n=Count("pk"))
            .order_by()
        )
        by_key = {row.key: row for row in rows}
        for r in others:
            by_key[r["key"]].letters[r["letter"]] = r["n"]
    total = _total(rows, lines, by)
    extra = sorted(set(total.letters) - set(scale_letters))
    results = SessionResults(
        term=term,
        by=by,
        include_open=include_open,
        rows=rows,
        total=total,
        letters=[letter for letter in scale_letters + extra if total.letters.get(letter)],
    )
    for row in [*rows, total]:
        row.letter_counts = results.letter_list(row)
    return results


def _total(rows: list[ResultRow], lines: QuerySet[SheetLine], by: str) -> ResultRow:
    # Sums of the rows: a line belongs to one faculty, group and course, and a
    # student to one group at a time (a line left behind has `left_on`). Over
    # courses a student counts once, which needs the database.
    total = ResultRow(None, str(_("Total")))
    sum_total = sum_gpa = Decimal(0)
    n_total = n_gpa = 0
    for row in rows:
        for name in ("students", "lines", "sat", "passed", "open_lines", "sheets", "open_sheets"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for mark, n in row.marks.items():
            total.marks[mark] = total.marks.get(mark, 0) + n
        for letter, n in row.letters.items():
            total.letters[letter] = total.letters.get(letter, 0) + n
        sum_total += row.sum_total
        n_total += row.n_total
        sum_gpa += row.sum_gpa
        n_gpa += row.n_gpa
    total.average = _mean(sum_total, n_total)
    total.average_gpa = _mean(sum_gpa, n_gpa)
    if by == COURSE and rows:
        total.students = lines.values("student_id").distinct().count()
    return total


def session_results_chart(results: SessionResults) -> dict:
    """Data for the page's charts: pass rate and average per row, marks and letters overall."""
    return {
        "labels": [r.label for r in results.rows],
        "pass_rate": [float(r.pass_rate or 0) for r in results.rows],
        "average": [float(r.average or 0) for r in results.rows],
        "marks": {"labels": [str(m) for m in MARKS], "data": results.total.mark_list},
        "letters": {
            "labels": results.letters,
            "data": results.letter_list(results.total),
        },
        "titles": {
            "pass_rate": str(_("Pass rate, %")),
            "average": str(_("Average score")),
            "marks": str(_("Marks")),
            "letters": str(_("Letters")),
        },
    }


def session_results_export(results: SessionResults) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the results table for hub.exports (the total row last)."""
    headers = [
        str(dict(RESULT_DIMENSIONS)[results.by]).capitalize(),
        str(_("Students")),
        str(_("Sat")),
        str(_("Passed")),
        str(_("Pass rate, %")),
        str(_("Average score")),
        str(_("Average GPA")),
        *[str(m) for m in MARKS],
        *results.letters,
        str(_("Sheets")),
        str(_("Still open")),
    ]

    def cells(row: ResultRow) -> list[object]:
        return [
            row.label,
            row.students,
            row.sat,
            row.passed,
            row.pass_rate,
            row.average,
            row.average_gpa,
            *row.mark_list,
            *results.letter_list(row),
            row.sheets,
            row.open_sheets,
        ]

    return headers, [cells(r) for r in [*results.rows, results.total]]


# --- Final-score journal -----------------------------------------------------------------


@dataclass
class FinalCell:
    total: Decimal | None
    letter: str
    mark: int | None
    passed: bool | None
    open: bool
    absent: bool
    admitted: bool


@dataclass
class FinalJournal:
    group: Group
    term: Term
    courses: list[Course]
    rows: list[tuple[Student, list[FinalCell | None]]]


def final_journal(*, group: Group, term: Term, on: date | None = None) -> FinalJournal:
    """Students × courses of `group` in `term` with each final total and letter (three queries).

    A cell is the student's line on the course's latest sheet attempt that has
    a result (a retake supersedes the session), else on its latest attempt;
    `open` marks lines of sheets not closed yet. The students are those on
    the sheets and those in the group on `on` (the term's end by default).
    """
    courses = list(
        Course.objects.filter(group=group, term=term)
        .select_related("discipline")
        .order_by("discipline__code", "pk")
    )
    position = {c.pk: i for i, c in enumerate(courses)}
    lines = (
        SheetLine.objects.filter(sheet__course__in=courses, left_on__isnull=True)
        .select_related("student__user")
        .annotate(course_id=F("sheet__course_id"), attempt=F("sheet__attempt"))
        .annotate(sheet_status=F("sheet__status"))
        .order_by("sheet__attempt", "pk")
    )
    students: dict[int, Student] = {}
    best: dict[tuple[int, int], SheetLine] = {}
    for line in lines:
        students[line.student_id] = line.student
        current = best.get((line.student_id, line.course_id))
        # Later attempts come later: keep one with a result over one without.
        if current is None or line.total is not None or current.total is None:
            best[(line.student_id, line.course_id)] = line
    on = on or min(term.ends_on, timezone.localdate())
    ids = states_on(on).filter(group=group, status=Status.STUDYING).values("student_id")
    for student in Student.objects.filter(pk__in=ids).select_related("user"):
        students.setdefault(student.pk, student)
    rows = []
    for student in sorted(
        students.values(), key=lambda s: (s.user.last_name, s.user.first_name, s.pk)
    ):
        cells: list[FinalCell | None] = [None] * len(courses)
        for course in courses:
            line = best.get((student.pk, course.pk))
            if line is not None:
                cells[position[course.pk]] = FinalCell(
                    total=line.total,
                    letter=line.letter,
                    mark=line.mark,
                    passed=line.passed,
                    open=line.sheet_status != SheetStatus.CLOSED,
                    absent=line.absent,
                    admitted=line.admitted,
                )
        rows.append((student, cells))
    return FinalJournal(group=group, term=term, courses=courses, rows=rows)


def final_journal_export(journal: FinalJournal) -> tuple[list[str], list[list[object]]]:
    """One row per student: name, record book, then '87.00 A-' per course."""
    headers = [
        str(_("Student")),
        str(_("Record book number")),
        *[c.discipline.name for c in journal.courses],
    ]

    def text(cell: FinalCell | None) -> str:
        if cell is None or cell.total is None:
            return "" if cell is None or not cell.absent else str(_("did not appear"))
        return f"{cell.total} {cell.letter}".strip()

    rows = [
        [student.user.get_full_name(), student.record_number, *[text(c) for c in cells]]
        for student, cells in journal.rows
    ]
    return headers, rows


# --- Monitoring of a running session -----------------------------------------------------


@dataclass
class Progress:
    key: int | None
    label: str
    sheets: int = 0
    closed: int = 0
    groups: list[Progress] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return int(self.closed * 100 / self.sheets) if self.sheets else 0


def session_progress(*, term: Term, scopes: list[Scope]) -> tuple[Progress, list[Progress]]:
    """How many regular sheets of `term` are closed, per faculty and group (three queries).

    Returns the whole (in scope) and the faculties, each with its groups.
    """
    sheets = session_sheets(term=term, scopes=scopes)
    rows = (
        sheets.values("course__group_id", faculty=F(f"course__group__{FACULTY_ID}"))
        .annotate(sheets=Count("pk"), closed=Count("pk", filter=Q(status=SheetStatus.CLOSED)))
        .order_by()
    )
    rows = list(rows)
    groups = Group.objects.in_bulk([r["course__group_id"] for r in rows])
    faculties = Faculty.objects.in_bulk([r["faculty"] for r in rows if r["faculty"]])
    by_faculty: dict[int | None, Progress] = {}
    whole = Progress(None, str(_("Total")))
    for r in rows:
        fid = r["faculty"]
        if fid not in by_faculty:
            label = faculties[fid].name if fid in faculties else str(UNKNOWN)
            by_faculty[fid] = Progress(fid, label)
        faculty = by_faculty[fid]
        group = groups.get(r["course__group_id"])
        faculty.groups.append(
            Progress(r["course__group_id"], group.name if group else "", r["sheets"], r["closed"])
        )
        faculty.sheets += r["sheets"]
        faculty.closed += r["closed"]
        whole.sheets += r["sheets"]
        whole.closed += r["closed"]
    result = sorted(by_faculty.values(), key=lambda f: f.label)
    for faculty in result:
        faculty.groups.sort(key=lambda g: g.label)
    return whole, result


def session_progress_data(whole: Progress, faculties: list[Progress]) -> dict:
    """The monitoring figures as JSON for the live page."""

    def one(p: Progress) -> dict:
        return {"id": p.key, "label": p.label, "sheets": p.sheets, "closed": p.closed}

    return {
        "total": one(whole),
        "faculties": [one(f) | {"groups": [one(g) for g in f.groups]} for f in faculties],
    }


# --- Rating ------------------------------------------------------------------------------


@dataclass
class RatingRow:
    place: int
    student_id: int
    name: str
    record_number: str
    group: str
    points: Decimal


def rating_students(
    *, scopes: list[Scope], on: date, group: int | None, specialty: int | None, faculty: int | None
) -> QuerySet:
    """The studying students' states on `on` in scope and in the chosen unit."""
    states = _scoped(states_on(on).filter(status=Status.STUDYING), scopes, "group__")
    if group:
        states = states.filter(group_id=group)
    if specialty:
        states = states.filter(group__specialty_id=specialty)
    if faculty:
        states = states.filter(**{f"group__{FACULTY_ID}": faculty})
    return states


def rating_courses(
    *,
    term: Term,
    scopes: list[Scope],
    group: int | None,
    specialty: int | None,
    faculty: int | None,
) -> QuerySet[Course]:
    """The term's courses of the groups in scope and in the chosen unit: what the rating counts."""
    courses = _scoped(Course.objects.filter(term=term), scopes, "group__")
    if group:
        courses = courses.filter(group_id=group)
    if specialty:
        courses = courses.filter(group__specialty_id=specialty)
    if faculty:
        courses = courses.filter(**{f"group__{FACULTY_ID}": faculty})
    return courses


def _capped_totals(course_ids_sql: str, params: list) -> dict[int, Decimal]:
    # The sum of each student's checkpoint totals in the courses, each capped
    # at its checkpoint's maximum as scoring.checkpoint_totals does, in one
    # statement: a faculty has hundreds of thousands of scores, and bringing
    # the (student, checkpoint) pairs into Python would cost seconds. Scores
    # are found through the courses (one pass over them, in order), not
    # looked up student by student.
    score = Score._meta.db_table
    checkpoint = Checkpoint._meta.db_table
    sql = f"""
        SELECT per.student_id,
               SUM(CASE WHEN per.points > ck.max_score THEN ck.max_score ELSE per.points END)
        FROM (
            SELECT sc.student_id AS student_id, sc.checkpoint_id AS checkpoint_id,
                   SUM(sc.value) AS points
            FROM {score} sc
            JOIN {checkpoint} c ON c.id = sc.checkpoint_id
            WHERE c.course_id IN ({course_ids_sql})
            GROUP BY sc.student_id, sc.checkpoint_id
        ) per
        JOIN {checkpoint} ck ON ck.id = per.checkpoint_id
        GROUP BY per.student_id
    """  # noqa: S608 — table names come from the models, values are parameters
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A faculty's (student, checkpoint) pairs outgrow the default 4 MB
            # of hash memory and spill to disk; this transaction may use more.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return {sid: _round(points) for sid, points in cursor.fetchall()}


def rating(
    *,
    term: Term,
    scopes: list[Scope],
    group: int | None = None,
    specialty: int | None = None,
    faculty: int | None = None,
    on: date | None = None,
) -> list[RatingRow]:
    """Students of a group, specialty or faculty ranked by their checkpoint points of `term` (GB-11).

    The points are the sum of the student's checkpoint totals over the term's
    courses of the unit's groups (each capped at its maximum): a student who
    joined the unit mid-term is rated on its courses. Equal points share a
    place and the next place is skipped (1, 1, 3); students without scores
    have 0 points. Two queries whatever the number of students. Read-only.
    """
    on = on or min(term.ends_on, timezone.localdate())
    states = rating_students(
        scopes=scopes, on=on, group=group, specialty=specialty, faculty=faculty
    )
    courses = rating_courses(
        term=term, scopes=scopes, group=group, specialty=specialty, faculty=faculty
    )
    # Unordered: the courses' default ordering would join their disciplines in for nothing.
    ids_sql, params = courses.values("pk").order_by().query.sql_with_params()
    totals = _capped_totals(ids_sql, list(params))
    found = states.values(
        "student_id",
        "student__record_number",
        "student__user__last_name",
        "student__user__first_name",
        "group__name",
    )
    entries = sorted(
        found,
        key=lambda s: (
            -totals.get(s["student_id"], Decimal(0)),
            s["student__user__last_name"],
            s["student__user__first_name"],
            s["student_id"],
        ),
    )
    rows: list[RatingRow] = []
    for index, s in enumerate(entries, start=1):
        points = totals.get(s["student_id"]) or Decimal("0.00")
        place = rows[-1].place if rows and rows[-1].points == points else index
        name = f"{s['student__user__last_name']} {s['student__user__first_name']}".strip()
        rows.append(
            RatingRow(
                place, s["student_id"], name, s["student__record_number"], s["group__name"], points
            )
        )
    return rows


def rating_export(rows: list[RatingRow]) -> tuple[list[str], list[list[object]]]:
    headers = [
        str(_("Place")),
        str(_("Student")),
        str(_("Record book number")),
        str(_("Group")),
        str(_("Points")),
    ]
    return headers, [[r.place, r.name, r.record_number, r.group, r.points] for r in rows]
