from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitationConfig(AppConfig):
    name = "arms.limitation"
    label = "limitation"
    verbose_name = _("Limitation periods")

    def ready(self) -> None:
        """Register the refresh job and the sections limitation adds to pages and bundles of apps below it."""
        from arms.limitation import hooks, jobs

        jobs.register_jobs()
        hooks.register_hooks()
