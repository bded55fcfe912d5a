from django.core.management.base import BaseCommand

from hub.audit.log import audit_context


class Command(BaseCommand):
    help = "Make the missing e-courses of the grades courses' teaching streams (idempotent)."

    def handle(self, *args, **options) -> None:
        from hub.learning.actions import ecourses_sync

        with audit_context():
            result = ecourses_sync()
        self.stdout.write(f"created {result.created}, handed over {result.handed_over}")
