"""Every read of balance confirmations that is more than a ``.get()``. Lists are limited to the customers the
user may see (a salesperson: their own), so an id of another customer's letter is "not found"."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from arms.common.errors import NotFound
from arms.confirmations.enums import ConfirmationStatus, DifferenceStatus
from arms.confirmations.models import Confirmation, ConfirmationDifference, ConfirmationRun
from arms.customers.selectors import customers_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from arms.customers.models import Customer

    Viewer = User | AnonymousUser


def confirmations_for_customer(customer: Customer) -> QuerySet[Confirmation]:
    """The customer's confirmations, newest period first, superseded letters left out (the portal lists these;
    nothing of another customer can be reached through it)."""
    return (Confirmation.objects.filter(customer_id=customer.pk)
            .exclude(status=ConfirmationStatus.SUPERSEDED)
            .order_by("-period_end", "-id"))


def confirmation_acknowledged_last(customer: Customer) -> Confirmation | None:
    """The customer's latest confirmed balance: its written acknowledgement of the debt (what a limitation clock
    restarts from), or None."""
    return (Confirmation.objects.filter(customer_id=customer.pk, status=ConfirmationStatus.CONFIRMED)
            .order_by("-period_end", "-answered_at").first())


def run_list() -> QuerySet[ConfirmationRun]:
    """Runs, newest period first, with their letters counted by status."""
    return ConfirmationRun.objects.select_related("company", "created_by", "job").annotate(
        sent_count=Count("confirmations", filter=Q(confirmations__status=ConfirmationStatus.SENT)),
        confirmed_count=Count("confirmations", filter=Q(confirmations__status=ConfirmationStatus.CONFIRMED)),
        disputed_count=Count("confirmations", filter=Q(confirmations__status=ConfirmationStatus.DISPUTED)),
        prepared_count=Count("confirmations", filter=Q(confirmations__status=ConfirmationStatus.PREPARED)),
    ).order_by("-period_end", "-id")


def run_get(run_id: int) -> ConfirmationRun:
    run = run_list().filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"confirmation run {run_id} not found", field="run_id")
    return run


def confirmation_list(*, user: Viewer, run_id: int | None = None, period_end: date | None = None,
                      status: str = "", customer_id: int | None = None, search: str = "") -> QuerySet[Confirmation]:
    qs = Confirmation.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "answered_contact")
    if run_id:
        qs = qs.filter(run_id=run_id)
    if period_end:
        qs = qs.filter(period_end=period_end)
    if status:
        qs = qs.filter(status=status)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if search:
        qs = qs.filter(Q(customer__code__icontains=search) | Q(customer__name__icontains=search))
    return qs.order_by("-period_end", "customer__code", "id")


def confirmation_get(*, user: Viewer, confirmation_id: int) -> Confirmation:
    """A confirmation the user may see; another customer's is "not found", not "forbidden"."""
    found = confirmation_list(user=user).select_related("run", "company", "scan").filter(
        pk=confirmation_id).first()
    if found is None:
        raise NotFound(f"confirmation {confirmation_id} not found", field="confirmation_id")
    return found


def difference_list(*, user: Viewer, status: str = "", overdue: bool = False, owner_id: int | None = None,
                    confirmation_id: int | None = None, customer_id: int | None = None,
                    today: date | None = None) -> QuerySet[ConfirmationDifference]:
    """Differences, earliest deadline first; ``overdue``: open ones whose deadline has passed."""
    qs = ConfirmationDifference.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "invoice", "owner", "confirmation", "credit_note", "corrected_invoice", "payment")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=DifferenceStatus.OPEN, deadline__lt=today or timezone.localdate())
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if confirmation_id:
        qs = qs.filter(confirmation_id=confirmation_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("deadline", "id")


def difference_get(*, user: Viewer, difference_id: int) -> ConfirmationDifference:
    found = difference_list(user=user).filter(pk=difference_id).first()
    if found is None:
        raise NotFound(f"difference {difference_id} not found", field="difference_id")
    return found
