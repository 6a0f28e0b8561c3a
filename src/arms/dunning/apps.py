from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DunningConfig(AppConfig):
    name = "arms.dunning"
    label = "dunning"
    verbose_name = _("Dunning")

    def ready(self) -> None:
        from arms.dunning.jobs import register_jobs

        register_jobs()  # dunning runs and e-mail batches run as background jobs (arms.common.jobs)
