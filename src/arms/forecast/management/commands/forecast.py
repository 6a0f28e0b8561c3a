"""arms forecast: compute and store a cash-in forecast, list the stored ones, show their accuracy.

    arms forecast run [--as-of 2026-11-20] [--granularity week|month] [--periods 13] [--new-sales] [--user NAME]
    arms forecast list [--granularity week] [--json]
    arms forecast accuracy [--granularity week] [--json]

``run`` computes in this process whatever the size of the book (the web page and the API hand it to the queue).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.customers.services import company_ensure
from arms.domain.money import format_amount
from arms.forecast import selectors
from arms.forecast.services import forecast_run


class Command(BaseCommand):
    help = "Cash-in forecast (现金流预测): run, list, accuracy."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "list", "accuracy"])
        parser.add_argument("--as-of", help="run: the day whose open items are forecast (YYYY-MM-DD); default today.")
        parser.add_argument("--granularity", default="week", help="week (13 weeks) or month (12 months).")
        parser.add_argument("--periods", type=int, help="run: how many weeks (1..52) or months (1..24).")
        parser.add_argument("--new-sales", action="store_true", help="run: add new sales at the run-rate.")
        parser.add_argument("--user", help="run: the user the forecast is recorded as made by.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, action: str, **options):
        company = company_ensure()
        try:
            if action == "run":
                made = forecast_run(actor=command_user(options["user"]), company=company,
                                    as_of=command_date(options["as_of"], option="--as-of"),
                                    granularity=options["granularity"],
                                    periods=options["periods"], include_new_sales=options["new_sales"])
                self.stdout.write(json.dumps({
                    "forecast": made.pk, "as_of": made.as_of.isoformat(), "granularity": made.granularity,
                    "periods": made.periods, "open_minor": made.open_minor, "expected_minor": made.expected_minor,
                    "beyond_minor": made.beyond_minor}))
            elif action == "list":
                self._list(company, options)
            else:
                self._accuracy(company, options)
        except ArmsError as error:
            raise command_error(error) from error

    def _list(self, company, options) -> None:
        granularity = options["granularity"]
        selectors.forecast_input_check(as_of=timezone.localdate(), granularity=granularity, periods=None)
        rows = [{"id": f.pk, "as_of": f.as_of.isoformat(), "granularity": f.granularity, "periods": f.periods,
                 "open": format_amount(f.open_minor), "expected": format_amount(f.expected_minor),
                 "beyond": format_amount(f.beyond_minor)}
                for f in selectors.forecast_list(company=company, granularity=granularity)[:100]]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:>6} {row['as_of']} {row['granularity']:<5} {row['open']:>18} CNY "
                              f"{row['expected']:>18} {row['beyond']:>18}")

    def _accuracy(self, company, options) -> None:
        report = selectors.forecast_accuracy(company=company, today=timezone.localdate(),
                                             granularity=options["granularity"])
        rows = [{"horizon": h.horizon, "count": h.count, "mae_minor": h.mae_minor, "bias_minor": h.bias_minor,
                 "wape_bp": h.wape_bp} for h in report.horizons]
        if options["json"]:
            self.stdout.write(json.dumps(rows))
            return
        for row in rows:
            wape = "-" if row["wape_bp"] is None else f"{row['wape_bp'] // 100}.{row['wape_bp'] % 100:02d}%"
            self.stdout.write(f"{report.granularity} {row['horizon']:>2}: n={row['count']:<3} "
                              f"MAE {format_amount(row['mae_minor']):>16} CNY  WAPE {wape}")
