from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "arms.cases"
    label = "cases"
    verbose_name = _("Collections")

    def ready(self) -> None:
        """Register the evidence-bundle job; give the credit scorecard the disputes and broken promises it cannot
        see (ADR 0006)."""
        from arms.cases.jobs import register_jobs

        register_jobs()
        from arms.cases.selectors import trade_history
        from arms.common import hooks

        hooks.register(hooks.TRADE_HISTORY, "cases.trade_history", trade_history)
