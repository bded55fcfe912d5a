"""`manage.py load_soate [FILE]`: load or update the SOATE classifier (X-3) from a CSV.

The file has the columns of academic.structure.soate.COLUMNS (the shipped
data/soate.csv without FILE). Units are matched by code: new ones are added,
changed ones updated, none deleted; bad rows are skipped and listed. All the
changes are audited as one batch.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from academic.structure import soate
from academic.structure.actions import soate_import
from hub.audit.log import audit_context

# Row numbers count data rows; the header is line 1 of the file.
HEADER_LINES = 1


class Command(BaseCommand):
    help = "Load or update the SOATE classifier from a CSV file (the shipped one by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(soate.DATA_FILE), help="CSV, UTF-8")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                rows = soate.read_csv(stream)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(str(error)) from error
        with audit_context(user_agent="manage.py load_soate"):
            report = soate_import(by=None, rows=rows)
        for number, message in report.errors:
            line = _("Line %(line)d: %(message)s") % {
                "line": number + HEADER_LINES,
                "message": message,
            }
            self.stderr.write(line)
        self.stdout.write(
            _(
                "SOATE: %(created)d added, %(updated)d updated, %(unchanged)d unchanged, %(bad)d bad."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "bad": len(report.errors),
            }
        )
        if report.errors:
            raise CommandError(_("Some rows were not loaded; see the lines above."))
