from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastConfig(AppConfig):
    name = "arms.forecast"
    label = "forecast"
    verbose_name = _("Cash-in forecast")

    def ready(self) -> None:
        """Register the background job that computes and stores a forecast."""
        from arms.forecast import jobs

        jobs.register_jobs()
