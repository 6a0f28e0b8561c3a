from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PredictionConfig(AppConfig):
    name = "arms.prediction"
    label = "prediction"
    verbose_name = _("Payment prediction")

    def ready(self) -> None:
        """Register the training and refresh jobs, and the predicted dates shown on invoice and case pages."""
        from arms.common import hooks
        from arms.prediction import jobs, selectors

        jobs.register_jobs()
        hooks.register(hooks.PAYMENT_OUTLOOK, "prediction.outlook", selectors.payment_outlook)
