from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "arms.reports"
    label = "reports"
    verbose_name = _("Dashboard and management reports")

    def ready(self) -> None:
        from arms.reports.jobs import register_jobs

        register_jobs()  # reports made on demand run as background jobs (arms.common.jobs)
