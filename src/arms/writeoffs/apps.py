from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WriteOffsConfig(AppConfig):
    name = "arms.writeoffs"
    label = "writeoffs"
    verbose_name = _("Write-offs")
