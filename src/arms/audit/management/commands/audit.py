"""arms audit verify: recompute the hash chain; name the first event that was altered or removed."""

from django.core.management.base import BaseCommand, CommandError

from arms.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `arms audit verify` recomputes the SHA-256 chain from the first event."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at event {report.first_bad_seq}: {report.problem} "
                f"({report.checked} events before it verified)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} events verified"))
