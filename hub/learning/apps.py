from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "hub.learning"
    label = "learning"
    verbose_name = _("Distance learning")

    def ready(self) -> None:
        # E-courses follow the grades courses: a course made or given a teacher
        # gets (or hands over) its stream's e-course once committed.
        from hub.learning import signals

        signals.connect()
