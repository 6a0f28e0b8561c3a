from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "arms.ledger"
    label = "ledger"
    verbose_name = _("Receivables ledger")

    def ready(self) -> None:
        from arms.audit.services import AUDIT_VERIFY
        from arms.common import hooks
        from arms.ledger.seal import journal_seals_verify

        hooks.register(AUDIT_VERIFY, "ledger.journal_seals", journal_seals_verify)
