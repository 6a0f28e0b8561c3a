from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WriteOffsConfig(AppConfig):
    name = "arms.writeoffs"
    label = "writeoffs"
    verbose_name = _("Write-offs")

    def ready(self) -> None:
        from arms.writeoffs.small_jobs import register_small_jobs  # models are loaded only now

        register_small_jobs()
