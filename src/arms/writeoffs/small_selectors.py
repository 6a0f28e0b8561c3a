"""Reads of the small-balance pages and API: the residues a user may see, a batch's items, its posting job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from arms.common.models import Job
from arms.customers.selectors import customers_visible_to
from arms.ledger.models import Invoice, SmallBalanceBatch, SmallBalanceBatchItem
from arms.ledger.small_balances import residues
from arms.writeoffs.small_services import JOB_KIND

if TYPE_CHECKING:
    from arms.common.typing import Viewer


def residue_list(*, user: Viewer, customer_id: int | None = None, currency: str = "") -> QuerySet[Invoice]:
    """The residues (``arms.ledger.small_balances.residue_q``) of the customers ``user`` may see, oldest due first."""
    qs = residues(Invoice.objects.filter(customer__in=customers_visible_to(user))).select_related("customer")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs.order_by("due_date", "pk")


def batch_items(batch: SmallBalanceBatch) -> QuerySet[SmallBalanceBatchItem]:
    return (SmallBalanceBatchItem.objects.filter(batch=batch).select_related("invoice", "invoice__customer")
            .order_by("invoice__customer__code", "invoice_id"))


def batch_job(batch: SmallBalanceBatch) -> Job | None:
    """The background job that posts (posted) the batch, if it was big enough to need one."""
    return Job.objects.filter(kind=JOB_KIND, dedupe_key=f"batch:{batch.pk}").order_by("-pk").first()
