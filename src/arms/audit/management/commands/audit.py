"""arms audit verify: recompute the hash chain, then every seal in it (each journal entry's lines); name the
first event that was altered or removed and every sealed row that changed."""

from django.core.management.base import BaseCommand, CommandError

from arms.audit.services import audit_verify, seals_verify


class Command(BaseCommand):
    help = ("Audit trail tools. `arms audit verify` recomputes the SHA-256 chain from the first event, then the "
            "seals of the rows the events posted (journal lines).")

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
        broken = []
        for seals in seals_verify():
            self.stdout.write(f"{seals.name}: {seals.summary}")
            for problem in seals.problems:
                self.stdout.write(self.style.ERROR(f"  {problem}"))
            if not seals.ok:
                broken.append(seals.name)
        if broken:
            raise CommandError(f"sealed rows changed after they were posted: {', '.join(broken)}")
