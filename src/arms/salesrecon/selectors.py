"""Reads of the sales–finance reconciliation, always through the viewer: a salesperson sees only their own."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from arms.accounts.roles import sees_all_customers
from arms.common.errors import NotFound
from arms.salesrecon.enums import DifferenceStatus
from arms.salesrecon.models import ReconciliationDifference, SalesReconciliation

if TYPE_CHECKING:
    from arms.common.typing import Viewer


def sales_recon_list(*, user: Viewer, period: date | None = None, status: str = "",
                     salesperson_id: int | None = None) -> QuerySet[SalesReconciliation]:
    """The reconciliations the user may see (a salesperson: their own), newest month first, each with its count
    of differences and of open ones."""
    qs = SalesReconciliation.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if not sees_all_customers(user):
        qs = qs.filter(salesperson=user)
    if period is not None:
        qs = qs.filter(period=period.replace(day=1))
    if status:
        qs = qs.filter(status=status)
    if salesperson_id:
        qs = qs.filter(salesperson_id=salesperson_id)
    return (qs.select_related("salesperson", "signed_off_by")
            .annotate(difference_count=Count("differences"),
                      open_difference_count=Count("differences", filter=Q(differences__status=DifferenceStatus.OPEN)))
            .order_by("-period", "salesperson__username", "pk"))


def sales_recon_get(*, user: Viewer, reconciliation_id: int) -> SalesReconciliation:
    """One reconciliation the user may see; another salesperson's is not found, not forbidden."""
    rec = sales_recon_list(user=user).filter(pk=reconciliation_id).first()
    if rec is None:
        raise NotFound(_("No such reconciliation."), field="reconciliation_id")
    return rec


def sales_recon_differences(reconciliation: SalesReconciliation) -> QuerySet[ReconciliationDifference]:
    return (ReconciliationDifference.objects.filter(reconciliation=reconciliation)
            .select_related("customer", "owner", "resolved_by").order_by("customer__code", "currency", "pk"))


def sales_recon_difference_get(*, user: Viewer, difference_id: int) -> ReconciliationDifference:
    diff = (ReconciliationDifference.objects.filter(pk=difference_id,
                                                    reconciliation__in=sales_recon_list(user=user).values("pk"))
            .select_related("reconciliation").first())
    if diff is None:
        raise NotFound(_("No such difference."), field="difference_id")
    return diff
