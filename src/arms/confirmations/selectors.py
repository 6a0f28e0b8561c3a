"""Every read of balance confirmations that is more than a ``.get()``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from arms.confirmations.enums import ConfirmationStatus
from arms.confirmations.models import Confirmation

if TYPE_CHECKING:
    from arms.customers.models import Customer


def confirmations_for_customer(customer: Customer) -> QuerySet[Confirmation]:
    """The customer's confirmations, newest period first, superseded letters left out (the portal lists these;
    nothing of another customer can be reached through it)."""
    return (Confirmation.objects.filter(customer_id=customer.pk)
            .exclude(status=ConfirmationStatus.SUPERSEDED)
            .order_by("-period_end", "-id"))
