from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "arms.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from arms.imports.jobs import register_jobs

        register_jobs()
