from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    name = "arms.provisioning"
    label = "provisioning"
    verbose_name = _("Bad-debt provisioning")

    def ready(self) -> None:
        """Register the background job that posts large runs and the allowance's check in `arms ledger check`."""
        from arms.common import hooks
        from arms.provisioning import checks, jobs

        jobs.register_jobs()
        hooks.register(hooks.LEDGER_CHECKS, "provisioning.allowance", checks.allowance_checks)
