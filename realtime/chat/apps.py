from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "realtime.chat"
    label = "chat"
    verbose_name = _("Chats")

    def ready(self) -> None:
        # Chats follow the records: a signed order re-syncs the groups it touched.
        from realtime.chat import membership

        membership.connect()
