"""Trade history: what ARMS knows about a customer from its own ledger, as of a date, in set-based SQL.

Per customer: tenure (first invoice), invoiced volume in the last 12 months, average monthly sales, and over the
invoices due in the last 12 months: average and maximum days late and the share (by amount) paid on time
(settled no later than ``ON_TIME_GRACE_DAYS`` = 7 days after the due date).
Days late of an invoice = (the day it was settled, or ``as_of`` if it was still open then) − due date, never
negative. An invoice counts as settled as of a date when the allocations dated up to then cover its gross.

Counts ARMS keeps in other apps (disputes, broken promises) come from the hook ``credit.trade_history``
(``arms.common.hooks.TradeHistory``; cases registers it), so credit never imports the apps above it (ADR 0006).
Missing keys count as 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Case,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from arms.common import hooks
from arms.ledger.models import Allocation, Invoice

#: a payment this many days after the due date still counts as on time (bank transfers and 承兑汇票 take days)
ON_TIME_GRACE_DAYS = 7

#: the facts the ``credit.trade_history`` hook may give that the scorecard reads
PROVIDER_KEYS = ("dispute_count", "broken_promises")


@dataclass
class TradeHistory:
    customer_id: int
    first_invoice_on: date | None = None
    tenure_days: int | None = None
    volume_12m_minor: int = 0  # CNY fen invoiced (gross) in the 12 months up to as_of
    invoices_due_12m: int = 0
    amount_due_12m_minor: int = 0
    amount_on_time_12m_minor: int = 0
    avg_days_late: int | None = None  # over invoices due in the window; None when there were none
    max_days_late: int | None = None
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def avg_monthly_sales_minor(self) -> int:
        return self.volume_12m_minor // 12

    @property
    def on_time_share_bp(self) -> int | None:
        """Share paid on time in basis points (0-10000) of the amount due in the window."""
        if not self.amount_due_12m_minor:
            return None
        return self.amount_on_time_12m_minor * 10000 // self.amount_due_12m_minor

    @property
    def dispute_count(self) -> int:
        return int(self.extra.get("dispute_count", 0))

    @property
    def broken_promises(self) -> int:
        return int(self.extra.get("broken_promises", 0))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["first_invoice_on"] = self.first_invoice_on.isoformat() if self.first_invoice_on else None
        data["avg_monthly_sales_minor"] = self.avg_monthly_sales_minor
        data["on_time_share_bp"] = self.on_time_share_bp
        data["dispute_count"] = self.dispute_count
        data["broken_promises"] = self.broken_promises
        return data


def _days(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.days
    return int(value)  # some backends answer in whole days or microseconds already converted


def trade_history(*, customer_ids: list[int], as_of: date) -> dict[int, TradeHistory]:
    """The trade history of each customer as of ``as_of``: three aggregate queries, plus one per provider."""
    ids = list(customer_ids)
    result = {cid: TradeHistory(customer_id=cid) for cid in ids}
    if not ids:
        return result
    window_start = as_of - timedelta(days=365)
    invoices = Invoice.objects.filter(customer_id__in=ids, issue_date__lte=as_of)

    for row in (
        invoices.values("customer_id")
        .order_by()
        .annotate(
            first=Min("issue_date"),
            volume=Coalesce(Sum("gross_base_minor", filter=Q(issue_date__gt=window_start)), 0),
        )
    ):
        history = result[row["customer_id"]]
        history.first_invoice_on = row["first"]
        history.tenure_days = (as_of - row["first"]).days
        history.volume_12m_minor = int(row["volume"])

    allocations = Allocation.objects.filter(invoice=OuterRef("pk"), date__lte=as_of).order_by().values("invoice")
    settled_sum = Subquery(allocations.annotate(s=Sum("amount_minor")).values("s"), output_field=IntegerField())
    last_date = Subquery(allocations.annotate(m=Max("date")).values("m"), output_field=DateField())
    due = (
        invoices.filter(due_date__gt=window_start, due_date__lte=as_of)
        .annotate(settled=Coalesce(settled_sum, 0), last_allocation=last_date)
        .annotate(
            ended=Case(
                When(settled__gte=F("gross_minor"), then=F("last_allocation")),
                default=Value(as_of),
                output_field=DateField(),
            )
        )
        .annotate(
            late=Case(
                When(ended__gt=F("due_date"), then=ExpressionWrapper(F("ended") - F("due_date"),
                                                                     output_field=DurationField())),
                default=Value(timedelta(0)),
                output_field=DurationField(),
            )
        )
    )
    on_time = Q(settled__gte=F("gross_minor"),
                last_allocation__lte=ExpressionWrapper(F("due_date") + timedelta(days=ON_TIME_GRACE_DAYS),
                                                       output_field=DateField()))
    for row in (
        due.values("customer_id")
        .order_by()
        .annotate(
            count=Coalesce(Sum(Value(1)), 0),
            amount=Coalesce(Sum("gross_base_minor"), 0),
            on_time=Coalesce(Sum("gross_base_minor", filter=on_time), 0),
            late_sum=Sum("late"),
            late_max=Max("late"),
        )
    ):
        history = result[row["customer_id"]]
        history.invoices_due_12m = int(row["count"])
        history.amount_due_12m_minor = int(row["amount"])
        history.amount_on_time_12m_minor = int(row["on_time"])
        total_late = _days(row["late_sum"]) or 0
        history.avg_days_late = total_late // history.invoices_due_12m if history.invoices_due_12m else None
        history.max_days_late = _days(row["late_max"])

    for given in hooks.run(hooks.TRADE_HISTORY, customer_ids=ids, as_of=as_of):
        for cid, facts in (given or {}).items():
            if cid in result:
                for key, value in facts.items():
                    result[cid].extra[key] = result[cid].extra.get(key, 0) + int(value)
    return result


def trade_history_for(*, customer, as_of: date) -> TradeHistory:
    return trade_history(customer_ids=[customer.pk], as_of=as_of)[customer.pk]
