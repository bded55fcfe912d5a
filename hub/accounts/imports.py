"""Reading a CSV or XLSX list of new accounts into rows for `users_import`.

The first row names the columns (see COLUMNS); rows are checked here for the
preview, and again by the action, which alone saves anything.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from hub.accounts.actions import NewUser, new_user_problems, taken_usernames
from hub.accounts.models import Language
from hub.errors import DomainError

COLUMNS = tuple(f.name for f in fields(NewUser))
REQUIRED_COLUMNS = ("username", "last_name", "first_name", "cabinet")
# Each account's password is hashed with argon2 (about 0.1 s here) while the
# administrator waits for the page: 300 accounts take half a minute. Longer
# lists are split; a background import needs a safe place for the
# initial passwords first.
MAX_ROWS = 300


@dataclass
class ImportRow:
    line: int
    data: NewUser
    problems: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed as a number in Excel
    return str(value).strip()


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The CSV file must be saved in UTF-8.")) from None
    # Excel with Russian or Kyrgyz regional settings saves CSV with semicolons.
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[_cell(v) for v in row] for row in reader]


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        raise DomainError(_("The file is not a readable Excel (.xlsx) workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(name: str, content: bytes) -> list[list[str]]:
    """The cells of a .csv or .xlsx file as text; DomainError for anything else."""
    if name.lower().endswith(".csv"):
        return _read_csv(content)
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    raise DomainError(_("Upload a .csv or .xlsx file."))


def rows_check(table: list[list[str]]) -> list[ImportRow]:
    """Every data row with its line number in the file and its problems (one query).

    Raises DomainError when the header lacks a required column or the file has
    no data rows. Blank rows are skipped; a login repeated in the file is a
    problem of its second row.
    """
    if not table:
        raise DomainError(_("The file is empty."))
    header = [name.strip().lower() for name in table[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise DomainError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {name: cells[i] if i < len(cells) else "" for name, i in index.items()}
        values["language"] = values.get("language", "").lower() or Language.KYRGYZ
        values["cabinet"] = values.get("cabinet", "").lower()
        rows.append(ImportRow(line=line, data=NewUser(**values)))
    if not rows:
        raise DomainError(_("The file has no rows below the header."))
    if len(rows) > MAX_ROWS:
        raise DomainError(
            ngettext(
                "A file may hold at most %(count)d account; split a longer list.",
                "A file may hold at most %(count)d accounts; split a longer list.",
                MAX_ROWS,
            )
            % {"count": MAX_ROWS}
        )
    taken = taken_usernames(row.data.username for row in rows)
    for row in rows:
        row.problems = new_user_problems(row.data, taken=taken)
        if row.data.username:
            taken.add(row.data.username.lower())
    return rows
