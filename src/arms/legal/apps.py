from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "arms.legal"
    label = "legal"
    verbose_name = _("Legal")

    def ready(self) -> None:
        from arms.common import hooks
        from arms.legal.selectors import legal_summary
        from arms.legal.services.settings import letter_issuer
        from arms.legal.services.settlements import charges_waived

        hooks.register(hooks.LETTER_ISSUER, "legal.letter_issuer", letter_issuer)
        hooks.register(hooks.CHARGES_WAIVED, "legal.charges_waived", charges_waived)
        hooks.register(hooks.LEGAL_SUMMARY, "legal.case_summary", legal_summary)
