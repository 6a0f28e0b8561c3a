"""Reads of write-off requests, always through the viewer's customers (``customers_visible_to``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from arms.common.errors import NotFound
from arms.customers.selectors import customers_visible_to
from arms.ledger.models import Allocation
from arms.writeoffs.enums import RequestStatus
from arms.writeoffs.models import WriteOffItem, WriteOffRequest

if TYPE_CHECKING:
    from arms.common.typing import Viewer


def _sum_of(qs: QuerySet[Allocation]) -> Subquery:
    """The sum of ``receivable_base_minor`` of the allocations of one request (grouped by the request)."""
    return Subquery(qs.order_by().values("write_off__request_item__request")
                    .annotate(total=Sum("receivable_base_minor")).values("total")[:1])


def write_off_request_list(*, user: Viewer, status: str = "", reason: str = "", customer_id: int | None = None,
                           not_filed: bool = False) -> QuerySet[WriteOffRequest]:
    """The requests on customers the user may see, newest first, each with its count of sign-offs and, once
    posted, ``net_base_minor`` (CNY still written off: the write-offs less what was recovered) and
    ``recovered_base_minor``. ``not_filed``: posted but the tax filing not recorded yet."""
    qs = WriteOffRequest.objects.filter(customer__in=customers_visible_to(user))
    if status:
        qs = qs.filter(status=status)
    if reason:
        qs = qs.filter(reason=reason)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if not_filed:
        qs = qs.filter(status=RequestStatus.POSTED, tax_filed_on__isnull=True)
    of_request = Allocation.objects.filter(write_off__request_item__request=OuterRef("pk"))
    return (qs.select_related("customer", "requested_by")
            .annotate(sign_off_count=Count("sign_offs", distinct=True),
                      net_base_minor=Coalesce(_sum_of(of_request), Value(0)),
                      recovered_base_minor=-Coalesce(_sum_of(of_request.filter(amount_minor__lt=0)), Value(0)))
            .order_by("-requested_at", "-pk"))


def write_off_request_get(*, user: Viewer, request_id: int) -> WriteOffRequest:
    found = write_off_request_list(user=user).filter(pk=request_id).first()
    if found is None:
        raise NotFound(_("No such write-off request."), field="request_id")
    return found


def write_off_items(request: WriteOffRequest) -> QuerySet[WriteOffItem]:
    """The request's invoices with, once posted, what was recovered of each (``recovered_minor``, positive)."""
    recovered = Subquery(Allocation.objects.filter(write_off=OuterRef("write_off"), amount_minor__lt=0).order_by()
                         .values("write_off").annotate(total=Sum("amount_minor")).values("total")[:1])
    return (WriteOffItem.objects.filter(request=request).select_related("invoice", "write_off")
            .annotate(recovered_minor=-Coalesce(recovered, Value(0))).order_by("invoice__due_date", "invoice_id"))


def write_off_recoveries(request: WriteOffRequest) -> QuerySet[Allocation]:
    """The recoveries of the request's write-offs (negative allocations), oldest first."""
    return (Allocation.objects.filter(write_off__request_item__request=request, amount_minor__lt=0)
            .select_related("invoice", "write_off", "created_by")
            .annotate(recovered_minor=-F("amount_minor"), recovered_base_minor=-F("receivable_base_minor"))
            .order_by("date", "pk"))
