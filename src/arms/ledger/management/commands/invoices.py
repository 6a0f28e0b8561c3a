"""arms invoices: invoice delivery proof from the command line.

    arms invoices deliveries --undelivered [--customer CODE] [--json]   invoices not yet delivered, oldest first
    arms invoices deliveries --unconfirmed [--channel post] [--json]    delivered, receipt not confirmed
    arms invoices deliver INV-1 INV-2 --channel post --carrier EMS --tracking-no EA123456789CN [--on 2026-12-01]
                                                                         one delivery (one envelope) for invoices
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from arms.common.errors import ArmsError
from arms.ledger.enums import DeliveryChannel
from arms.ledger.models import Invoice
from arms.ledger.selectors import deliveries_outstanding
from arms.ledger.services.deliveries import invoice_deliveries_record


class Command(BaseCommand):
    help = "Invoice delivery proof: list undelivered or unconfirmed invoices; record one delivery for invoices."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("deliveries", help="List invoices not delivered (default) or not confirmed.")
        state = listing.add_mutually_exclusive_group()
        state.add_argument("--undelivered", action="store_true", help="Not delivered (the default).")
        state.add_argument("--unconfirmed", action="store_true", help="Delivered, receipt not confirmed.")
        listing.add_argument("--customer", default="", help="Only this customer's (its code).")
        listing.add_argument("--channel", default="", choices=["", *DeliveryChannel.values],
                             help="Unconfirmed: only those delivered this way.")
        listing.add_argument("--limit", type=int, default=200, help="At most this many rows (default 200).")
        listing.add_argument("--json", action="store_true", help="One JSON object instead of text.")
        deliver = sub.add_parser("deliver", help="Record one delivery (one envelope) for the invoices named.")
        deliver.add_argument("numbers", nargs="+", help="Invoice numbers.")
        deliver.add_argument("--channel", required=True, choices=DeliveryChannel.values)
        deliver.add_argument("--on", type=date.fromisoformat, default=None, help="Delivery date (default today).")
        deliver.add_argument("--carrier", default="")
        deliver.add_argument("--tracking-no", default="")
        deliver.add_argument("--recipient", default="")
        deliver.add_argument("--note", default="")

    def handle(self, *args, action, **options):
        if action == "deliver":
            return self._deliver(**options)
        return self._list(**options)

    def _list(self, *, unconfirmed: bool, customer: str, channel: str, limit: int, json: bool = False, **_options):
        state = "unconfirmed" if unconfirmed else "undelivered"
        qs = deliveries_outstanding(user=None, state=state, channel=channel)
        if customer:
            qs = qs.filter(customer__code=customer)
        today = timezone.localdate()
        rows = [{"invoice": inv.number, "customer": inv.customer.code, "issue_date": inv.issue_date,
                 "delivered_on": inv.delivered_on, "channel": inv.delivered_channel or "",
                 "age_days": (today - (inv.delivered_on or inv.issue_date)).days, "currency": inv.currency,
                 "open_minor": inv.amount_open_minor} for inv in qs[:max(limit, 1)]]
        if json:
            self.stdout.write(_dumps({"state": state, "count": qs.count(), "invoices": rows}))
            return
        for row in rows:
            delivered = f" delivered {row['delivered_on']} by {row['channel']}" if row["delivered_on"] else ""
            self.stdout.write(f"{row['invoice']}  {row['customer']}  issued {row['issue_date']}{delivered}  "
                              f"{row['age_days']} days")
        self.stdout.write(f"{qs.count()} invoice(s) {state}")

    def _deliver(self, *, numbers, channel, on, carrier, tracking_no, recipient, note, **_options):
        found = {inv.number: inv for inv in Invoice.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise CommandError(f"no such invoice: {', '.join(missing)}")
        try:
            made = invoice_deliveries_record(invoices=[found[n] for n in dict.fromkeys(numbers)], actor=None,
                                             channel=channel, delivered_on=on, carrier=carrier,
                                             tracking_no=tracking_no, recipient=recipient, note=note)
        except ArmsError as error:
            raise CommandError(f"{error.field}: {error.message}" if error.field else error.message) from error
        self.stdout.write(f"recorded delivery of {len(made)} invoice(s), batch {made[0].batch}")


def _dumps(payload) -> str:
    return json.dumps(payload, default=str, ensure_ascii=False)
