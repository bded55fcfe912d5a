from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradesConfig(AppConfig):
    name = "academic.grades"
    label = "grades"
    verbose_name = _("Journal and grades")

    def ready(self) -> None:
        # Exam sheets follow signed orders (GB-4).
        from academic.grades import signals

        signals.connect()
