"""Reads of limitation periods. The published interface (Interface B of issue 14):

    arms.limitation.selectors.limitation_state(invoice) -> LimitationState
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from arms.common.errors import NotFound
from arms.customers.models import Customer
from arms.customers.selectors import customers_visible_to
from arms.domain.limitation import DEFAULT_ALERT_DAYS, DEFAULT_PERIOD_YEARS, clock_for, clock_status
from arms.ledger.models import Invoice
from arms.limitation.enums import Status
from arms.limitation.models import LimitationClock, LimitationInterruption, LimitationSettings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Viewer = User | AnonymousUser


@dataclass(frozen=True, slots=True)
class LimitationState:
    """An invoice's limitation clock as of today."""

    start: date
    last_interruption: date | None
    expires_on: date
    status: str
    days_left: int

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def settings_or_default(company_id: int) -> tuple[int, list[int]]:
    """(period years, alert days) of the company, the defaults while it has no settings row (nothing written)."""
    row = LimitationSettings.objects.filter(company_id=company_id).values_list("period_years", "alert_days").first()
    return (row[0], list(row[1])) if row else (DEFAULT_PERIOD_YEARS, list(DEFAULT_ALERT_DAYS))


def limitation_state(invoice: Invoice, *, today: date | None = None) -> LimitationState:
    """The invoice's clock computed now from its due date, interruptions and open amount (so it is right even
    before the daily refresh has stored it): two small queries."""
    today = today or timezone.localdate()
    years, alert_days = settings_or_default(invoice.company_id)
    last = LimitationInterruption.objects.filter(invoice=invoice).aggregate(last=Max("date"))["last"]
    clock = clock_for(invoice.due_date, () if last is None else (last,), years=years)
    status = clock_status(clock.expires_on, today, open_=invoice.amount_open_minor > 0, alert_days=alert_days)
    return LimitationState(start=clock.start, last_interruption=last, expires_on=clock.expires_on,
                           status=status.value, days_left=(clock.expires_on - today).days)


def clock_get(invoice: Invoice) -> LimitationClock | None:
    """The stored clock of the invoice, if the refresh has written one."""
    return LimitationClock.objects.filter(invoice=invoice).first()


#: the list's filters: "open" is every claim still owed (running, expiring, expired)
LIST_FILTERS = ("open", "expiring", "expired", "running", "stopped", "all")


def claim_list(*, user: Viewer, status: str = "open", within_days: int | None = None, collector_id: int | None = None,
               customer_id: int | None = None, search: str = "") -> QuerySet[LimitationClock]:
    """Claims by expiry, soonest first, of the customers the user may see."""
    qs = LimitationClock.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "invoice", "customer", "customer__collector")
    if status == "open":
        qs = qs.exclude(status=Status.STOPPED)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if within_days is not None:
        qs = qs.filter(expires_on__lte=timezone.localdate() + timedelta(days=within_days))
    if collector_id:
        qs = qs.filter(customer__collector_id=collector_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if search:
        qs = qs.filter(Q(customer__code__icontains=search) | Q(customer__name__icontains=search)
                       | Q(invoice__number__icontains=search))
    return qs.order_by("expires_on", "invoice_id")


def claim_get(*, user: Viewer, invoice_id: int) -> Invoice:
    """An invoice the user may see (its clock may not be stored yet); another customer's is "not found"."""
    found = (Invoice.objects.filter(pk=invoice_id, customer__in=customers_visible_to(user))
             .select_related("customer", "customer__collector", "company").first())
    if found is None:
        raise NotFound(f"invoice {invoice_id} not found", field="invoice_id")
    return found


def interruption_chain(invoice: Invoice) -> QuerySet[LimitationInterruption]:
    """The invoice's interruptions in the order they happened, with their evidence and who recorded them."""
    return (LimitationInterruption.objects.filter(invoice=invoice)
            .select_related("evidence", "recorded_by").order_by("date", "id"))


def interruption_get(*, user: Viewer, interruption_id: int) -> LimitationInterruption:
    found: LimitationInterruption | None = (
        LimitationInterruption.objects.filter(pk=interruption_id, customer__in=customers_visible_to(user))
        .select_related("evidence").first())
    if found is None:
        raise NotFound(f"interruption {interruption_id} not found", field="interruption_id")
    return found


def customer_get(*, user: Viewer, customer_id: int) -> Customer:
    found = customers_visible_to(user).filter(pk=customer_id).select_related("collector").first()
    if found is None:
        raise NotFound(f"customer {customer_id} not found", field="customer_id")
    return found


def collectors() -> QuerySet[Any]:
    """People who are some customer's collector (the list's collector filter)."""
    return (get_user_model().objects.filter(collector_customers__isnull=False).distinct()
            .order_by("last_name", "first_name", "username"))


def open_invoices(customer: Customer) -> QuerySet[Invoice]:
    """The customer's open invoices, oldest due first (the record form's choices)."""
    return Invoice.objects.filter(customer=customer, amount_open_minor__gt=0).order_by("due_date", "pk")


def write_off_link(invoice: Invoice) -> str:
    """The write-off request form prefilled for an expired claim (the write-offs app builds that page; a fixed
    address between helpers, so it is written out rather than reversed)."""
    return "/write-offs/new/?" + urlencode({"customer": invoice.customer_id, "invoice": invoice.pk,
                                            "reason": "limitation_expired"})
