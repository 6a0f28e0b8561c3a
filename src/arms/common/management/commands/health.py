"""arms health: can this process reach what it works with (the database, the task queue)? Exit 1 if not."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from arms.common.health import CHECKS, health_checks


class Command(BaseCommand):
    help = "Check that the database and the task queue answer (for container healthchecks); exit 1 if not."

    def add_arguments(self, parser):
        parser.add_argument("checks", nargs="*", metavar="CHECK",
                            help=f"Only these checks, of {', '.join(CHECKS)} (default: all).")

    def handle(self, *args, checks: list[str], **options):
        unknown = [name for name in checks if name not in CHECKS]
        if unknown:
            raise CommandError(_("Unknown check %(name)s; the checks are %(checks)s.")
                               % {"name": unknown[0], "checks": ", ".join(CHECKS)})
        results = health_checks(tuple(checks) or CHECKS)
        labels = {"database": _("database"), "queue": _("task queue")}
        for name, value in results.items():
            state = _("ok") if value == "ok" else _("unavailable")
            self.stdout.write(f"{labels[name]}: {state}")
        failed = [labels[name] for name, value in results.items() if value != "ok"]
        if failed:
            raise CommandError(_("Not healthy: %(checks)s.") % {"checks": ", ".join(map(str, failed))})
