"""arms contracts: list contracts, those ending or due for review, and send the reminders.

    arms contracts list [--status draft] [--json]
    arms contracts expiring [--within 30] [--json]      in force, ending or due for review within the days
    arms contracts reminders [--date 2026-11-20]         the reminders due that day, each once
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from arms.common.commands import command_date, command_error
from arms.common.errors import ArmsError, ValidationFailed
from arms.contractreview.selectors import due_for_attention, with_figures
from arms.contractreview.services import contract_reminders, review_settings
from arms.contracts.models import Contract, ContractStatus
from arms.customers.services import company_ensure
from arms.domain.money import format_amount


class Command(BaseCommand):
    help = "Contracts: list, expiring (or due for review), reminders."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "expiring", "reminders"])
        parser.add_argument("--status", choices=list(ContractStatus.values), help="list: only this status.")
        parser.add_argument("--within", type=int, help="expiring: within this many days (the setting if omitted).")
        parser.add_argument("--date", help="reminders: as of this day (YYYY-MM-DD); today when omitted.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, action: str, **options):
        company = company_ensure()
        try:
            if action == "reminders":
                on = command_date(options["date"])
                self.stdout.write(json.dumps({"date": on.isoformat(), **contract_reminders(company=company,
                                                                                         today=on)}))
                return
            today = timezone.localdate()
            qs = Contract.objects.filter(company=company).select_related("customer")
            if action == "list":
                if options["status"]:
                    qs = qs.filter(status=options["status"])
            else:
                within = options["within"] if options["within"] is not None else review_settings(company).reminder_days
                if not 0 <= within <= 3650:
                    raise ValidationFailed("--within is 0 to 3650 days", field="within")
                qs = due_for_attention(qs, today=today, days=within)
            rows = [{"number": c.number, "customer": c.customer.code, "status": c.status,
                     "end_date": c.end_date.isoformat() if c.end_date else None,
                     "review_date": c.review_date.isoformat() if c.review_date else None, "currency": c.currency,
                     "amount": format_amount(c.amount_minor, c.currency),
                     "overdue": format_amount(c.overdue_minor, c.currency)}
                    for c in with_figures(qs, today=today).order_by("end_date", "number").iterator(chunk_size=2000)]
        except ArmsError as error:
            raise command_error(error) from error
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            self.stdout.write(f"{r['number']}\t{r['customer']}\t{r['status']}\t{r['end_date'] or ''}\t"
                              f"{r['review_date'] or ''}\t{r['amount']} {r['currency']}\t{r['overdue']}")
