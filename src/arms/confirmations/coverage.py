"""Coverage of balance confirmations: for a period end, the share of receivables the customers confirmed, by amount
and by customers, for the company, per salesperson and per region; and the balances nobody confirmed.

**Receivables** are every customer's balance at the end of the period as its statement closes (invoices less
credit notes and payments, ``arms.ledger.balances``), in CNY at the documents' posting rates, counted for the
customers who owe (a balance above zero). **Confirmed** are those of them whose confirmation of that period end
was answered "confirmed" (信息无误); a disputed, unanswered or missing letter leaves the balance unconfirmed. The
figures are the ledger's, so the confirmed part is always part of the whole.

Set-based: five grouped queries whatever the number of customers (the four balance sums, the customers, the
confirmations of the period), rows read as values, never a model instance per customer; the grouping is a pass
over those values. Shares are basis points (1/100 of a percent), rounded half up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.confirmations.enums import ConfirmationStatus
from arms.confirmations.models import Confirmation
from arms.customers.enums import Region
from arms.customers.selectors import customers_visible_to
from arms.domain.money import BASE_CURRENCY
from arms.ledger.balances import base_balance_by_customer

if TYPE_CHECKING:
    from arms.common.typing import Viewer


def share_bp(part: int, whole: int) -> int:
    """``part`` of ``whole`` in basis points, rounded half up; 0 of nothing is 0."""
    if whole <= 0:
        return 0
    return int((Decimal(part) * 10_000 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class CoverageGroup:
    """The figures of one group (the company, a salesperson, a region)."""

    key: str
    label: str
    customers: int = 0
    confirmed_customers: int = 0
    amount_base_minor: int = 0
    confirmed_base_minor: int = 0

    @property
    def unconfirmed_base_minor(self) -> int:
        return self.amount_base_minor - self.confirmed_base_minor

    @property
    def share_amount_bp(self) -> int:
        return share_bp(self.confirmed_base_minor, self.amount_base_minor)

    @property
    def share_customers_bp(self) -> int:
        return share_bp(self.confirmed_customers, self.customers)

    @property
    def currency(self) -> str:
        return BASE_CURRENCY

    def add(self, balance: int, confirmed: bool) -> None:
        self.customers += 1
        self.amount_base_minor += balance
        if confirmed:
            self.confirmed_customers += 1
            self.confirmed_base_minor += balance


@dataclass
class UnconfirmedRow:
    customer_id: int
    code: str
    name: str
    salesperson: str
    region: str
    balance_base_minor: int
    confirmation_status: str  # "" when no letter was prepared for the period
    confirmation_id: int | None

    @property
    def currency(self) -> str:
        return BASE_CURRENCY

    @property
    def region_label(self) -> str:
        return str(Region(self.region).label) if self.region in Region.values else self.region

    @property
    def status_label(self) -> str:
        if not self.confirmation_status:
            return _("No letter")
        return str(ConfirmationStatus(self.confirmation_status).label)


@dataclass
class Coverage:
    period_end: date
    total: CoverageGroup
    by_salesperson: list[CoverageGroup] = field(default_factory=list)
    by_region: list[CoverageGroup] = field(default_factory=list)
    unconfirmed: list[UnconfirmedRow] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return BASE_CURRENCY


def coverage_default_period() -> date:
    """The latest period end a confirmation was prepared for, else the end of the last month."""
    latest = Confirmation.objects.aggregate(latest=Max("period_end"))["latest"]
    return latest or timezone.localdate().replace(day=1) - timedelta(days=1)


def coverage_periods() -> list[date]:
    """Every period end confirmations were prepared for, newest first (the page's choice)."""
    return list(Confirmation.objects.order_by("-period_end").values_list("period_end", flat=True).distinct()[:60])


def confirmation_coverage(*, user: Viewer, period_end: date, salesperson_id: int | None = None,
                          region: str = "") -> Coverage:
    """The coverage of ``period_end`` over the customers ``user`` may see (a salesperson: their own), narrowed to
    a salesperson or a region when asked."""
    customers = customers_visible_to(user)
    if salesperson_id:
        customers = customers.filter(salesperson_id=salesperson_id)
    if region:
        customers = customers.filter(region=region)
    balances = base_balance_by_customer(period_end, customer_ids=customers.values("pk"))
    letters = {row["customer_id"]: (row["status"], row["pk"]) for row in Confirmation.objects.filter(
        period_end=period_end, customer__in=customers.values("pk")).exclude(
        status=ConfirmationStatus.SUPERSEDED).values("customer_id", "status", "pk")}
    total = CoverageGroup("", _("All customers"))
    people: dict[str, CoverageGroup] = {}
    regions: dict[str, CoverageGroup] = {}
    region_labels = {value: str(label) for value, label in Region.choices}
    nobody = _("No salesperson")
    unconfirmed = []
    rows = customers.values_list("pk", "code", "name", "region", "salesperson_id", "salesperson__username",
                                 "salesperson__first_name", "salesperson__last_name")
    for pk, code, name, region_code, person_id, username, first, last in rows.order_by().iterator(chunk_size=5000):
        balance = balances.get(pk, 0)
        if balance <= 0:
            continue
        status, letter_id = letters.get(pk, ("", None))
        confirmed = status == ConfirmationStatus.CONFIRMED
        key = str(person_id or "")
        group = people.get(key)
        if group is None:
            group = people[key] = CoverageGroup(key, f"{last}{first}".strip() or username or nobody)
        group.add(balance, confirmed)
        total.add(balance, confirmed)
        area = regions.get(region_code)
        if area is None:
            area = regions[region_code] = CoverageGroup(region_code, region_labels.get(region_code, region_code))
        area.add(balance, confirmed)
        if not confirmed:
            unconfirmed.append(UnconfirmedRow(pk, code, name, group.label, region_code, balance, status, letter_id))
    unconfirmed.sort(key=lambda r: (-r.balance_base_minor, r.code))
    order = lambda g: (-g.amount_base_minor, g.label)  # noqa: E731 - the one order of both breakdowns
    return Coverage(period_end, total, sorted(people.values(), key=order), sorted(regions.values(), key=order),
                    unconfirmed)
