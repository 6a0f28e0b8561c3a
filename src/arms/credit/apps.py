from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "arms.credit"
    label = "credit"
    verbose_name = _("Credit management")

    def ready(self) -> None:
        from arms.common import hooks
        from arms.credit.discounts import discount_terms, discount_terms_many

        # the ledger fixes an invoice's early-payment discount at posting from the credit policy (it cannot import it)
        hooks.register(hooks.DISCOUNT_TERMS, "credit.discount_terms", discount_terms)
        hooks.register(hooks.DISCOUNT_TERMS_MANY, "credit.discount_terms_many", discount_terms_many)
