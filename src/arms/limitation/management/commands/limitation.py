"""arms limitation: refresh the clocks, send the expiry alerts, list the claims.

    arms limitation refresh [--date 2026-11-20]            collect interruptions, recompute every clock
    arms limitation alerts [--date 2026-11-20]             the 180/90/30-day alerts due that day, each once
    arms limitation list [--status expiring] [--within 90] [--json]

``refresh`` runs in this process whatever the number of customers (the web page hands it to the queue).
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from arms.common.commands import command_date, command_error
from arms.common.errors import ArmsError
from arms.customers.services import company_ensure
from arms.domain.money import format_amount
from arms.limitation.enums import Status
from arms.limitation.models import LimitationClock
from arms.limitation.services.alerts import limitation_alerts
from arms.limitation.services.refresh import limitation_refresh


class Command(BaseCommand):
    help = "Limitation periods (诉讼时效): refresh, alerts, list."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "alerts", "list"])
        parser.add_argument("--date", help="refresh / alerts: as of this day (YYYY-MM-DD); today when omitted.")
        parser.add_argument("--status", choices=list(Status.values), help="list: only this status.")
        parser.add_argument("--within", type=int, help="list: expiring within this many days.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, action: str, **options):
        company = company_ensure()
        try:
            if action == "refresh":
                on = command_date(options["date"])
                result = limitation_refresh(company=company, today=on)
                self.stdout.write(json.dumps({"date": on.isoformat(), **result}))
            elif action == "alerts":
                on = command_date(options["date"])
                result = limitation_alerts(company=company, today=on)
                self.stdout.write(json.dumps({"date": on.isoformat(), **result}))
            else:
                self._list(company, options)
        except ArmsError as error:
            raise command_error(error) from error

    def _list(self, company, options) -> None:
        qs = (LimitationClock.objects.filter(company=company).select_related("customer", "invoice")
              .order_by("expires_on", "invoice_id"))
        if options["status"]:
            qs = qs.filter(status=options["status"])
        else:
            qs = qs.exclude(status=Status.STOPPED)
        if options["within"] is not None:
            qs = qs.filter(expires_on__lte=timezone.localdate() + timedelta(days=options["within"]))
        rows = [{"invoice": c.invoice.number, "customer": c.customer.code, "expires_on": c.expires_on.isoformat(),
                 "status": c.status, "last_interruption": c.last_interruption.isoformat()
                 if c.last_interruption else None, "currency": c.invoice.currency,
                 "open": format_amount(c.invoice.amount_open_minor, c.invoice.currency)}
                for c in qs.iterator(chunk_size=2000)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['expires_on']} {row['status']:<9} {row['customer']:<12} {row['invoice']:<20} "
                              f"{row['currency']} {row['open']:>18}")
