from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "arms.incentives"
    label = "incentives"
    verbose_name = _("Incentives")

    def ready(self) -> None:
        """Register the background job that computes a payout sheet on a large book."""
        from arms.incentives import jobs

        jobs.register_jobs()
