from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationsConfig(AppConfig):
    name = "arms.confirmations"
    label = "confirmations"
    verbose_name = _("Balance confirmations")

    def ready(self) -> None:
        """Register the background job that prepares large runs."""
        from arms.confirmations import jobs

        jobs.register_jobs()
