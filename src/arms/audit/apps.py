from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "arms.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from arms.audit.services import audit_batches_verify
        from arms.common import hooks

        hooks.register(hooks.AUDIT_VERIFY, "audit.batches", audit_batches_verify)
