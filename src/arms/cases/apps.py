from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "arms.cases"
    label = "cases"
    verbose_name = _("Collection cases")

    def ready(self) -> None:
        """Register the evidence-bundle job; give the credit scorecard the disputes and broken promises it cannot
        see (ADR 0006)."""
        from arms.cases.jobs import register_jobs

        register_jobs()
        try:
            from arms.credit.history import register_trade_history_provider
        except ImportError:  # pragma: no cover - an install without the credit app
            return
        from arms.cases.selectors import trade_history

        register_trade_history_provider(trade_history)
