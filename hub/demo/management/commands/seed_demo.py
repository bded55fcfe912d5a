"""`manage.py seed_demo`: a demo university with users for every role."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hub.demo.seed import MAX_STUDENTS, seed_demo


class Command(BaseCommand):
    help = "Seed a demo university (idempotent) and print the demo logins for every role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=600, help="number of students")
        parser.add_argument("--seed", type=int, default=2026, help="seed of the generated names")

    def handle(self, *args, students: int, seed: int, **options) -> None:
        if not 1 <= students <= MAX_STUDENTS:
            raise CommandError(_("--students must be from 1 to %(max)d.") % {"max": MAX_STUDENTS})
        last_shown = 0.0

        def progress(done: int, total: int, message: str) -> None:
            nonlocal last_shown
            now = time.monotonic()
            if done < total and now - last_shown < 0.5:
                return
            last_shown = now
            percent = done * 100 // total if total else 100
            line = _("Seeding: %(percent)3d%% %(message)s") % {
                "percent": percent,
                "message": message,
            }
            end = "\n" if done >= total else ""
            self.stdout.write(f"\r{line:<60}", ending=end)
            self.stdout.flush()

        summary = seed_demo(students=students, seed=seed, progress=progress)
        self.stdout.write(
            _("%(created)d new accounts in %(seconds).1f s (%(students)d students).")
            % {
                "created": summary.total_created,
                "seconds": summary.seconds,
                "students": students,
            }
        )
        self.stdout.write("")
        self.stdout.write(
            _("Demo logins (password for all: %(password)s)") % {"password": summary.password}
        )
        role_width = max(len(str(role)) for role, _username in summary.logins)
        header_role, header_user = _("Role"), _("Username")
        role_width = max(role_width, len(header_role))
        self.stdout.write(f"  {header_role:<{role_width}}  {header_user}")
        for role, username in summary.logins:
            self.stdout.write(f"  {role!s:<{role_width}}  {username}")
