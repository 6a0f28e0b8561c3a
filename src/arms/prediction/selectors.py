"""Reads of payment-date prediction. The published interface (INTERFACE h2 of issue 15):

    arms.prediction.selectors.Outlook
    arms.prediction.selectors.open_item_outlook(*, as_of, customer_ids=None) -> Iterator[Outlook]

Every open item as of a day with its predicted payment distribution (P10/P50/P90 dates). The method is
``"model"`` where the active model has stored a prediction for the item, else ``"customer_history"`` (the
customer's own settled history of days late: P50 its median, P10/P90 its spread), else ``"due_date"``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, Exists, Max, OuterRef, QuerySet, Subquery

from arms.domain.prediction import history_quantiles, predicted_dates
from arms.ledger.balances import open_items_as_of
from arms.ledger.models import Allocation, Invoice

CHUNK = 2000

METHOD_MODEL = "model"
METHOD_HISTORY = "customer_history"
METHOD_DUE_DATE = "due_date"


@dataclass(frozen=True, slots=True)
class Outlook:
    invoice_id: int
    customer_id: int
    currency: str
    open_minor: int        # open amount as of as_of, invoice currency (> 0)
    open_base_minor: int   # the same in CNY (base currency), through the one conversion
    due_date: date
    p10: date              # predicted payment dates, p10 <= p50 <= p90, none before as_of
    p50: date
    p90: date
    method: str            # "model" | "customer_history" | "due_date"


def settled_history(*, as_of: date, customer_ids: Iterable[int] | None = None) -> QuerySet[Invoice]:
    """Invoices settled (fully allocated by payments and credit notes, no write-off) on or before ``as_of``,
    annotated ``settled_on``: the date of the last allocation, the one that closed it (as the analytics KPI
    ``payment_timeliness`` dates a settlement)."""
    last = (Allocation.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice")
            .annotate(last=Max("date")).values("last"))
    written_off = Allocation.objects.filter(invoice=OuterRef("pk"), write_off__isnull=False)
    qs = Invoice.objects.filter(amount_open_minor=0, issue_date__lte=as_of)
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=list(customer_ids))
    return (qs.annotate(settled_on=Subquery(last, output_field=DateField())).filter(settled_on__lte=as_of)
            .exclude(Exists(written_off)))


def days_late_by_customer(*, as_of: date, customer_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    """``{customer_id: [days late of each settled invoice]}`` as of ``as_of``, streamed in chunks."""
    result: dict[int, list[int]] = defaultdict(list)
    rows = (settled_history(as_of=as_of, customer_ids=customer_ids).order_by()
            .values_list("customer_id", "due_date", "settled_on").iterator(chunk_size=CHUNK))
    for customer_id, due, settled in rows:
        result[customer_id].append((settled - due).days)
    return result


def open_item_outlook(*, as_of: date, customer_ids: Iterable[int] | None = None) -> Iterator[Outlook]:
    """Every open item as of `as_of` with its predicted payment distribution; streamed, set-based (values(), chunked;
    no model instance per row, no giant IN list — customer_ids, when given, is a small set, e.g. one customer)."""
    ids = list(customer_ids) if customer_ids is not None else None
    items = open_items_as_of(as_of)
    if ids is not None:
        items = items.filter(customer_id__in=ids)
    history = {customer: history_quantiles(days)
               for customer, days in days_late_by_customer(as_of=as_of, customer_ids=ids).items()}
    rows = (items.order_by().values_list("pk", "customer_id", "currency", "open_as_of", "open_base_as_of", "due_date")
            .iterator(chunk_size=CHUNK))
    for pk, customer_id, currency, open_minor, open_base, due in rows:
        quantiles = history.get(customer_id)
        if quantiles is None:
            p10, p50, p90 = predicted_dates(due_date=due, as_of=as_of, p10_days=0, p50_days=0, p90_days=0)
            method = METHOD_DUE_DATE
        else:
            p10, p50, p90 = predicted_dates(due_date=due, as_of=as_of, p10_days=quantiles[0],
                                            p50_days=quantiles[1], p90_days=quantiles[2])
            method = METHOD_HISTORY
        yield Outlook(invoice_id=pk, customer_id=customer_id, currency=currency, open_minor=open_minor,
                      open_base_minor=open_base, due_date=due, p10=p10, p50=p50, p90=p90, method=method)
