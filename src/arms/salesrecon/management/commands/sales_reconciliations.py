"""arms sales_reconciliations: open a month, list the months, read the coverage of confirmations.

    arms sales_reconciliations open --month 2026-11 [--salesperson NAME] [--user NAME]
    arms sales_reconciliations list [--month 2026-11] [--status differences]
    arms sales_reconciliations coverage [--period-end 2026-11-30]

``open`` is idempotent: the month again opens it only for salespeople who had none. ``coverage`` prints the share
of receivables confirmed for a period end (docs/confirmation-coverage.md).
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from arms.common.commands import command_user
from arms.common.errors import ArmsError
from arms.confirmations.coverage import confirmation_coverage, coverage_default_period
from arms.domain.money import format_amount
from arms.salesrecon.enums import ReconStatus
from arms.salesrecon.selectors import sales_recon_list
from arms.salesrecon.services import sales_recon_open


def _month(text: str | None) -> date | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise CommandError(f"--month: '{text}' is not a month like 2026-11")
    return date.fromisoformat(f"{text}-01")


def _user(name: str | None, option: str):
    return command_user(name, option=option)


class Command(BaseCommand):
    help = "Sales–finance reconciliation (销售与财务对账) and confirmation coverage: open, list, coverage."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["open", "list", "coverage"])
        parser.add_argument("--month", help="open / list: the month, YYYY-MM.")
        parser.add_argument("--salesperson", help="open: only this salesperson (username).")
        parser.add_argument("--user", help="open: act as this user (username); the system when omitted.")
        parser.add_argument("--status", choices=list(ReconStatus.values), help="list: only this status.")
        parser.add_argument("--period-end", help="coverage: the period end (YYYY-MM-DD); the latest when omitted.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "open":
                month = _month(options["month"])
                if month is None:
                    raise CommandError("open needs --month")
                opened = sales_recon_open(period=month, actor=_user(options["user"], "--user"),
                                          salesperson=_user(options["salesperson"], "--salesperson"))
                self.stdout.write(f"opened {len(opened)} reconciliations for {month:%Y-%m}")
                return
            viewer = get_user_model()(is_superuser=True, is_active=True)
            if action == "list":
                for rec in sales_recon_list(user=viewer, period=_month(options["month"]),
                                            status=options["status"] or ""):
                    self.stdout.write(f"{rec.period:%Y-%m}\t{rec.salesperson.get_username()}\t{rec.status}\t"
                                      f"{rec.customers}\t{format_amount(rec.total_base_minor, 'CNY')}\t"
                                      f"{rec.open_difference_count}/{rec.difference_count}")
                return
            try:
                period_end = (date.fromisoformat(options["period_end"]) if options["period_end"]
                              else coverage_default_period())
            except ValueError:
                raise CommandError(f"--period-end: '{options['period_end']}' is not a date like 2026-11-30") from None
            result = confirmation_coverage(user=viewer, period_end=period_end)
            for group in [result.total, *result.by_salesperson, *result.by_region]:
                self.stdout.write(f"{group.label}\t{group.confirmed_customers}/{group.customers}\t"
                                  f"{group.share_customers_bp / 100:.2f}%\t"
                                  f"{format_amount(group.confirmed_base_minor, 'CNY')}/"
                                  f"{format_amount(group.amount_base_minor, 'CNY')}\t"
                                  f"{group.share_amount_bp / 100:.2f}%")
        except ArmsError as error:
            raise CommandError(f"{error.field or action}: {error.message}") from None
