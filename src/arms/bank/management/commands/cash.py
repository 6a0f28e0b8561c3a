"""arms cash: automatic cash application from the command line.

    arms cash apply [--auto] [--date D] [--account NO] [--open]
                                                           match the NEW statement lines (of that day, that
                                                           account); with --auto apply every match at or above the
                                                           company's threshold, else only suggest; --open: the
                                                           suggested and unmatched lines again too (after a clerk
                                                           taught ARMS a payer)
    arms cash export --format csv [--output F] [--status S] [--date D]
                                                           one row per statement line and allocation: line_ref,
                                                           status, customer_code, invoice_number, amount, confidence
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from arms.bank.cash_selectors import EXPORT_COLUMNS, export_rows, line_list
from arms.bank.enums import OPEN_STATUSES, LineStatus
from arms.bank.models import BankAccount
from arms.bank.services.matching import match_lines
from arms.common.errors import ArmsError
from arms.web.exports import Column, Table, csv_lines


class Command(BaseCommand):
    help = "Cash application: match and apply statement lines (apply), or export what was decided (export)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["apply", "export"])
        parser.add_argument("--auto", action="store_true",
                            help="Apply every match at or above the auto-apply threshold (apply); else only suggest.")
        parser.add_argument("--date", type=date.fromisoformat, default=None,
                            help="Only lines booked on this day (YYYY-MM-DD).")
        parser.add_argument("--account", default=None, help="Only lines of this bank account number (apply).")
        parser.add_argument("--open", action="store_true", dest="reopen",
                            help="Match the suggested and unmatched lines again too, not only the new ones (apply).")
        parser.add_argument("--format", choices=["csv"], default="csv", help="Export format (export).")
        parser.add_argument("--output", default=None, help="Write the export to this file (default: stdout).")
        parser.add_argument("--status", choices=LineStatus.values, default=None, help="Only lines in this status.")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except ArmsError as exc:
            raise CommandError(f"{exc.code}: {exc.message}" + (f" ({exc.field})" if exc.field else "")) from exc

    def do_apply(self, *, auto: bool, date: date | None, account: str | None, reopen: bool, **_options) -> None:
        bank_account = None
        if account:
            bank_account = BankAccount.objects.filter(account_number=account.replace(" ", "")).first()
            if bank_account is None:
                raise CommandError(f"--account: no bank account {account}")
        line_ids = None
        if reopen:
            line_ids = list(line_list(account_id=bank_account.pk if bank_account else None, date_from=date,
                                      date_to=date).filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
        run = match_lines(actor=None, line_ids=line_ids, account=bank_account, on=date, auto=auto)
        self.stdout.write(json.dumps({"lines": run.lines, "auto_applied": run.auto_applied,
                                      "suggested": run.suggested, "unmatched": run.unmatched,
                                      "ignored": run.ignored}))

    def do_export(self, *, date: date | None, status: str | None, output: str | None, **_options) -> None:
        lines = line_list(status=status, date_from=date, date_to=date).order_by("booking_date", "pk")
        table = Table("cash", [Column(name) for name in EXPORT_COLUMNS], rows=export_rows(lines))
        if output:
            with open(output, "wb") as handle:  # a file gets the byte-order mark Excel on Chinese Windows needs
                for chunk in csv_lines(table):
                    handle.write(chunk)
            return
        for chunk in csv_lines(table, bom=False):
            self.stdout.write(chunk.decode("utf-8"), ending="")
