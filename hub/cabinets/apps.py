from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetsConfig(AppConfig):
    name = "hub.cabinets"
    label = "cabinets"
    verbose_name = _("Cabinets")
