from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposureConfig(AppConfig):
    name = "arms.exposure"
    label = "exposure"
    verbose_name = _("Credit exposure and holds")

    def ready(self) -> None:
        from arms.common import hooks
        from arms.exposure.services import credit_enforce, credit_enforce_many

        # every invoice and contract passes the credit check under its customer's row lock (ADR 0006)
        hooks.register(hooks.EXPOSURE_INCREASE, "exposure.credit_check", credit_enforce)
        # the bulk path's: one read of each customer's facts per call (arms.ledger.services.bulk)
        hooks.register(hooks.EXPOSURE_INCREASE_MANY, "exposure.credit_check_many", credit_enforce_many)
