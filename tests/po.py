"""A small reader of gettext .po catalogues, for the translation tests."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False


def parse_po(text: str) -> list[Entry]:
    """A small .po reader: context, msgid, msgstr (or plural msgstr[n]) and the fuzzy flag.

    Obsolete entries (`#~`) are skipped; the header (empty msgid) is dropped.
    """
    entries: list[Entry] = []
    entry = Entry()
    current: str | None = None

    def finish():
        nonlocal entry
        if entry.msgid:
            entries.append(entry)
        entry = Entry()

    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if not line:
            finish()
            current = None
        elif line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            current = "msgctxt"
            entry.msgctxt = ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            current = "msgid"
            entry.msgid = ast.literal_eval(line[6:])
        elif line.startswith("msgid_plural "):
            current = "msgid_plural"
            entry.msgid_plural = ast.literal_eval(line[13:])
        elif line.startswith("msgstr"):
            current = "msgstr"
            entry.msgstrs.append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith('"') and current in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, current, getattr(entry, current) + ast.literal_eval(line))
        elif line.startswith('"') and current == "msgstr":
            entry.msgstrs[-1] += ast.literal_eval(line)
    return entries
