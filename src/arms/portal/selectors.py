"""Reads of the portal, every one scoped by the access's customer in the queryset itself.

Nothing here takes an id and checks the owner afterwards: an object of another customer is simply not in the
queryset, so whatever id a contact puts in a URL, they get 404 and learn nothing (not even that it exists).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from arms.cases.enums import DisputeStatus, PromiseStatus
from arms.cases.models import Dispute, PromiseToPay
from arms.confirmations.enums import ConfirmationStatus
from arms.confirmations.models import Confirmation
from arms.confirmations.selectors import confirmations_for_customer
from arms.customers.models import Customer
from arms.dunning.models import ActionStatus, DunningAction
from arms.ledger.enums import DeliveryState
from arms.ledger.models import Allocation, Invoice, Payment
from arms.ledger.selectors import customer_balances, with_delivery_state


def invoices_of(customer: Customer) -> QuerySet[Invoice]:
    """The customer's invoices, each with its delivery state (``delivery_state``, ``delivered_on``, ...)."""
    return with_delivery_state(Invoice.objects.filter(customer=customer))


def confirmations_of(customer: Customer) -> QuerySet[Confirmation]:
    """The balance confirmations sent to the customer (superseded ones and those not yet sent left out)."""
    return confirmations_for_customer(customer).exclude(status=ConfirmationStatus.PREPARED)


def receipts_awaited(customer: Customer) -> QuerySet[Invoice]:
    """Invoices delivered to the customer whose receipt they have not confirmed yet."""
    # ``delivery_state`` is an annotation of with_delivery_state, which the type checker cannot see
    state = {"delivery_state": DeliveryState.DELIVERED}
    return invoices_of(customer).filter(**state).order_by("-issue_date", "-pk")


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


def portal_summary(customer: Customer, *, today: date) -> dict[str, Any]:
    """What the home page shows: the balance per currency, what is overdue, and what waits for the contact."""
    balances = customer_balances(customer.pk)
    overdue = {row["currency"]: row["total"] for row in open_invoices_of(customer).filter(due_date__lt=today)
               .order_by().values("currency").annotate(total=Sum("amount_open_minor"))}
    return {
        "balances": [{"currency": cur, **values, "overdue": overdue.get(cur, 0)}
                     for cur, values in sorted(balances.items())],
        "open_disputes": disputes_of(customer).filter(status=DisputeStatus.OPEN).count(),
        "open_promises": promises_of(customer).filter(status=PromiseStatus.OPEN).count(),
        "confirmations_to_answer": list(confirmations_of(customer).filter(status=ConfirmationStatus.SENT)),
        "receipts_awaited": receipts_awaited(customer).count(),
    }
