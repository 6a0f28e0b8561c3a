"""arms report monthly --month 2026-10 --format pdf|xlsx [--output FILE] [--email]

Makes the month's management report now (from analytics' figures), stores it as a report run, writes the
file, and with --email sends it to the executives. Without --month: last month. Exit 1 with the reason on bad
input (a month like 2026-13, a month that has not begun, an unwritable file).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from arms.common.errors import ArmsError
from arms.reports import schedule
from arms.reports.models import ReportFormat, ReportTrigger
from arms.reports.services import report_generate


class Command(BaseCommand):
    help = "Management reports. `arms report monthly --month 2026-10 --format pdf` writes the monthly report."

    def add_arguments(self, parser):
        parser.add_argument("report", choices=["monthly"], help="Which report (monthly: the management report).")
        parser.add_argument("--month", default="", help="The month, YYYY-MM (default: last month).")
        parser.add_argument("--format", dest="fmt", choices=ReportFormat.values, default=ReportFormat.PDF,
                            help="pdf (default) or xlsx.")
        parser.add_argument("--output", default="", help="File to write (default: the report's own file name).")
        parser.add_argument("--email", action="store_true", help="Also e-mail it to the executives.")

    def handle(self, *args, report: str, month: str, fmt: str, output: str, email: bool, **options):
        if not month:
            month = f"{schedule.previous_month(schedule.month_start(timezone.localdate())):%Y-%m}"
        try:
            run = report_generate(month=month, fmt=fmt, trigger=ReportTrigger.CLI, email=email)
        except ArmsError as error:
            raise CommandError(f"{error.field or 'error'}: {error.message}") from None
        path = Path(output or run.filename)
        try:
            path.write_bytes(bytes(run.content))
        except OSError as error:
            raise CommandError(f"output: cannot write {path}: {error.strerror}") from None
        self.stdout.write(f"{path} ({run.size_bytes:,} bytes, sha256 {run.sha256}, report run {run.pk})")
        if email:
            run.refresh_from_db()
            sent = ", ".join(run.emailed_to) or "nobody (no executive has an e-mail address, or sending failed)"
            self.stdout.write(f"e-mailed to {sent}")
