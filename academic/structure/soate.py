"""The SOATE classifier file (X-3): its columns, how a row is checked, and parents-first order.

The classifier of territorial units of the Kyrgyz Republic ships in
data/soate.csv and is loaded by migration 0003; a newer edition from the
Ministry is loaded with `manage.py load_soate FILE` (actions.soate_import).
Both read the same columns:

    code,level,parent_code,name_ky,name_ru,name_en

`code` is the 14-digit SOATE code (417…), `level` one of region, district,
city, settlement, `parent_code` the code of the unit it lies in (empty for the
regions and the cities of republican significance). This module knows no
models, so the data migration can use it with the historical ones.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "soate.csv"
COLUMNS = ("code", "level", "parent_code", "name_ky", "name_ru", "name_en")
CODE_LENGTH = 14
COUNTRY_PREFIX = "417"
NAME_MAX_LENGTH = 255
REGION, DISTRICT, CITY, SETTLEMENT = "region", "district", "city", "settlement"
# The levels a unit of each level may lie in; None: at the top.
PARENT_LEVELS: dict[str, tuple[str | None, ...]] = {
    REGION: (None,),
    DISTRICT: (REGION, CITY),
    CITY: (None, REGION, DISTRICT),
    SETTLEMENT: (DISTRICT, CITY),
}

# Where the parts of a code end: country, region, district or regional city,
# town or rural district (aiyl aimak), settlement.
CODE_PARTS = (3, 5, 8, 11, 14)

Row = dict[str, str]


def code_prefix(code: str) -> str:
    """The significant parts of a code, which every code inside the unit starts with.

    "41708203000000" (Alamudun district) gives "41708203", so its sibling
    41708206… (Jayil district) is not taken for a part of it.
    """
    for end in CODE_PARTS:
        if not code[end:].strip("0"):
            return code[:end]
    return code


def read_csv(stream: IO[str]) -> list[Row]:
    """The rows of a classifier CSV as dicts of stripped strings, columns as in COLUMNS.

    Raises ValueError when a column is missing from the header.
    """
    reader = csv.DictReader(stream)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return [clean_row(row) for row in reader]


def read_data_file() -> list[Row]:
    """The classifier shipped with eBilim."""
    with DATA_FILE.open(encoding="utf-8", newline="") as stream:
        return read_csv(stream)


def clean_row(row: Mapping[str, object]) -> Row:
    """The row's columns as stripped strings; absent columns are empty."""
    return {column: str(row.get(column) or "").strip() for column in COLUMNS}


def parents_first(rows: Iterable[tuple[int, Row]]) -> list[tuple[int, Row]]:
    """Numbered rows reordered so a unit comes after the unit it lies in (when both are given).

    Rows keep their order otherwise; a chain that loops is left where it is and
    fails its parent check later.
    """
    numbered = list(rows)
    parents = {row["code"]: row["parent_code"] for _number, row in numbered}

    def depth(code: str) -> int:
        seen = {code}
        steps = 0
        while (code := parents.get(code, "")) and code not in seen:
            seen.add(code)
            steps += 1
        return steps

    return sorted(numbered, key=lambda item: depth(item[1]["code"]))


def row_problems(row: Row, *, levels: Mapping[str, str], taken: set[str]) -> list[str]:
    """What is wrong with one row, in words for the person who loads the file.

    `levels` maps the codes known so far (in the database and earlier rows) to
    their level; `taken` holds the codes already given earlier in the same file.
    """
    problems = []
    code, level, parent_code = row["code"], row["level"], row["parent_code"]
    if len(code) != CODE_LENGTH or not code.isdigit() or not code.startswith(COUNTRY_PREFIX):
        problems.append(
            _("The code must be %(length)d digits starting with %(prefix)s.")
            % {"length": CODE_LENGTH, "prefix": COUNTRY_PREFIX}
        )
    elif code in taken:
        problems.append(_("The code %(code)s is given twice.") % {"code": code})
    if not row["name_ky"] or not row["name_ru"]:
        problems.append(_("The Kyrgyz and Russian names are required."))
    if any(len(row[name]) > NAME_MAX_LENGTH for name in ("name_ky", "name_ru", "name_en")):
        problems.append(_("A name is longer than %(max)d letters.") % {"max": NAME_MAX_LENGTH})
    if level not in PARENT_LEVELS:
        problems.append(_("Unknown level: %(level)s.") % {"level": level or "—"})
        return problems
    problems.extend(_parent_problems(code, level, parent_code, levels))
    return problems


def _parent_problems(code: str, level: str, parent_code: str, levels: Mapping[str, str]):
    if parent_code == code and code:
        return [_("A unit cannot lie in itself.")]
    if parent_code and parent_code not in levels:
        return [_("Unknown parent code: %(code)s.") % {"code": parent_code}]
    parent_level = levels.get(parent_code) if parent_code else None
    if parent_level not in PARENT_LEVELS[level]:
        return [
            _("A unit of level %(level)s cannot lie in one of level %(parent)s.")
            % {"level": level, "parent": parent_level or "—"}
        ]
    if parent_code and not code.startswith(code_prefix(parent_code)):
        return [
            _("The code %(code)s does not continue the code of the unit it lies in, %(parent)s.")
            % {"code": code, "parent": parent_code}
        ]
    return []
