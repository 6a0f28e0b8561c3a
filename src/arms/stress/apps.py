from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StressConfig(AppConfig):
    name = "arms.stress"
    label = "stress"
    verbose_name = _("Stress tests")

    def ready(self) -> None:
        """Register the background job that runs a scenario on a large book."""
        from arms.stress import jobs

        jobs.register_jobs()
