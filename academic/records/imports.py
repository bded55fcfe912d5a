"""Importing students, or groups, into records from an Excel or CSV list (SR-4, X-4).

Two kinds of list share one flow (KINDS, used by jobs.py and the pages):
each kind names its columns (Columns), plans its rows (new, updated,
unchanged, invalid with every reason, writing nothing) and writes a plan all
or nothing in one audit batch. Students come first below; groups, whose name
is their natural key, at the end.

One row per student; the first row names the columns, in Kyrgyz, Russian or
English (ALIASES). The record book number is the natural key: a number already
in records is the same student, whose personal data the row may update, so
importing a file twice creates nothing the second time. A blank optional cell
never erases what records hold.

`plan_import` reads and checks every row against the database (one query per
kind of object, not per row) and sorts each row as new, updated, unchanged or
invalid; the preview shows the plan and `students_import` writes it, all or
nothing. Files are read with hub.accounts.imports.read_table, as the accounts
import does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academic.records.actions import PERSONAL_FIELDS
from academic.records.models import Funding, Sex, Status, Student, StudentState
from academic.structure.actions import (
    CURATOR_CABINETS,
    group_assign_curator,
    group_create,
    group_update,
)
from academic.structure.models import (
    COURSE_MAX,
    COURSE_MIN,
    Group,
    InstructionLanguage,
    Specialty,
    StudyForm,
)
from hub.accounts import roles
from hub.accounts.actions import (
    USER_ADMIN_FIELDS,
    NewUser,
    new_user_problems,
    password_generate,
    phone_normalize,
)
from hub.accounts.models import Cabinet, Language, Role, RoleAssignment, ScopeKind, User
from hub.accounts.transliteration import transliterate
from hub.audit.log import Change, audit_bulk, batch, current_context
from hub.errors import DomainError

ProgressFn = Callable[..., None]
BATCH_SIZE = 1000


def _quiet(done: int, total: int, message: str = "") -> None:
    """The progress callable of callers that show none."""


# --- Columns ---------------------------------------------------------------------------

# Field → the headers that name it (compared after `_header`): English, Russian, Kyrgyz.
ALIASES: dict[str, tuple[str, ...]] = {
    "last_name": ("last name", "surname", "фамилия", "фамилиясы"),
    "first_name": ("first name", "name", "имя", "аты"),
    "patronymic": ("patronymic", "отчество", "атасынын аты"),
    "last_name_latin": (
        "last name (latin)", "surname (latin)", "фамилия (латиница)", "фамилиясы (латынча)",
    ),
    "first_name_latin": ("first name (latin)", "имя (латиница)", "аты (латынча)"),
    "patronymic_latin": (
        "patronymic (latin)", "отчество (латиница)", "атасынын аты (латынча)",
    ),
    "username": ("login", "username", "логин", "колдонуучунун аты"),
    "record_number": (
        "record book number", "record book", "record number", "номер зачетной книжки",
        "зачетная книжка", "№ зачетной книжки", "зачеттик китепченин номери", "зачеттик китепче",
    ),
    "sex": ("sex", "gender", "пол", "жынысы"),
    "birth_date": ("date of birth", "birth date", "дата рождения", "туулган күнү", "туулган датасы"),
    "pin": ("pin", "personal number", "пин", "инн", "персональный номер", "жеке номер"),
    "citizenship": ("citizenship", "гражданство", "жарандыгы", "жарандык"),
    "nationality": ("nationality", "ethnicity", "национальность", "улуту"),
    "phone": ("phone", "telephone", "телефон"),
    "email": ("e-mail", "email", "электронная почта", "эл. почта", "электрондук почта"),
    "group": ("group", "группа", "тайпа", "топ"),
    "funding": (
        "funding", "budget or contract", "финансирование", "форма оплаты", "основа обучения",
        "каржылоо", "окуу негизи",
    ),
    "start_date": (
        "in the group from", "start date", "in group from", "в группе с", "дата зачисления",
        "дата зачисления в группу", "тайпада качантан", "тайпага кабыл алынган күнү",
    ),
    "specialty": ("specialty code", "specialty", "код специальности", "адистиктин коду"),
    "intake_year": ("intake year", "year of intake", "год набора", "кабыл алуу жылы"),
    "course": ("course", "year of study", "курс"),
    "study_form": ("study form", "form of study", "форма обучения", "окуу формасы"),
    "language": (
        "language", "language of instruction", "язык обучения", "окутуу тили",
    ),
}  # fmt: skip
REQUIRED = ("last_name", "first_name", "record_number", "sex", "birth_date", "group", "funding")
GROUP_FIELDS = ("specialty", "intake_year", "course", "study_form", "language")
# The columns of a groups list: the group's name is its natural key.
GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (*ALIASES["group"], "group name", "название группы", "тайпанын аты", "топтун аты"),
    **{name: ALIASES[name] for name in GROUP_FIELDS},
    "curator": ("curator", "curator login", "куратор", "логин куратора", "куратордун логини"),
}  # fmt: skip
GROUP_REQUIRED = ("name", *GROUP_FIELDS)


def _header(text: str) -> str:
    """A header as compared: lower case, ё as е, no asterisks, colons or doubled spaces."""
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    text = text.replace("*", "").replace(":", "")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Columns:
    """The columns a kind of list may have (field → its headers) and those it must have."""

    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...]

    @cached_property
    def headers(self) -> dict[str, str]:
        return {
            _header(alias): name
            for name, aliases in self.aliases.items()
            for alias in (name, *aliases)
        }


STUDENT_COLUMNS = Columns(ALIASES, REQUIRED)
GROUP_COLUMNS = Columns(GROUP_ALIASES, GROUP_REQUIRED)


def _choices(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_header(word): value for value, words in pairs.items() for word in (value, *words)}


SEXES = _choices(
    {
        Sex.MALE: ("m", "male", "man", "м", "муж", "мужской", "э", "эркек"),
        Sex.FEMALE: ("f", "female", "woman", "ж", "жен", "женский", "а", "аял", "кыз"),
    }
)
FUNDINGS = _choices(
    {
        Funding.BUDGET: ("budget", "state budget", "бюджет", "бюджетная", "бюджеттик", "грант"),
        Funding.CONTRACT: ("contract", "контракт", "контрактная", "келишим", "келишимдик"),
    }
)
STUDY_FORMS = _choices(
    {
        StudyForm.FULL_TIME: ("full-time", "full time", "очная", "очно", "күндүзгү"),
        StudyForm.PART_TIME: ("part-time", "part time", "заочная", "заочно", "сырттан"),
        StudyForm.DISTANCE: ("distance", "дистанционная", "аралыктан"),
        StudyForm.EVENING: ("evening", "вечерняя", "кечки"),
    }
)
LANGUAGES = _choices(
    {
        InstructionLanguage.KYRGYZ: ("kyrgyz", "кыргызский", "кыргыз", "кыргызча"),
        InstructionLanguage.RUSSIAN: ("russian", "русский", "орус", "орусча"),
        InstructionLanguage.ENGLISH: ("english", "английский", "англис", "англисче"),
    }
)


def columns_of(header: list[str], spec: Columns = STUDENT_COLUMNS) -> dict[str, int]:
    """Field → column index; DomainError when a required column is missing or doubled.

    Columns with headers of no field are ignored (a list often carries a row number).
    """
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        name = spec.headers.get(_header(text))
        if name is None:
            continue
        if name in columns:
            raise DomainError(
                _("Two columns mean the same field: “%(first)s” and “%(second)s”.")
                % {"first": header[columns[name]], "second": text}
            )
        columns[name] = index
    missing = [_column_title(name) for name in spec.required if name not in columns]
    if missing:
        raise DomainError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return columns


# --- Rows ------------------------------------------------------------------------------


class Outcome:
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    INVALID = "invalid"


@dataclass
class Row:
    """One row of a list: its text by field, its outcome and its problems."""

    line: int
    text: dict[str, str]
    problems: list[str] = field(default_factory=list)
    outcome: str = Outcome.INVALID
    changed: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        return self.text.get(name, "")

    @property
    def label(self) -> str:
        """What the row is about, as the preview and the report name it."""
        return ""

    @property
    def key(self) -> str:
        """The second cell the preview shows beside the label."""
        return ""


@dataclass
class StudentRow(Row):
    """One student row, with the values parsed from it."""

    sex: str = ""
    funding: str = ""
    birth_date: date | None = None
    start_date: date | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self["last_name"], self["first_name"], self["patronymic"]) if p)

    @property
    def label(self) -> str:
        return self.full_name

    @property
    def key(self) -> str:
        return self["record_number"]


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d.%m.%y")


def parse_date(text: str) -> date | None:
    """dd.mm.yyyy, ISO (also an Excel date read as `yyyy-mm-dd 00:00:00`); None if neither."""
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _check_filled(row: Row, required: tuple[str, ...]) -> None:
    for name in required:
        if not row[name]:
            row.problems.append(
                _("The “%(column)s” cell is empty.") % {"column": _column_title(name)}
            )


def _row_parse(row: StudentRow, *, today: date) -> None:
    """Parse the row's own cells (nothing from the database) and note what is wrong."""
    problems = row.problems
    _check_filled(row, REQUIRED)
    if row["sex"]:
        row.sex = SEXES.get(_header(row["sex"]), "")
        if not row.sex:
            problems.append(_("Unknown sex “%(value)s”.") % {"value": row["sex"]})
    if row["funding"]:
        row.funding = FUNDINGS.get(_header(row["funding"]), "")
        if not row.funding:
            problems.append(
                _("Unknown funding “%(value)s”: write budget or contract.")
                % {"value": row["funding"]}
            )
    if row["birth_date"]:
        row.birth_date = parse_date(row["birth_date"])
        if row.birth_date is None:
            problems.append(
                _("The date of birth “%(value)s” is not a date like 14.03.2005.")
                % {"value": row["birth_date"]}
            )
        elif not date(1900, 1, 1) <= row.birth_date < today:
            problems.append(_("The date of birth is not plausible."))
    row.start_date = today
    if row["start_date"]:
        row.start_date = parse_date(row["start_date"])
        if row.start_date is None:
            problems.append(
                _("The date “%(value)s” the student started in the group is not a date.")
                % {"value": row["start_date"]}
            )
    if row["pin"] and not re.fullmatch(r"\d{14}", row["pin"]):
        problems.append(_("A PIN has 14 digits."))
    for name, limit in (("record_number", 32), ("citizenship", 64), ("nationality", 64)):
        if len(row[name]) > limit:
            problems.append(
                _("The “%(column)s” cell is longer than %(count)d characters.")
                % {"column": _column_title(name), "count": limit}
            )


def _column_title(name: str) -> str:
    titles = {
        "last_name": _("last name"),
        "first_name": _("first name"),
        "record_number": _("record book number"),
        "sex": _("sex"),
        "birth_date": _("date of birth"),
        "group": _("group"),
        "name": _("group"),
        "funding": _("funding"),
        "citizenship": _("citizenship"),
        "nationality": _("nationality"),
        "specialty": _("specialty code"),
        "intake_year": _("intake year"),
        "course": _("course"),
        "study_form": _("study form"),
        "language": _("language of instruction"),
    }
    return str(titles.get(name, name))


def rows_read(
    table: list[list[str]],
    *,
    spec: Columns,
    make: Callable[[int, dict[str, str]], Row],
    progress: ProgressFn = _quiet,
) -> list[Row]:
    """Every non-blank data row of `table` made by `make(line, text by field)`."""
    if not table:
        raise DomainError(_("The file is empty."))
    columns = columns_of(table[0], spec)
    body = table[1:]
    rows = []
    for offset, cells in enumerate(body):
        if any(cells):
            text = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
            rows.append(make(offset + 2, text))
        progress(offset + 1, len(body), _("Checking rows"))
    if not rows:
        raise DomainError(_("The file has no rows below the header."))
    return rows


def _student_row(line: int, text: dict[str, str], *, today: date) -> StudentRow:
    row = StudentRow(line=line, text=text)
    _row_parse(row, today=today)
    return row


# --- The plan ----------------------------------------------------------------------------


@dataclass
class NewGroup:
    """A group the import creates (with the "create missing groups" option)."""

    name: str
    specialty: Specialty
    intake_year: int
    course: int
    study_form: str
    language: str

    def key(self) -> tuple:
        return (self.specialty.pk, self.intake_year, self.course, self.study_form, self.language)


@dataclass
class ImportPlan:
    """What an import would do: each row's outcome."""

    rows: list[Row]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def counts(self) -> dict[str, int]:
        return {
            outcome: self.count(outcome)
            for outcome in (Outcome.NEW, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.INVALID)
        }

    def summary(self) -> dict[str, Any]:
        """The plan as the preview page shows it (JSON for the job's result)."""
        return {
            "counts": self.counts(),
            "total": len(self.rows),
            "invalid": [
                {"line": r.line, "name": r.label, "record": r.key, "problems": r.problems}
                for r in self.rows if r.outcome == Outcome.INVALID
            ],
            "updated": [
                {"line": r.line, "name": r.label, "record": r.key, "fields": r.changed}
                for r in self.rows if r.outcome == Outcome.UPDATED
            ],
        }  # fmt: skip

    def rows_to_write(self, *, valid_only: bool) -> tuple[list[Row], list[Row], list[dict]]:
        """The new rows, the updated rows and the skipped ones as the report lists them.

        Invalid rows refuse the import with DomainError (every problem of every
        row, by line) unless `valid_only`, which skips them.
        """
        invalid = [row for row in self.rows if row.outcome == Outcome.INVALID]
        if invalid and not valid_only:
            messages = [
                _("Row %(number)d: %(problem)s") % {"number": row.line, "problem": problem}
                for row in invalid
                for problem in row.problems
            ]
            raise DomainError(messages[0], messages=messages)
        return (
            [row for row in self.rows if row.outcome == Outcome.NEW],
            [row for row in self.rows if row.outcome == Outcome.UPDATED],
            [{"line": r.line, "name": r.label, "problems": r.problems} for r in invalid],
        )


@dataclass
class StudentPlan(ImportPlan):
    """A students list's plan, with the groups it names or opens and the students it finds."""

    groups: dict[str, Group] = field(default_factory=dict)  # by lower-cased name
    new_groups: dict[str, NewGroup] = field(default_factory=dict)  # by lower-cased name
    students: dict[str, Student] = field(default_factory=dict)  # by record number
    logins: dict[int, str] = field(default_factory=dict)  # line → login of a new student

    def summary(self) -> dict[str, Any]:
        return super().summary() | {
            "new_groups": sorted(group.name for group in self.new_groups.values())
        }


def _chunks(items: list, size: int = 900) -> Iterable[list]:
    # SQLite limits the number of query parameters; PostgreSQL does not mind small chunks.
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_students(numbers: list[str]) -> dict[str, Student]:
    found: dict[str, Student] = {}
    for chunk in _chunks(numbers):
        for student in Student.objects.select_related("user").filter(record_number__in=chunk):
            found[student.record_number] = student
    return found


def _taken_pins(pins: list[str]) -> dict[str, str]:
    """PIN → record number of the student holding it, for the PINs of the file."""
    taken: dict[str, str] = {}
    for chunk in _chunks(pins):
        taken.update(Student.objects.filter(pin__in=chunk).values_list("pin", "record_number"))
    return taken


def plan_import(
    table: list[list[str]],
    *,
    create_groups: bool = False,
    today: date | None = None,
    progress: ProgressFn = _quiet,
) -> StudentPlan:
    """Read and check every row of `table`; say what importing it would do. Writes nothing.

    DomainError for a file that cannot be read as a list (no header, no rows).
    Row problems are translated into the active language.
    """
    today = today or timezone.localdate()
    rows = rows_read(
        table,
        spec=STUDENT_COLUMNS,
        make=lambda line, text: _student_row(line, text, today=today),
        progress=progress,
    )
    progress(len(rows), len(rows), _("Comparing with records"))
    numbers = sorted({row["record_number"] for row in rows if row["record_number"]})
    names = {row["group"].lower() for row in rows if row["group"]}
    plan = StudentPlan(
        rows=rows,
        groups=_groups_named(names),
        new_groups={},
        students=_existing_students(numbers),
    )
    _check_duplicates(rows)
    _check_groups(plan, create_groups=create_groups)
    _check_pins(plan)
    _check_accounts(plan)
    for row in rows:
        if row.problems:
            row.outcome = Outcome.INVALID
        elif row["record_number"] not in plan.students:
            row.outcome = Outcome.NEW
        else:
            row.changed = _changes(row, plan.students[row["record_number"]])
            row.outcome = Outcome.UPDATED if row.changed else Outcome.UNCHANGED
    return plan


def _groups_named(names: set[str]) -> dict[str, Group]:
    """The groups of `names` by lower-cased name: "пи-1-24" names ПИ-1-24.

    Compared in Python: SQLite's LOWER() leaves Cyrillic letters as they are,
    and an institution has hundreds of groups, not millions.
    """
    groups = Group.objects.select_related("specialty").only(
        "id", "name", "is_active", "language", "specialty__id"
    )
    return {g.name.lower(): g for g in groups if g.name.lower() in names}


def _check_duplicates(rows: list[Row]) -> None:
    first_line: dict[str, int] = {}
    first_pin: dict[str, int] = {}
    for row in rows:
        number = row["record_number"]
        if number in first_line:
            row.problems.append(
                _("The record book number %(number)s is also in row %(line)d.")
                % {"number": number, "line": first_line[number]}
            )
        elif number:
            first_line[number] = row.line
        pin = row["pin"]
        if pin in first_pin:
            row.problems.append(_("The PIN is also in row %(line)d.") % {"line": first_pin[pin]})
        elif pin:
            first_pin[pin] = row.line


def _check_groups(plan: StudentPlan, *, create_groups: bool) -> None:
    codes = {row["specialty"] for row in plan.rows if row["specialty"]}
    specialties = {s.code: s for s in Specialty.objects.filter(code__in=codes)}
    for row in plan.rows:
        name = row["group"]
        if not name:
            continue
        group = plan.groups.get(name.lower())
        if group is not None:
            if not group.is_active:
                row.problems.append(_("Group %(group)s is closed.") % {"group": group.name})
            continue
        if not create_groups:
            row.problems.append(
                _("There is no group %(group)s; create it first, or choose to create missing "
                  "groups and give its specialty code, intake year, course, study form and "
                  "language.") % {"group": name}
            )  # fmt: skip
            continue
        new = _new_group(row, specialties)
        if new is None:
            continue
        known = plan.new_groups.setdefault(name.lower(), new)
        if known.key() != new.key():
            row.problems.append(
                _("Group %(group)s is described differently in another row.") % {"group": name}
            )


def _new_group(row: StudentRow, specialties: dict[str, Specialty]) -> NewGroup | None:
    problems = []
    for name in GROUP_FIELDS:
        if not row[name]:
            problems.append(
                _("To create group %(group)s, fill in the “%(column)s” cell.")
                % {"group": row["group"], "column": _column_title(name)}
            )
    if problems:
        row.problems.extend(problems)
        return None
    return _group_described(row, row["group"], specialties)


def _group_described(row: Row, name: str, specialties: dict[str, Specialty]) -> NewGroup | None:
    """The group `name` as the row's GROUP_FIELDS cells describe it; None if they cannot.

    Notes each wrong cell in the row's problems; empty cells are the caller's to report.
    """
    problems = []
    specialty = specialties.get(row["specialty"])
    if specialty is None and row["specialty"]:
        problems.append(
            _("There is no specialty with the code %(code)s.") % {"code": row["specialty"]}
        )
    year = int(row["intake_year"]) if row["intake_year"].isdigit() else 0
    if row["intake_year"] and not 1990 <= year <= 2100:
        problems.append(_("The intake year must be a year like 2024."))
    course = int(row["course"]) if row["course"].isdigit() else 0
    if row["course"] and not COURSE_MIN <= course <= COURSE_MAX:
        problems.append(
            _("The course must be between %(min)d and %(max)d.")
            % {"min": COURSE_MIN, "max": COURSE_MAX}
        )
    form = STUDY_FORMS.get(_header(row["study_form"]))
    if form is None and row["study_form"]:
        problems.append(_("Unknown study form “%(value)s”.") % {"value": row["study_form"]})
    language = LANGUAGES.get(_header(row["language"]))
    if language is None and row["language"]:
        problems.append(
            _("Unknown language of instruction “%(value)s”.") % {"value": row["language"]}
        )
    if len(name) > Group._meta.get_field("name").max_length:
        problems.append(_("The group name is too long."))
    row.problems.extend(problems)
    if problems or not all(row[field] for field in GROUP_FIELDS):
        return None
    return NewGroup(name, specialty, year, course, form, language)


def _check_pins(plan: StudentPlan) -> None:
    taken = _taken_pins(sorted({row["pin"] for row in plan.rows if row["pin"]}))
    for row in plan.rows:
        holder = taken.get(row["pin"])
        if holder is not None and holder != row["record_number"]:
            row.problems.append(
                _("The PIN belongs to the student with record book number %(number)s.")
                % {"number": holder}
            )


def _account_of(row: StudentRow, username: str) -> NewUser:
    return NewUser(
        username=username,
        last_name=row["last_name"],
        first_name=row["first_name"],
        patronymic=row["patronymic"],
        last_name_latin=row["last_name_latin"],
        first_name_latin=row["first_name_latin"],
        patronymic_latin=row["patronymic_latin"],
        cabinet=Cabinet.STUDENT,
        phone=row["phone"],
        email=row["email"],
    )


def _check_accounts(plan: StudentPlan) -> None:
    """Check the account data of every row; choose the login of each new student.

    All logins are read once (lower-cased): generating thousands of unique
    logins by asking the database about each candidate would cost a query each.
    """
    taken = set(User.objects.annotate(login=Lower("username")).values_list("login", flat=True))
    for row in plan.rows:
        existing = plan.students.get(row["record_number"])
        if existing is not None:
            # An existing student keeps their login; only names and contacts are checked.
            probe = _account_of(row, existing.user.username)
            row.problems.extend(new_user_problems(probe, taken=set()))
            continue
        username = row["username"] or _login_for(row, taken)
        row.problems.extend(new_user_problems(_account_of(row, username), taken=taken))
        if username:
            taken.add(username.lower())
            plan.logins[row.line] = username


def _login_for(row: StudentRow, taken: set[str]) -> str:
    """`asanov.b` from Асанов Бакыт (then asanov.b2, asanov.b3…); empty without names."""
    last = re.sub(r"[^a-z]", "", transliterate(row["last_name_latin"] or row["last_name"]).lower())
    first = re.sub(
        r"[^a-z]", "", transliterate(row["first_name_latin"] or row["first_name"]).lower()
    )
    if not last:
        return ""
    base = f"{last}.{first[:1]}" if first else last
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


USER_COMPARED = ("last_name", "first_name", "patronymic", "last_name_latin",
                 "first_name_latin", "patronymic_latin", "phone", "email")  # fmt: skip
STUDENT_COMPARED = ("pin", "sex", "birth_date", "citizenship", "nationality")


def _new_values(row: StudentRow) -> tuple[dict[str, Any], dict[str, Any]]:
    """The user and student values a row gives; blank optional cells give nothing."""
    user = {name: row[name] for name in USER_COMPARED if row[name]}
    if "phone" in user:
        user["phone"] = phone_normalize(user["phone"])
    student: dict[str, Any] = {"sex": row.sex, "birth_date": row.birth_date}
    student |= {name: row[name] for name in ("pin", "citizenship", "nationality") if row[name]}
    return user, student


def _changes(row: StudentRow, student: Student) -> list[str]:
    user_values, student_values = _new_values(row)
    changed = [name for name, value in user_values.items() if getattr(student.user, name) != value]
    changed += [name for name, value in student_values.items() if getattr(student, name) != value]
    return changed


# --- Writing -------------------------------------------------------------------------------


@dataclass
class Created:
    """A new student account with its initial password, for the list handed out once."""

    user_id: int
    username: str
    full_name: str
    record_number: str
    group: str
    password: str


@dataclass
class ImportReport:
    """What an import wrote; `passwords` are the new accounts' initial ones, never stored."""

    created: list  # Created students, or the names of created groups
    updated: int
    unchanged: int
    skipped: list[dict[str, Any]]
    groups_created: list[str]
    batch_id: str
    # [user id, login, full name, record book number, group, password] per new account.
    passwords: list[list] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "groups_created": self.groups_created,
            "batch_id": self.batch_id,
        }


@transaction.atomic
def students_import(
    *, by: User | None, plan: StudentPlan, valid_only: bool = False, progress: ProgressFn = _quiet
) -> ImportReport:
    """Write a checked plan: open new students' files and accounts, update changed ones.

    All or nothing, in one transaction and one audit batch. Invalid rows refuse
    the import with DomainError unless `valid_only`, which skips them. Each new
    student gets a student-cabinet account that must change its password at the
    first sign-in, the student role on their own data, and an open period
    studying in the row's group from its start date, with no order (brought in
    by import). The initial passwords are returned, not stored: the accounts
    get an unusable password here, and the caller sets the hashed ones (see
    academic/records/jobs.py for why). Notifies nobody.
    """
    new_rows, updated_rows, skipped = plan.rows_to_write(valid_only=valid_only)
    total = len(new_rows) * 4 + len(updated_rows)
    report = _Progress(progress, total)
    groups_created = _groups_create(by, plan, needed={row["group"].lower() for row in new_rows})
    created = _students_create(by, plan, new_rows, report)
    _students_update(by, plan, updated_rows, report)
    return ImportReport(
        created=created,
        updated=len(updated_rows),
        unchanged=plan.count(Outcome.UNCHANGED),
        skipped=skipped,
        groups_created=groups_created,
        batch_id=str(current_context().batch_id or ""),
        passwords=[
            [c.user_id, c.username, c.full_name, c.record_number, c.group, c.password]
            for c in created
        ],
    )


class _Progress:
    def __init__(self, progress: ProgressFn, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, count: int, message: str) -> None:
        self.done += count
        self.progress(self.done, self.total, message)


def _groups_create(by: User | None, plan: StudentPlan, *, needed: set[str]) -> list[str]:
    names = []
    for key, new in sorted(plan.new_groups.items()):
        if key not in needed:
            continue
        plan.groups[key] = group_create(
            by=by,
            name=new.name,
            specialty=new.specialty,
            intake_year=new.intake_year,
            course=new.course,
            study_form=new.study_form,
            language=new.language,
        )
        names.append(new.name)
    return names


def _students_create(
    by: User | None, plan: StudentPlan, rows: list[StudentRow], report: _Progress
) -> list[Created]:
    if not rows:
        return []
    users = []
    for row in rows:
        account = _account_of(row, plan.logins[row.line]).with_latin_names()
        group = plan.groups[row["group"].lower()]
        users.append(
            User(
                username=account.username,
                last_name=account.last_name,
                first_name=account.first_name,
                patronymic=account.patronymic,
                last_name_latin=account.last_name_latin,
                first_name_latin=account.first_name_latin,
                patronymic_latin=account.patronymic_latin,
                cabinet=Cabinet.STUDENT,
                language=group.language if group.language in Language.values else Language.KYRGYZ,
                phone=phone_normalize(account.phone),
                email=account.email,
                must_change_password=True,
                # Nobody signs in until the initial password is hashed (jobs.py).
                password=make_password(None),
            )
        )
    _bulk(User, users, report, _("Creating accounts"))
    students = []
    for row, user in zip(rows, users, strict=True):
        _user_values, values = _new_values(row)
        students.append(Student(user=user, record_number=row["record_number"], **values))
    _bulk(Student, students, report, _("Opening personal files"))
    states = [
        StudentState(
            student=student,
            status=Status.STUDYING,
            group=plan.groups[row["group"].lower()],
            funding=row.funding,
            valid_from=row.start_date,
        )
        for row, student in zip(rows, students, strict=True)
    ]
    _bulk(StudentState, states, report, _("Placing students in groups"))
    role = Role.objects.get(code=roles.STUDENT)
    assignments = [
        RoleAssignment(user=user, role=role, scope_kind=ScopeKind.OWN, granted_by=by)
        for user in users
    ]
    _bulk(RoleAssignment, assignments, report, _("Giving the student role"))
    _audit_created(by, users, students, states, assignments)
    return [
        Created(
            user_id=user.pk,
            username=user.username,
            full_name=user.get_full_name(),
            record_number=student.record_number,
            group=state.group.name,
            password=password_generate(),
        )
        for user, student, state in zip(users, students, states, strict=True)
    ]


def _bulk(model, objects: list, report: _Progress, message: str) -> None:
    for chunk in _chunks(objects, BATCH_SIZE):
        # bulk_create sets primary keys on PostgreSQL and SQLite alike.
        model.objects.bulk_create(chunk)
        report.step(len(chunk), message)


def _audit_created(by, users, students, states, assignments) -> None:
    audit_bulk(
        action="user_create",
        changes=[Change(obj=u, after=_user_snapshot(u)) for u in users],
        actor=by,
        reason="records import",
    )
    audit_bulk(
        action="student_create",
        changes=[Change(obj=s, after=_student_snapshot(s)) for s in students],
        actor=by,
        reason="records import",
    )
    audit_bulk(
        action="student_state_open",
        changes=[
            Change(
                obj=state,
                after={
                    "status": state.status,
                    "group": state.group_id,
                    "funding": state.funding,
                    "valid_from": state.valid_from.isoformat(),
                },
            )
            for state in states
        ],
        actor=by,
        reason="records import",
    )
    audit_bulk(
        action="role_assign",
        changes=[
            Change(
                obj=a, after={"user": a.user_id, "role": a.role.code, "scope_kind": a.scope_kind}
            )
            for a in assignments
        ],
        actor=by,
        reason="records import",
    )


def _user_snapshot(user: User) -> dict[str, Any]:
    # Built from attributes, not snapshot(): it would read each field through _meta, 10,000 times.
    return {name: getattr(user, name) for name in USER_ADMIN_FIELDS}


def _student_snapshot(student: Student) -> dict[str, Any]:
    values = {name: getattr(student, name) for name in PERSONAL_FIELDS if name != "address_unit"}
    values["address_unit"] = student.address_unit_id
    for name in ("birth_date", "document_issued_on"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def _students_update(
    by: User | None, plan: StudentPlan, rows: list[StudentRow], report: _Progress
) -> None:
    if not rows:
        return
    user_changes, student_changes = [], []
    users, students = [], []
    for row in rows:
        student = plan.students[row["record_number"]]
        user_values, student_values = _new_values(row)
        user_before = {n: _plain(getattr(student.user, n)) for n in user_values}
        student_before = {n: _plain(getattr(student, n)) for n in student_values}
        for name, value in user_values.items():
            setattr(student.user, name, value)
        for name, value in student_values.items():
            setattr(student, name, value)
        users.append(student.user)
        students.append(student)
        user_after = {n: _plain(getattr(student.user, n)) for n in user_values}
        student_after = {n: _plain(getattr(student, n)) for n in student_values}
        user_changes.append(Change(obj=student.user, before=user_before, after=user_after))
        student_changes.append(Change(obj=student, before=student_before, after=student_after))
    User.objects.bulk_update(users, USER_COMPARED, batch_size=BATCH_SIZE)
    Student.objects.bulk_update(students, STUDENT_COMPARED, batch_size=BATCH_SIZE)
    report.step(len(rows), _("Updating personal files"))
    audit_bulk(action="user_update", changes=user_changes, actor=by, reason="records import")
    audit_bulk(action="student_update", changes=student_changes, actor=by, reason="records import")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# --- Groups ------------------------------------------------------------------------------


@dataclass
class GroupRow(Row):
    """One group row: the group it describes and its curator, once checked."""

    group: NewGroup | None = None
    curator: User | None = None

    @property
    def label(self) -> str:
        return self["name"]

    @property
    def key(self) -> str:
        return self["specialty"]


@dataclass
class GroupPlan(ImportPlan):
    """A groups list's plan, with the groups already there that its rows name."""

    existing: dict[str, Group] = field(default_factory=dict)  # by lower-cased name


GROUP_COMPARED = ("specialty", "intake_year", "course", "study_form", "language")


def plan_groups_import(table: list[list[str]], *, progress: ProgressFn = _quiet) -> GroupPlan:
    """Read and check every row of a groups list; say what importing it would do. Writes nothing.

    The group's name is the natural key, compared regardless of case: a group
    already there is updated where the row differs, a blank curator cell keeps
    the curator. DomainError for a file that cannot be read as a list.
    """
    rows = rows_read(table, spec=GROUP_COLUMNS, make=_group_row, progress=progress)
    progress(len(rows), len(rows), _("Comparing with records"))
    plan = GroupPlan(rows=rows, existing=_groups_with_curators())
    codes = {row["specialty"] for row in rows if row["specialty"]}
    specialties = {s.code: s for s in Specialty.objects.filter(code__in=codes)}
    curators = _accounts_named({row["curator"].lower() for row in rows if row["curator"]})
    first_line: dict[str, int] = {}
    for row in rows:
        _check_group_row(row, plan, specialties, curators, first_line)
        existing = plan.existing.get(row["name"].lower())
        if row.problems:
            row.outcome = Outcome.INVALID
        elif existing is None:
            row.outcome = Outcome.NEW
        else:
            row.changed = _group_changes(row, existing)
            row.outcome = Outcome.UPDATED if row.changed else Outcome.UNCHANGED
    return plan


def _group_row(line: int, text: dict[str, str]) -> GroupRow:
    row = GroupRow(line=line, text=text)
    _check_filled(row, GROUP_REQUIRED)
    return row


def _groups_with_curators() -> dict[str, Group]:
    # All groups, compared in Python: see _groups_named.
    groups = Group.objects.select_related("specialty", "curator")
    return {group.name.lower(): group for group in groups}


def _accounts_named(logins: set[str]) -> dict[str, User]:
    """The accounts of `logins` by lower-cased login."""
    if not logins:
        return {}
    users = User.objects.annotate(login=Lower("username")).filter(login__in=logins)
    found = {user.username.lower(): user for user in users}
    if missing := logins - found.keys():
        # SQLite's LOWER() leaves Cyrillic letters as they are: the accounts that may curate
        # (hundreds, not the students' thousands) are compared in Python too.
        teachers = User.objects.filter(cabinet__in=CURATOR_CABINETS)
        found |= {
            user.username.lower(): user for user in teachers if user.username.lower() in missing
        }
    return found


def _check_group_row(
    row: GroupRow,
    plan: GroupPlan,
    specialties: dict[str, Specialty],
    curators: dict[str, User],
    first_line: dict[str, int],
) -> None:
    name = row["name"]
    if name.lower() in first_line:
        row.problems.append(
            _("Group %(group)s is also in row %(line)d.")
            % {"group": name, "line": first_line[name.lower()]}
        )
    elif name:
        first_line[name.lower()] = row.line
    existing = plan.existing.get(name.lower())
    if existing is not None and not existing.is_active:
        row.problems.append(_("Group %(group)s is closed.") % {"group": existing.name})
    row.group = _group_described(row, existing.name if existing else name, specialties)
    login = row["curator"]
    if login:
        row.curator = curators.get(login.lower())
        if row.curator is None:
            row.problems.append(
                _("There is no account with the login “%(login)s”.") % {"login": login}
            )
        elif row.curator.cabinet not in CURATOR_CABINETS or not row.curator.is_active:
            row.problems.append(_("A curator must be an active teacher or curator."))


def _group_values(row: GroupRow) -> dict[str, Any]:
    new = row.group
    return {name: getattr(new, name) for name in GROUP_COMPARED}


def _group_changes(row: GroupRow, group: Group) -> list[str]:
    changed = [name for name, value in _group_values(row).items() if getattr(group, name) != value]
    if row.curator is not None and group.curator_id != row.curator.pk:
        changed.append("curator")
    return changed


@transaction.atomic
def groups_import(
    *, by: User | None, plan: GroupPlan, valid_only: bool = False, progress: ProgressFn = _quiet
) -> ImportReport:
    """Write a checked groups plan: open the new groups, change the changed ones.

    All or nothing, in one transaction and one audit batch, through the
    structure's own actions (group_create, group_update, group_assign_curator:
    a new curator gets the curator role on the group and the curatorship's
    history). Invalid rows refuse the import with DomainError unless
    `valid_only`, which skips them. Notifies nobody.
    """
    new_rows, updated_rows, skipped = plan.rows_to_write(valid_only=valid_only)
    report = _Progress(progress, len(new_rows) + len(updated_rows))
    with batch() as batch_id:
        created = [_group_import_new(by, row, report) for row in new_rows]
        for row in updated_rows:
            _group_import_update(by, plan.existing[row["name"].lower()], row, report)
    names = [group.name for group in created]
    return ImportReport(
        created=names,
        updated=len(updated_rows),
        unchanged=plan.count(Outcome.UNCHANGED),
        skipped=skipped,
        groups_created=names,
        batch_id=str(batch_id),
    )


def _group_import_new(by: User | None, row: GroupRow, report: _Progress) -> Group:
    group = group_create(by=by, name=row.group.name, **_group_values(row))
    if row.curator is not None:
        group_assign_curator(by=by, group=group, curator=row.curator)
    report.step(1, _("Writing to records"))
    return group


def _group_import_update(by: User | None, group: Group, row: GroupRow, report: _Progress) -> None:
    if set(row.changed) - {"curator"}:
        group_update(by=by, group=group, **_group_values(row))
    if "curator" in row.changed:
        group_assign_curator(by=by, group=group, curator=row.curator)
    report.step(1, _("Writing to records"))


# --- Kinds of list -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """A kind of list the import takes: how its rows are planned and how a plan is written.

    `plan(table, *, options, today, progress)` reads and checks a file, writing
    nothing; `write(*, by, plan, valid_only, progress)` writes a plan, all or nothing.
    """

    code: str
    title: Promise
    plan: Callable[..., ImportPlan]
    write: Callable[..., ImportReport]


STUDENTS = "students"
GROUPS = "groups"


def _plan_students(
    table: list[list[str]], *, options: dict[str, Any], today: date, progress: ProgressFn
) -> StudentPlan:
    create_groups = bool(options.get("create_groups"))
    return plan_import(table, create_groups=create_groups, today=today, progress=progress)


def _plan_groups(
    table: list[list[str]], *, options: dict[str, Any], today: date, progress: ProgressFn
) -> GroupPlan:
    return plan_groups_import(table, progress=progress)


KINDS: dict[str, ImportKind] = {
    STUDENTS: ImportKind(STUDENTS, gettext_lazy("Students"), _plan_students, students_import),
    GROUPS: ImportKind(GROUPS, gettext_lazy("Groups"), _plan_groups, groups_import),
}
