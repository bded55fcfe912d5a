from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructureConfig(AppConfig):
    name = "academic.structure"
    label = "structure"
    verbose_name = _("University structure")

    def ready(self) -> None:
        # hub.accounts must not import this app; it learns here how units nest.
        from academic.structure.scopes import register_resolvers

        register_resolvers()
