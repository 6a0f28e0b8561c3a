from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankConfig(AppConfig):
    name = "arms.bank"
    label = "bank"
    verbose_name = _("Bank and cash application")

    def ready(self) -> None:
        from arms.bank import cash_jobs, jobs

        jobs.register_jobs()  # statement uploads
        cash_jobs.register_jobs()  # matching runs
