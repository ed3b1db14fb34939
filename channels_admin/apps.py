from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsAdminConfig(AppConfig):
    name = "channels_admin"
    verbose_name = _("Channels and managers")
