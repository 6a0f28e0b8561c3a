"""select_for_update querysets. Lock order, everywhere: customer, then invoices by pk, then payment.

A fixed order means two transactions that touch the same rows queue instead of deadlocking. On SQLite,
where there are no row locks, the IMMEDIATE transaction mode (settings) serialises writers instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from arms.customers.models import Customer
from arms.ledger.models import CreditNote, Invoice, Payment


def customer_qs_for_update() -> QuerySet[Customer]:
    return Customer.objects.select_for_update()


def invoices_qs_for_update(ids: Iterable[int]) -> QuerySet[Invoice]:
    return Invoice.objects.select_for_update().filter(pk__in=ids).order_by("pk")


def payment_qs_for_update() -> QuerySet[Payment]:
    return Payment.objects.select_for_update()


def credit_note_qs_for_update() -> QuerySet[CreditNote]:
    return CreditNote.objects.select_for_update()


def lock_customer(customer_id: int) -> Customer:
    return customer_qs_for_update().get(pk=customer_id)
