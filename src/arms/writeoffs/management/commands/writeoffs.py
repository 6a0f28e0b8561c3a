"""arms writeoffs: list write-off requests.

    arms writeoffs list [--status pending|posted|rejected|withdrawn] [--reason R] [--customer CODE] [--not-filed]

One line per request: number, customer code, reason, status, total (CNY), net still written off (CNY), sign-offs,
the tax filing date. ``--not-filed`` lists the requests posted but not yet filed with the tax office.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from arms.customers.models import Customer
from arms.domain.money import format_amount
from arms.writeoffs.enums import RequestStatus, WriteOffReason
from arms.writeoffs.selectors import write_off_request_list


class Command(BaseCommand):
    help = "Write-off requests (核销坏账): list them."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list"])
        parser.add_argument("--status", choices=list(RequestStatus.values), help="Only this status.")
        parser.add_argument("--reason", choices=list(WriteOffReason.values), help="Only this reason.")
        parser.add_argument("--customer", help="Only this customer (its code).")
        parser.add_argument("--not-filed", action="store_true",
                            help="Only those posted but not yet filed with the tax office.")

    def handle(self, *args, action: str, **options):
        customer_id = None
        if options["customer"]:
            customer_id = Customer.objects.filter(code=options["customer"]).values_list("pk", flat=True).first()
            if customer_id is None:
                raise CommandError(f"--customer: no customer '{options['customer']}'")
        viewer = get_user_model()(is_superuser=True, is_active=True)
        rows = write_off_request_list(user=viewer, status=options["status"] or "", reason=options["reason"] or "",
                                      customer_id=customer_id, not_filed=options["not_filed"])
        for r in rows.iterator(chunk_size=2000):
            self.stdout.write(f"{r.number}\t{r.customer.code}\t{r.reason}\t{r.status}\t"
                              f"{format_amount(r.total_base_minor, 'CNY')}\t{format_amount(r.net_base_minor, 'CNY')}\t"
                              f"{r.sign_off_count}/{len(r.required_roles)}\t"
                              f"{r.tax_filed_on.isoformat() if r.tax_filed_on else '-'}")
