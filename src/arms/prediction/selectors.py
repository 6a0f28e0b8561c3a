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
from typing import Any

from django.db.models import DateField, Exists, Max, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.cases.models import Dispute, PromiseToPay
from arms.common.errors import NotFound
from arms.credit.models import CreditProfile
from arms.customers.selectors import customers_visible_to
from arms.domain.prediction import GRADES, History, Item, histories, history_quantiles, predicted_dates
from arms.ledger.balances import open_items_as_of
from arms.ledger.models import Allocation, Invoice
from arms.prediction.enums import method_label
from arms.prediction.models import ModelVersion, VersionStatus

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


def settled_history(*, as_of: date, customer_ids: Iterable[int] | None = None) -> QuerySet[Any]:
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
    items: QuerySet[Any] = open_items_as_of(as_of)
    if ids is not None:
        items = items.filter(customer_id__in=ids)
    yield from _outlook_rows(items, as_of=as_of, customer_ids=ids)


def invoice_outlook(*, invoice_ids: Iterable[int], as_of: date) -> dict[int, Outlook]:
    """The outlook of a page of invoices (those still open on ``as_of``), by invoice id."""
    items: QuerySet[Any] = open_items_as_of(as_of).filter(pk__in=list(invoice_ids))
    customers = list(items.order_by().values_list("customer_id", flat=True).distinct())
    return {row.invoice_id: row for row in _outlook_rows(items, as_of=as_of, customer_ids=customers)}


#: above this many customers without a stored prediction the fallback reads the whole book's history at once
#: (one scan) rather than name them in an IN list
FALLBACK_LIST_LIMIT = 500


def _fallback_history(items: QuerySet[Any], *, as_of: date,
                      customer_ids: list[int] | None) -> dict[int, tuple[int, int, int]]:
    """The customer-history quantiles needed by the items without a stored prediction (none when all have one)."""
    if customer_ids is None:
        missing = items.filter(payment_prediction__isnull=True).order_by().values_list("customer_id", flat=True)
        wanted = list(missing.distinct()[:FALLBACK_LIST_LIMIT + 1])
        if not wanted:
            return {}
        customer_ids = wanted if len(wanted) <= FALLBACK_LIST_LIMIT else None
    return {customer: history_quantiles(days)
            for customer, days in days_late_by_customer(as_of=as_of, customer_ids=customer_ids).items()}


def _dates(*, due: date, as_of: date, stored: tuple[date | None, date | None, date | None],
           quantiles: tuple[int, int, int] | None) -> tuple[date, date, date, str]:
    """An open item's P10/P50/P90 and the method: the stored prediction, else the customer's history, else the
    due date; none before ``as_of``."""
    s10, s50, s90 = stored
    if s10 is not None and s50 is not None and s90 is not None:
        return max(as_of, s10), max(as_of, s50), max(as_of, s90), METHOD_MODEL
    if quantiles is not None:
        p10, p50, p90 = predicted_dates(due_date=due, as_of=as_of, p10_days=quantiles[0], p50_days=quantiles[1],
                                        p90_days=quantiles[2])
        return p10, p50, p90, METHOD_HISTORY
    p10, p50, p90 = predicted_dates(due_date=due, as_of=as_of, p10_days=0, p50_days=0, p90_days=0)
    return p10, p50, p90, METHOD_DUE_DATE


def _outlook_rows(items: QuerySet[Any], *, as_of: date, customer_ids: list[int] | None) -> Iterator[Outlook]:
    history = _fallback_history(items, as_of=as_of, customer_ids=customer_ids)
    rows = (items.order_by().values_list(
        "pk", "customer_id", "currency", "open_as_of", "open_base_as_of", "due_date",
        "payment_prediction__p10", "payment_prediction__p50", "payment_prediction__p90").iterator(chunk_size=CHUNK))
    for pk, customer_id, currency, open_minor, open_base, due, s10, s50, s90 in rows:
        p10, p50, p90, method = _dates(due=due, as_of=as_of, stored=(s10, s50, s90),
                                       quantiles=history.get(customer_id))
        yield Outlook(invoice_id=pk, customer_id=customer_id, currency=currency, open_minor=open_minor,
                      open_base_minor=open_base, due_date=due, p10=p10, p50=p50, p90=p90, method=method)


# --- what the model learns from and predicts ---------------------------------------------------------------------

def _grades() -> dict[int, int]:
    """Each rated customer's current grade as 1..4 (the grade at the time is not kept: the current one stands in)."""
    rows = CreditProfile.objects.exclude(grade="").order_by().values_list("customer_id", "grade")
    return {customer: GRADES.get(grade, 0) for customer, grade in rows.iterator(chunk_size=CHUNK)}


def _first_disputes(*, invoice_ids: QuerySet[Any] | None = None) -> dict[int, date]:
    qs = Dispute.objects.all()
    if invoice_ids is not None:
        qs = qs.filter(invoice_id__in=invoice_ids)
    rows = qs.order_by().values("invoice_id").annotate(first=Min("raised_on")).values_list("invoice_id", "first")
    return dict(rows.iterator(chunk_size=CHUNK))


def history_items(*, as_of: date, since: date | None = None) -> list[Item]:
    """The settled history as of ``as_of`` (settled from ``since`` on, when given) as model items, in order of
    settlement: amount in CNY fen, current grade, first dispute raised."""
    qs = settled_history(as_of=as_of)
    if since is not None:
        qs = qs.filter(settled_on__gte=since)
    grades = _grades()
    disputes = _first_disputes()
    rows = (qs.order_by("settled_on", "pk")
            .values_list("pk", "customer_id", "issue_date", "due_date", "gross_base_minor", "settled_on")
            .iterator(chunk_size=CHUNK))
    return [Item(key=pk, customer=customer, issue_date=issued, due_date=due, amount_base_minor=amount,
                 settled_on=settled, grade=grades.get(customer, 0), disputed_on=disputes.get(pk))
            for pk, customer, issued, due, amount, settled in rows]


def customer_histories(*, as_of: date, items: Iterable[Item] | None = None) -> dict[str | int, History]:
    """Every customer's dated facts up to ``as_of``: its settlements (those of ``items``, or the whole settled
    history streamed without making an item of each), its disputes and its promises."""
    disputes = (Dispute.objects.filter(raised_on__lte=as_of).order_by().values_list("customer_id", "raised_on")
                .iterator(chunk_size=CHUNK))
    promises = (PromiseToPay.objects.filter(made_on__lte=as_of).order_by().values_list("customer_id", "made_on")
                .iterator(chunk_size=CHUNK))
    if items is not None:
        return histories(items, disputes=disputes, promises=promises)
    result: dict[str | int, History] = defaultdict(History)
    rows = (settled_history(as_of=as_of).order_by().values_list("customer_id", "due_date", "settled_on")
            .iterator(chunk_size=CHUNK))
    for customer, due, settled in rows:
        result[customer].settled.append((settled, (settled - due).days))
    for customer, day in disputes:
        result[customer].disputes.append(day)
    for customer, day in promises:
        result[customer].promises.append(day)
    return {customer: history.finish() for customer, history in result.items()}


def open_items_to_predict(*, as_of: date, customer_ids: Iterable[int] | None = None) -> Iterator[Item]:
    """The open items of ``as_of`` as model items (not settled), streamed."""
    grades = _grades()
    items = open_items_as_of(as_of)
    if customer_ids is not None:
        items = items.filter(customer_id__in=list(customer_ids))
    disputes = _first_disputes(invoice_ids=open_items_as_of(as_of).values("pk")) if customer_ids is None else \
        _first_disputes(invoice_ids=items.values("pk"))
    rows = (items.order_by().values_list("pk", "customer_id", "issue_date", "due_date", "gross_base_minor")
            .iterator(chunk_size=CHUNK))
    for pk, customer, issued, due, amount in rows:
        yield Item(key=pk, customer=customer, issue_date=issued, due_date=due, amount_base_minor=amount,
                   grade=grades.get(customer, 0), disputed_on=disputes.get(pk))


# --- model versions and stored predictions -----------------------------------------------------------------------

def model_active() -> ModelVersion | None:
    return ModelVersion.objects.filter(status=VersionStatus.ACTIVE).select_related("trained_by").first()


def model_list() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.select_related("trained_by").order_by("-version")


def model_get(*, version_id: int) -> ModelVersion:
    found = model_list().filter(pk=version_id).first()
    if found is None:
        raise NotFound(_("No such model version."), field="version_id")
    return found


def payment_outlook(*, invoice_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The ``ledger.payment_outlook`` hook: the predicted dates of a page of invoices still open, with the method
    and (for the model) its measured error. Lean for the pages that call it: one query for the invoices and their
    stored predictions, one for the history of the customers without one (if any), one for the model's error (if
    any date is the model's)."""
    if not invoice_ids:
        return {}
    as_of = timezone.localdate()
    rows = list(Invoice.objects.filter(pk__in=list(invoice_ids), amount_open_minor__gt=0).order_by().values_list(
        "pk", "customer_id", "due_date", "payment_prediction__p10", "payment_prediction__p50",
        "payment_prediction__p90"))
    missing = sorted({customer for _pk, customer, _due, _a, p50, _b in rows if p50 is None})
    history = ({customer: history_quantiles(days)
                for customer, days in days_late_by_customer(as_of=as_of, customer_ids=missing).items()}
               if missing else {})
    result: dict[int, dict[str, Any]] = {}
    error = model_error() if any(p50 is not None for _pk, _c, _d, _a, p50, _b in rows) else None
    for pk, customer, due, s10, s50, s90 in rows:
        p10, p50, p90, method = _dates(due=due, as_of=as_of, stored=(s10, s50, s90), quantiles=history.get(customer))
        result[pk] = {"p10": p10, "p50": p50, "p90": p90, "method": method, "method_label": method_label(method),
                      "mae_days": error if method == METHOD_MODEL else None}
    return result


def model_error(version: ModelVersion | None = None) -> float | None:
    """The active (or given) model's mean absolute error in days on its backtest."""
    version = version or model_active()
    if version is None:
        return None
    for entry in version.metrics.get("scores", []):
        if entry.get("method") == "model":
            return float(entry["mae_days"])
    return None


def open_items_visible(user: Any, *, customer_id: int | None = None) -> QuerySet[Invoice]:
    """Today's open items of the customers ``user`` may see, earliest due first."""
    qs = open_items_as_of(timezone.localdate()).filter(customer__in=customers_visible_to(user))
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("due_date", "pk")


def outlook_export_rows(items: QuerySet[Invoice], *, as_of: date) -> Iterator[dict[str, Any]]:
    """The open items of ``items`` with their outlook, for an export: streamed in chunks, each chunk's outlook
    read for the invoices of that chunk only."""
    rows = items.values_list("pk", "number", "customer__name").iterator(chunk_size=CHUNK)
    chunk: list[tuple[int, str, str]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _export_chunk(chunk, as_of=as_of)
            chunk = []
    if chunk:
        yield from _export_chunk(chunk, as_of=as_of)


def _export_chunk(chunk: list[tuple[int, str, str]], *, as_of: date) -> Iterator[dict[str, Any]]:
    found = invoice_outlook(invoice_ids=[pk for pk, _number, _name in chunk], as_of=as_of)
    for pk, number, name in chunk:
        row = found.get(pk)
        if row is not None:
            yield {"number": number, "customer_name": name, "currency": row.currency, "open_minor": row.open_minor,
                   "open_base_minor": row.open_base_minor, "due_date": row.due_date, "p10": row.p10,
                   "p50": row.p50, "p90": row.p90, "method": row.method}
