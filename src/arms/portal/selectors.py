"""Reads of the portal, every one scoped by the access's customer in the queryset itself.

Nothing here takes an id and checks the owner afterwards: an object of another customer is simply not in the
queryset, so whatever id a contact puts in a URL, they get 404 and learn nothing (not even that it exists).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet, Sum

from arms.cases.enums import DisputeStatus, PromiseStatus
from arms.cases.models import Dispute, PromiseToPay
from arms.customers.models import Customer
from arms.dunning.models import ActionStatus, DunningAction
from arms.ledger.models import Allocation, Invoice, Payment
from arms.ledger.selectors import customer_balances


def invoices_of(customer: Customer) -> QuerySet[Invoice]:
    return Invoice.objects.filter(customer=customer)


def open_invoices_of(customer: Customer) -> QuerySet[Invoice]:
    return invoices_of(customer).filter(amount_open_minor__gt=0).order_by("due_date", "pk")


def payments_of(customer: Customer) -> QuerySet[Payment]:
    """The customer's payments, newest first, each with its allocations (and the invoices they settled)."""
    allocations = Allocation.objects.filter(invoice__customer=customer).select_related("invoice").order_by("date", "pk")
    return (Payment.objects.filter(customer=customer).order_by("-received_date", "-pk")
            .prefetch_related(Prefetch("allocations", queryset=allocations)))


def letters_of(customer: Customer) -> QuerySet[DunningAction]:
    """Dunning letters that were sent to the customer (a done action whose stage writes a letter)."""
    return (DunningAction.objects.filter(customer=customer, status=ActionStatus.DONE)
            .exclude(stage__letter_kind="").select_related("stage").order_by("-as_of", "-pk"))


def disputes_of(customer: Customer) -> QuerySet[Dispute]:
    return Dispute.objects.filter(customer=customer).select_related("invoice").order_by("-raised_on", "-pk")


def promises_of(customer: Customer) -> QuerySet[PromiseToPay]:
    return PromiseToPay.objects.filter(customer=customer).order_by("-made_on", "-pk")


def portal_summary(customer: Customer, *, today: date) -> dict:
    """What the home page shows: the balance per currency, what is overdue, and what waits for the contact."""
    balances = customer_balances(customer.pk)
    overdue = {row["currency"]: row["total"] for row in open_invoices_of(customer).filter(due_date__lt=today)
               .order_by().values("currency").annotate(total=Sum("amount_open_minor"))}
    return {
        "balances": [{"currency": cur, **values, "overdue": overdue.get(cur, 0)}
                     for cur, values in sorted(balances.items())],
        "open_disputes": disputes_of(customer).filter(status=DisputeStatus.OPEN).count(),
        "open_promises": promises_of(customer).filter(status=PromiseStatus.OPEN).count(),
    }
