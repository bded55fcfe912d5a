from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "academic.records"
    label = "records"
    verbose_name = _("Student records")

    def ready(self) -> None:
        # hub.accounts must not import this app; it learns here where students belong.
        from academic.records import signals
        from academic.records.scopes import register_resolvers

        register_resolvers()
        signals.connect()
