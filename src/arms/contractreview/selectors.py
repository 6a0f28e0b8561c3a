"""Contract performance (milestones, delivered, invoiced, paid, overdue, the lag from delivery to invoice), the
contracts a user may see, and those expiring or due for review. SQL aggregates, no model instance per row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from arms.contractreview.enums import RoundStatus
from arms.contractreview.models import ContractReview, ReviewStep
from arms.contracts.models import Contract, ContractStatus
from arms.customers.selectors import customers_visible_to
from arms.domain.money import split_largest_remainder
from arms.exposure.selectors import contract_deposit_status
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.common.typing import Viewer

SIGNED = (ContractStatus.ACTIVE, ContractStatus.COMPLETED, ContractStatus.TERMINATED)


def contracts_visible_to(user: Viewer) -> QuerySet[Contract]:
    """The contracts of the customers ``user`` may see (a salesperson: their own)."""
    return Contract.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")


def with_figures(qs: QuerySet[Contract], *, today: date) -> QuerySet[Contract]:
    """Each contract with what is invoiced, open and overdue under it (gross, in its currency) and the round of
    review open or last closed."""
    zero = Value(0)
    return qs.annotate(
        invoiced_minor=Coalesce(Sum("invoices__gross_minor"), zero),
        open_minor=Coalesce(Sum("invoices__amount_open_minor"), zero),
        overdue_minor=Coalesce(Sum("invoices__amount_open_minor", filter=Q(invoices__due_date__lt=today)), zero),
        invoice_count=Count("invoices"),
        review_round=Subquery(ContractReview.objects.filter(contract=OuterRef("pk")).order_by("-round")
                              .values("round")[:1]),
    ).annotate(paid_minor=F("invoiced_minor") - F("open_minor"))


def due_for_attention(qs: QuerySet[Contract], *, today: date, days: int) -> QuerySet[Contract]:
    """Signed, running contracts that end within ``days`` (or have ended but are still active), or whose review
    date has come within ``days``."""
    horizon = today + timedelta(days=days)
    return qs.filter(status=ContractStatus.ACTIVE).filter(
        Q(end_date__isnull=False, end_date__lte=horizon) | Q(review_date__isnull=False, review_date__lte=horizon))


@dataclass(frozen=True)
class MilestoneRow:
    sequence: int
    name: str
    share_bp: int
    due_days: int
    amount_minor: int
    event_date: date | None
    #: the first invoice on the contract issued on or after the event, and the days from the event to it
    invoiced_on: date | None
    lag_days: int | None


@dataclass(frozen=True)
class Performance:
    currency: str
    amount_minor: int
    invoiced_minor: int
    paid_minor: int
    open_minor: int
    overdue_minor: int
    uninvoiced_minor: int
    delivered_minor: int
    milestones: list[MilestoneRow]
    deposit: tuple[int, int, str] | None


def contract_performance(contract: Contract, *, today: date) -> Performance:
    """The contract's figures from the ledger (invoices whose contract is it) and its milestones. The lag of a
    milestone is from its event to the first invoice issued on or after it (invoices do not name milestones)."""
    totals = Invoice.objects.filter(contract=contract).aggregate(
        invoiced=Coalesce(Sum("gross_minor"), Value(0)), open=Coalesce(Sum("amount_open_minor"), Value(0)),
        overdue=Coalesce(Sum("amount_open_minor", filter=Q(due_date__lt=today)), Value(0)))
    rows = list(contract.milestones.order_by("sequence").annotate(
        invoiced_on=Subquery(Invoice.objects.filter(contract=contract, issue_date__gte=OuterRef("event_date"))
                             .order_by().values("contract").annotate(first=Min("issue_date")).values("first")[:1]))
        .values("sequence", "name", "share_bp", "due_days", "event_date", "invoiced_on"))
    parts = split_largest_remainder(contract.amount_minor, [r["share_bp"] for r in rows]) if rows else []
    milestones = [
        MilestoneRow(r["sequence"], r["name"], r["share_bp"], r["due_days"], part, r["event_date"],
                     r["invoiced_on"] if r["event_date"] else None,
                     (r["invoiced_on"] - r["event_date"]).days if r["event_date"] and r["invoiced_on"] else None)
        for r, part in zip(rows, parts, strict=True)
    ]
    invoiced, open_minor = int(totals["invoiced"]), int(totals["open"])
    return Performance(
        contract.currency, contract.amount_minor, invoiced, invoiced - open_minor, open_minor, int(totals["overdue"]),
        max(0, contract.amount_minor - invoiced), sum(m.amount_minor for m in milestones if m.event_date),
        milestones, _deposit(contract))


def _deposit(contract: Contract) -> tuple[int, int, str] | None:
    required, received, currency = contract_deposit_status(contract)
    return (required, received, currency) if required else None


def review_rounds(contract: Contract) -> list[ContractReview]:
    """Every round of the contract's review with its steps and who decided them (newest first)."""
    return list(ContractReview.objects.filter(contract=contract).select_related("submitted_by")
                .prefetch_related("steps__decided_by").order_by("-round"))


def open_rounds_waiting(kinds: list[str]) -> QuerySet[ContractReview]:
    """Open rounds whose next step is one of ``kinds`` (the reviewer's inbox)."""
    next_kind = Subquery(ReviewStep.objects.filter(review=OuterRef("pk"), decision="pending")
                         .order_by("sequence").values("kind")[:1])
    return (ContractReview.objects.filter(status=RoundStatus.OPEN).annotate(next_kind=next_kind)
            .filter(next_kind__in=kinds).select_related("contract__customer"))


def figures_row(contract: Any) -> dict[str, Any]:
    """An annotated contract (``with_figures``) as the API and exports show it."""
    return {"invoiced_minor": contract.invoiced_minor, "paid_minor": contract.paid_minor,
            "open_minor": contract.open_minor, "overdue_minor": contract.overdue_minor}
