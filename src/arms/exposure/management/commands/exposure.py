"""arms exposure show CODE [--amount 1,234.56] [--json]: a customer's exposure and what the credit check would
decide for a document of that amount now (a read: nothing is written, no override used).
arms exposure holds [--all]: the credit holds. arms exposure expire: mark overrides past their expiry.
arms exposure guarantees-expiring [--date D]: announce guarantees about to expire, mark the expired ones."""

import json

from django.core.management.base import BaseCommand, CommandError

from arms.common.commands import command_date
from arms.customers.models import Customer
from arms.domain.money import MoneyError, format_amount, parse_amount
from arms.exposure.models import CreditHold
from arms.exposure.services import credit_check, guarantees_expiring_run, overrides_expire


class Command(BaseCommand):
    help = "Credit exposure tools: `show CODE [--amount X]`, `holds [--all]`, `expire`, `guarantees-expiring`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "holds", "expire", "guarantees-expiring"])
        parser.add_argument("--date", default="", help="guarantees-expiring: the day to run as (YYYY-MM-DD).")
        parser.add_argument("customer", nargs="?", help="Customer code (for show).")
        parser.add_argument("--amount", default="0", help="Amount of the document to check, e.g. 12,345.60.")
        parser.add_argument("--currency", default="", help="Currency of the amount (the customer's by default).")
        parser.add_argument("--all", action="store_true", help="holds: released ones too.")
        parser.add_argument("--json", action="store_true", help="One JSON object instead of text.")

    def handle(self, *args, action, customer=None, amount="0", currency="", all=False, json=False, **options):
        if action == "guarantees-expiring":
            done = guarantees_expiring_run(as_of=command_date(options.get("date") or None))
            self.stdout.write(f"{done['warned']} guarantee(s) announced, {done['expired']} expired")
            return
        if action == "expire":
            self.stdout.write(f"{overrides_expire()} override(s) expired")
            return
        if action == "holds":
            return self._holds(show_all=all, as_json=json)
        if not customer:
            raise CommandError("name the customer code: arms exposure show CODE")
        found = Customer.objects.filter(code=customer).first()
        if found is None:
            raise CommandError(f"no customer with the code {customer}")
        return self._show(found, amount=amount, currency=currency or found.currency, as_json=json)

    def _show(self, customer, *, amount: str, currency: str, as_json: bool) -> None:
        try:
            minor = parse_amount(amount, currency)
        except MoneyError as exc:
            raise CommandError(f"--amount: {exc}") from exc
        result = credit_check(customer=customer, amount_minor=minor, currency=currency, document_kind="order",
                              lock=False)
        b = result.breakdown
        if as_json:
            self.stdout.write(_dumps({**result.details(), "customer": customer.code,
                                      "open_receivables_minor": b.open_receivables_minor,
                                      "uninvoiced_contracts_minor": b.uninvoiced_contracts_minor,
                                      "unmatured_bills_minor": b.unmatured_bills_minor}))
            return
        cur = result.currency
        lines = [
            f"{customer.code} {customer.name}  grade {result.grade or '-'}",
            f"  open invoices              {format_amount(b.open_receivables_minor, cur):>18} {cur}",
            f"  contracts not yet invoiced {format_amount(b.uninvoiced_contracts_minor, cur):>18} {cur}",
            f"  bills not yet matured      {format_amount(b.unmatured_bills_minor, cur):>18} {cur}",
            f"  exposure                   {format_amount(result.exposure_minor, cur):>18} {cur}",
            "  limit                      "
            + (f"{format_amount(result.limit_minor, cur):>18} {cur}" if result.limit_minor is not None else "none"),
            f"decision for {format_amount(minor, currency)} {currency}: {result.decision}",
            *(f"  - {r['code']}: {r['message']}" for r in result.reasons),
        ]
        self.stdout.write("\n".join(lines))

    def _holds(self, *, show_all: bool, as_json: bool) -> None:
        holds = CreditHold.objects.select_related("customer").order_by("-placed_at")
        if not show_all:
            holds = holds.filter(active=True)
        rows = [{"id": h.pk, "customer": h.customer.code, "reason": h.reason_code, "active": h.active,
                 "placed_at": h.placed_at, "note": h.note, "source_ref": h.source_ref} for h in holds]
        if as_json:
            self.stdout.write(_dumps({"holds": rows}))
            return
        for row in rows:
            state = "active" if row["active"] else "released"
            self.stdout.write(f"{row['id']:>6} {row['customer']:<12} {row['reason']:<20} {state:<8} "
                              f"{row['placed_at']:%Y-%m-%d} {row['note']}")
        self.stdout.write(f"{len(rows)} hold(s)")


def _dumps(payload) -> str:
    return json.dumps(payload, default=str, ensure_ascii=False)
