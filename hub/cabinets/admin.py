"""The admin site's own texts; models are registered by the apps that own them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("eBilim administration")
admin.site.site_title = _("eBilim administration")
admin.site.index_title = _("Reference data")
