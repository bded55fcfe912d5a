from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "hub.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from django.conf import settings
        from django.utils.module_loading import autodiscover_modules

        # Job kinds live in each app's jobs.py; web and worker import the same ones.
        autodiscover_modules("jobs")
        # kombu's filesystem transport does not create its folders.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            from pathlib import Path

            for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
                if options.get(key):
                    Path(options[key]).mkdir(parents=True, exist_ok=True)
