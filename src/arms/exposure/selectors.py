"""Reads of exposure, holds and overrides.

Exposure (信用敞口) of a customer, in the currency of its credit limit, is the sum of three components,
each one aggregate query grouped by currency:

- open receivables: the open amount of every posted invoice;
- contracts not yet invoiced: for each active contract, its amount minus the gross of the invoices billed
  against it (never below zero);
- acceptance bills not yet matured: the allocated part of every posted payment by bank or commercial
  acceptance bill (承兑汇票) whose maturity date is after the day of the check. Such a payment settled
  invoices, but the money comes only when the bill matures, so the risk remains until then.

Amounts in another currency are converted through CNY at the latest rate on or before the day of the check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from arms.contracts.models import Contract, ContractStatus
from arms.credit.selectors import credit_profile_get, guarantees_in_force
from arms.customers.selectors import customers_visible_to
from arms.domain import exposure as rules
from arms.domain.money import BASE_CURRENCY, divide_half_up, from_base_minor
from arms.exposure.models import (
    DEFAULT_GUARANTEE_WARN_DAYS,
    DEFAULT_UNRATED_LIMIT_MINOR,
    CreditControlSettings,
    CreditHold,
    CreditOverride,
    OverrideStatus,
)
from arms.ledger.enums import BILL_METHODS, PaymentStatus
from arms.ledger.models import Invoice, Payment
from arms.ledger.services.fx import exchange_rate_on, to_base
from arms.ledger.small_balances import residue_q

if TYPE_CHECKING:
    from arms.common.typing import Viewer
    from arms.credit.models import CreditProfile
    from arms.customers.models import Customer


def credit_profile_of(customer: Customer) -> CreditProfile | None:
    """The customer's CreditProfile (from the credit app), or None when it has none."""
    return credit_profile_get(customer)


def convert_between(minor: int, source: str, target: str, *, on: date) -> int:
    """``minor`` units of ``source`` in ``target`` (through CNY at the latest rates on or before ``on``)."""
    if source == target or minor == 0:
        return minor
    base = to_base(minor, source, exchange_rate_on(source, on))
    if target == BASE_CURRENCY:
        return base
    return from_base_minor(base, target, exchange_rate_on(target, on))


def _in_currency(rows: Iterable[tuple[str, int | None]], currency: str, on: date) -> int:
    return sum(convert_between(total or 0, cur, currency, on=on) for cur, total in rows)


@dataclass(frozen=True)
class ExposureBreakdown:
    customer_id: int
    currency: str
    as_of: date
    open_receivables_minor: int
    uninvoiced_contracts_minor: int
    unmatured_bills_minor: int
    limit_minor: int | None = None
    warn_share_bp: int = 9000
    by_currency: dict[str, int] = field(default_factory=dict)

    @property
    def total_minor(self) -> int:
        return self.open_receivables_minor + self.uninvoiced_contracts_minor + self.unmatured_bills_minor

    @property
    def available_minor(self) -> int | None:
        return None if self.limit_minor is None else max(0, self.limit_minor - self.total_minor)

    @property
    def used_bp(self) -> int | None:
        """Exposure as a share of the limit in basis points (10,000 = the whole limit); None without a limit."""
        if self.limit_minor is None:
            return None
        if self.limit_minor <= 0:
            return 10_000 if self.total_minor == 0 else 99_999
        return self.total_minor * 10_000 // self.limit_minor


def open_receivables_by_currency(customer_id: int) -> list[tuple[str, int]]:
    return list(
        Invoice.objects.filter(customer_id=customer_id, amount_open_minor__gt=0)
        .values("currency").annotate(total=Sum("amount_open_minor")).values_list("currency", "total")
    )


def contract_invoiced_subquery() -> Subquery:
    return Subquery(
        Invoice.objects.filter(contract=OuterRef("pk")).values("contract")
        .annotate(total=Sum("gross_minor")).values("total")[:1]
    )


def uninvoiced_contracts_by_currency(customer_id: int) -> list[tuple[str, int]]:
    return list(
        Contract.objects.filter(customer_id=customer_id, status=ContractStatus.ACTIVE)
        .annotate(uninvoiced=Greatest(F("amount_minor") - Coalesce(contract_invoiced_subquery(), Value(0)),
                                      Value(0)))
        .values("currency").annotate(total=Sum("uninvoiced")).values_list("currency", "total")
    )


def contract_uninvoiced_minor(contract_id: int) -> int:
    """What an active contract has left to invoice (0 for a contract that is not active)."""
    row = (
        Contract.objects.filter(pk=contract_id, status=ContractStatus.ACTIVE)
        .annotate(uninvoiced=Greatest(F("amount_minor") - Coalesce(contract_invoiced_subquery(), Value(0)),
                                      Value(0)))
        .values_list("uninvoiced", flat=True).first()
    )
    return row or 0


@dataclass(frozen=True)
class ContractInvoicing:
    """What the credit check reads of a contract an invoice bills: what it has left to invoice
    (``contract_uninvoiced_minor``) and whether an invoice was posted on it yet (``contract_is_first_invoice``),
    with its customer and currency (the exposure component its rest counts in). ``after`` advances it in memory by
    a new invoice exactly as reading it again after writing the invoice would."""

    customer_id: int
    currency: str
    active: bool
    uninvoiced_minor: int
    invoiced: bool

    def after(self, gross_minor: int) -> ContractInvoicing:
        """The contract after an invoice of ``gross_minor`` on it (the query sums the invoices' gross amounts)."""
        return replace(self, invoiced=True,
                       uninvoiced_minor=max(0, self.uninvoiced_minor - gross_minor) if self.active else 0)


def contracts_invoicing_many(contract_ids: Iterable[int]) -> dict[int, ContractInvoicing]:
    """``ContractInvoicing`` of many contracts in one query (the same sums ``contract_uninvoiced_minor`` takes)."""
    found: dict[int, ContractInvoicing] = {}
    for pk, customer_id, currency, status, amount, invoiced, has_invoice in (
        Contract.objects.filter(pk__in=list(contract_ids)).order_by()
        .annotate(invoiced=Coalesce(contract_invoiced_subquery(), Value(0)),
                  has_invoice=Exists(Invoice.objects.filter(contract=OuterRef("pk"))))
        .values_list("pk", "customer_id", "currency", "status", "amount_minor", "invoiced", "has_invoice")
    ):
        active = status == ContractStatus.ACTIVE
        found[pk] = ContractInvoicing(customer_id=customer_id, currency=currency, active=active,
                                      uninvoiced_minor=max(0, amount - invoiced) if active else 0,
                                      invoiced=bool(has_invoice))
    return found


def unmatured_bills_by_currency(customer_id: int, *, as_of: date) -> list[tuple[str, int]]:
    return list(
        Payment.objects.filter(customer_id=customer_id, method__in=list(BILL_METHODS), status=PaymentStatus.POSTED,
                               bill_maturity_date__gt=as_of)
        .values("currency").annotate(total=Sum(F("amount_minor") - F("amount_unallocated_minor")))
        .values_list("currency", "total")
    )


def warn_share_bp(profile: CreditProfile | None = None) -> int:
    """Share of the limit above which a document warns, in basis points: the profile's, else the setting, else 90%."""
    value = getattr(profile, "warn_share_bp", None) if profile is not None else None
    if value is None:
        return int(getattr(settings, "ARMS_CREDIT_WARN_SHARE_BP", rules.DEFAULT_WARN_SHARE_BP))
    return int(value)


@dataclass(frozen=True)
class ExposureRows:
    """A customer's exposure as read, per component and document currency (not converted): what
    ``exposure_breakdown`` converts, and what the batched credit check advances in memory document by document."""

    receivables: tuple[tuple[str, int], ...]
    contracts: tuple[tuple[str, int], ...]
    bills: tuple[tuple[str, int], ...]

    def with_receivable(self, currency: str, amount_minor: int) -> ExposureRows:
        """The rows after a new invoice open for ``amount_minor`` ``currency`` (the query counts only open ones)."""
        if amount_minor <= 0:
            return self
        return replace(self, receivables=_add_to(self.receivables, currency, amount_minor))

    def with_contract_invoiced(self, currency: str, relieved_minor: int) -> ExposureRows:
        """The rows after an invoice took ``relieved_minor`` off an active contract's rest in ``currency``."""
        if relieved_minor <= 0:
            return self
        return replace(self, contracts=_add_to(self.contracts, currency, -relieved_minor))


def _add_to(rows: tuple[tuple[str, int], ...], currency: str, amount_minor: int) -> tuple[tuple[str, int], ...]:
    if any(code == currency for code, _total in rows):
        return tuple((code, (total or 0) + amount_minor if code == currency else total) for code, total in rows)
    return (*rows, (currency, amount_minor))


def exposure_rows(customer_id: int, *, as_of: date) -> ExposureRows:
    """The three exposure sums of a customer (open receivables, uninvoiced contracts, unmatured bills) by currency."""
    return exposure_rows_many([customer_id], as_of=as_of)[customer_id]


def exposure_rows_many(customer_ids: Iterable[int], *, as_of: date) -> dict[int, ExposureRows]:
    """``exposure_rows`` of many customers in one query: the three grouped sums (grouped by customer too) as
    ``UNION ALL``, each row tagged with its component (the credit check reads them once per bulk call)."""
    ids = list(customer_ids)
    if not ids:
        return {}
    columns = ("customer_id", "currency", "total", "component")
    queries = [
        Invoice.objects.filter(customer_id__in=ids, amount_open_minor__gt=0)
        .values("customer_id", "currency").annotate(total=Sum("amount_open_minor")),
        Contract.objects.filter(customer_id__in=ids, status=ContractStatus.ACTIVE)
        .annotate(uninvoiced=Greatest(F("amount_minor") - Coalesce(contract_invoiced_subquery(), Value(0)),
                                      Value(0)))
        .values("customer_id", "currency").annotate(total=Sum("uninvoiced")),
        Payment.objects.filter(customer_id__in=ids, method__in=list(BILL_METHODS), status=PaymentStatus.POSTED,
                               bill_maturity_date__gt=as_of)
        .values("customer_id", "currency").annotate(total=Sum(F("amount_minor") - F("amount_unallocated_minor"))),
    ]
    first, *rest = [query.annotate(component=Value(n)).order_by().values_list(*columns)
                    for n, query in enumerate(queries)]
    parts: list[dict[int, list[tuple[str, int]]]] = [defaultdict(list) for _query in queries]
    for customer_id, currency, total, component in first.union(*rest, all=True):
        parts[component][customer_id].append((currency, total))
    receivables, contracts, bills = parts
    return {pk: ExposureRows(tuple(receivables[pk]), tuple(contracts[pk]), tuple(bills[pk])) for pk in ids}


def breakdown_of(customer: Customer, rows: ExposureRows, *, as_of: date, profile: CreditProfile | None,
                 currency: str | None = None) -> ExposureBreakdown:
    """``rows`` in the limit's currency (else ``currency``, else the customer's), by component."""
    limit = getattr(profile, "limit_minor", None) if profile is not None else None
    cur = (getattr(profile, "currency", "") if profile is not None else "") or currency or customer.currency
    by_currency: dict[str, int] = {}
    for component in (rows.receivables, rows.contracts, rows.bills):
        for code, total in component:
            by_currency[code] = by_currency.get(code, 0) + (total or 0)
    return ExposureBreakdown(
        customer_id=customer.pk, currency=cur, as_of=as_of,
        open_receivables_minor=_in_currency(rows.receivables, cur, as_of),
        uninvoiced_contracts_minor=_in_currency(rows.contracts, cur, as_of),
        unmatured_bills_minor=_in_currency(rows.bills, cur, as_of),
        limit_minor=limit, warn_share_bp=warn_share_bp(profile), by_currency=by_currency,
    )


def exposure_breakdown(customer: Customer, *, as_of: date | None = None, profile: CreditProfile | None = None,
                       currency: str | None = None) -> ExposureBreakdown:
    """The customer's exposure by component, in the limit's currency (else ``currency``, else the customer's)."""
    as_of = as_of or timezone.localdate()
    profile = profile if profile is not None else credit_profile_of(customer)
    return breakdown_of(customer, exposure_rows(customer.pk, as_of=as_of), as_of=as_of, profile=profile,
                        currency=currency)


def exposure_by_customer(customer_ids: Iterable[int], *, as_of: date | None = None) -> dict[int, dict[str, int]]:
    """Exposure of many customers at once, per customer and document currency (not converted), in one
    query (three grouped sums): ``{customer_id: {"CNY": minor, ...}}``. For lists (credit files, analytics); one
    customer's figure in its limit's currency is ``exposure_breakdown``."""
    as_of = as_of or timezone.localdate()
    result: dict[int, dict[str, int]] = {}
    for pk, rows in exposure_rows_many(customer_ids, as_of=as_of).items():
        per = result.setdefault(pk, {})
        for component in (rows.receivables, rows.contracts, rows.bills):
            for currency, total in component:
                if total:
                    per[currency] = per.get(currency, 0) + total
    return result


@dataclass(frozen=True)
class OverdueFacts:
    total_minor: int
    items: int
    oldest_days: int


#: an overdue row as read: (currency, open total, items, oldest due date)
OverdueRow = tuple[str, int, int, date]


def overdue_rows(customer_id: int, *, days: int, as_of: date, min_minor: int = 0) -> tuple[OverdueRow, ...]:
    """The open items overdue ``days`` days or more on ``as_of`` with at least ``min_minor`` open (in the item's
    currency), by currency. Residues (a few yuan of bank charges left on a paid invoice,
    ``arms.ledger.small_balances``) are not counted: they never block."""
    return overdue_rows_many([customer_id], days=days, as_of=as_of, min_minor=min_minor)[customer_id]


def overdue_rows_many(customer_ids: Iterable[int], *, days: int, as_of: date, min_minor: int = 0
                      ) -> dict[int, tuple[OverdueRow, ...]]:
    """``overdue_rows`` of many customers (with the same block days and minimum) in one grouped query."""
    ids = list(customer_ids)
    cutoff = as_of - timedelta(days=days)
    found: dict[int, list[OverdueRow]] = defaultdict(list)
    for customer_id, currency, total, items, oldest in (
        Invoice.objects.filter(customer_id__in=ids, amount_open_minor__gt=0,
                               amount_open_minor__gte=min_minor, due_date__lte=cutoff)
        .exclude(residue_q(looked_up=True))  # thresholds looked up in the SQL: no query to read them first
        .values("customer_id", "currency")
        .annotate(total=Sum("amount_open_minor"), items=Count("pk"), oldest=Min("due_date"))
        .values_list("customer_id", "currency", "total", "items", "oldest")
    ):
        found[customer_id].append((currency, total, items, oldest))
    return {pk: tuple(found[pk]) for pk in ids}


def overdue_with_invoice(rows: tuple[OverdueRow, ...], *, currency: str, open_minor: int, due_date: date,
                         days: int, as_of: date, min_minor: int = 0) -> tuple[OverdueRow, ...]:
    """``rows`` after a new invoice open for its whole gross ``open_minor``, counted exactly as ``overdue_rows``
    would count it (a new invoice is never a residue: its open amount is its gross)."""
    if open_minor <= 0 or open_minor < min_minor or due_date > as_of - timedelta(days=days):
        return rows
    if any(code == currency for code, *_rest in rows):
        return tuple((code, total + open_minor, items + 1, min(oldest, due_date)) if code == currency
                     else (code, total, items, oldest) for code, total, items, oldest in rows)
    return (*rows, (currency, open_minor, 1, due_date))


def overdue_facts(rows: tuple[OverdueRow, ...], *, currency: str, as_of: date) -> OverdueFacts:
    """``rows`` in ``currency``: their total, count and the age of the oldest."""
    if not rows:
        return OverdueFacts(0, 0, 0)
    return OverdueFacts(
        total_minor=_in_currency([(c, t) for c, t, _n, _o in rows], currency, as_of),
        items=sum(n for _c, _t, n, _o in rows),
        oldest_days=(as_of - min(o for _c, _t, _n, o in rows)).days,
    )


def overdue_beyond(customer: Customer, *, days: int, as_of: date, currency: str, min_minor: int = 0) -> OverdueFacts:
    """Open items overdue ``days`` days or more on ``as_of`` with at least ``min_minor`` open (in the item's
    currency): their total (in ``currency``), count and the age of the oldest (``overdue_rows`` converted)."""
    return overdue_facts(overdue_rows(customer.pk, days=days, as_of=as_of, min_minor=min_minor), currency=currency,
                         as_of=as_of)


def prepaid_minor(customer: Customer, *, currency: str, as_of: date) -> int:
    """Unapplied cash (预收) of the customer, in ``currency``: what a prepayment-only customer has paid ahead."""
    rows = (Payment.objects.filter(customer_id=customer.pk, status=PaymentStatus.POSTED,
                                   amount_unallocated_minor__gt=0)
            .exclude(method__in=list(BILL_METHODS), bill_maturity_date__gt=as_of)
            .values("currency").annotate(total=Sum("amount_unallocated_minor")).values_list("currency", "total"))
    return _in_currency(list(rows), currency, as_of)


# ---------------------------------------------------------------- holds


def holds_active(customer: Customer | int) -> QuerySet[CreditHold]:
    """The customer's active holds, oldest first (any one of them blocks the credit check)."""
    customer_id = customer if isinstance(customer, int) else customer.pk
    return CreditHold.objects.filter(customer_id=customer_id, active=True).order_by("placed_at", "pk")


def holds_active_many(customer_ids: Iterable[int]) -> dict[int, list[CreditHold]]:
    """``holds_active`` of many customers in one query, each customer's oldest first."""
    found: dict[int, list[CreditHold]] = defaultdict(list)
    for hold in CreditHold.objects.filter(customer_id__in=list(customer_ids), active=True).order_by("placed_at", "pk"):
        found[hold.customer_id].append(hold)
    return found


def holds_in_force(*, customers: QuerySet[Customer], as_of: date) -> QuerySet[CreditHold]:
    """The holds on ``customers`` that were in force at the close of ``as_of`` (Beijing time): placed by then and
    not released by then, whatever became of them later. For today it is the active holds."""
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    return (CreditHold.objects.filter(customer__in=customers, placed_at__lt=end)
            .filter(Q(released_at__isnull=True) | Q(released_at__gte=end)).order_by("placed_at", "pk"))


def hold_list(*, user: Viewer, customer_id: int | None = None, active: bool | None = None, reason_code: str = ""
              ) -> QuerySet[CreditHold]:
    qs = CreditHold.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "placed_by", "released_by")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if active is not None:
        qs = qs.filter(active=active)
    if reason_code:
        qs = qs.filter(reason_code=reason_code)
    return qs.order_by("-placed_at", "-pk")


# ---------------------------------------------------------------- overrides


def override_list(*, user: Viewer, customer_id: int | None = None, status: str = "") -> QuerySet[CreditOverride]:
    """Overrides the user may see; an approved one past its expiry is shown (and filtered) as expired."""
    now = timezone.now()
    qs = CreditOverride.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "requested_by", "decided_by")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status == OverrideStatus.EXPIRED:
        qs = qs.filter(Q(status=OverrideStatus.EXPIRED) | Q(status=OverrideStatus.APPROVED, expires_at__lte=now))
    elif status == OverrideStatus.APPROVED:
        qs = qs.filter(status=OverrideStatus.APPROVED, expires_at__gt=now)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-pk")


def override_status_now(override: CreditOverride, now: datetime | None = None) -> str:
    """The status as it stands now: an approved override past its expiry is expired even before the task runs."""
    if override.status == OverrideStatus.APPROVED and not override.is_usable(now):
        return OverrideStatus.EXPIRED
    return override.status


def override_usable_qs(*, customer_id: int, amount_minor: int, currency: str, document_kind: str,
                       document_ref: str, terms_days: int | None = None) -> QuerySet[CreditOverride]:
    """Approved, unexpired overrides that fit this document, the one expiring first first. ``terms_days``: the
    document asks for terms longer than the grade allows, so only a terms exception of at least that many days
    fits."""
    qs = CreditOverride.objects.all() if terms_days is None else CreditOverride.objects.filter(
        terms_days__gte=terms_days)
    return (
        qs.filter(
            customer_id=customer_id, status=OverrideStatus.APPROVED, expires_at__gt=timezone.now(),
            currency=currency, amount_minor__gte=amount_minor,
        )
        .filter(Q(document_kind="") | Q(document_kind=document_kind))
        .filter(Q(document_ref="") | Q(document_ref=document_ref))
        .order_by("expires_at", "pk")
    )


def customers_with_usable_override(customer_ids: Iterable[int]) -> set[int]:
    """Of ``customer_ids``, those with an approved, unexpired override (whatever it fits): a blocked document of
    theirs may consume one, so the batched credit check leaves them to the one-at-a-time check."""
    return set(CreditOverride.objects.filter(customer_id__in=list(customer_ids), status=OverrideStatus.APPROVED,
                                             expires_at__gt=timezone.now())
               .values_list("customer_id", flat=True).distinct())


# ---------------------------------------------------------------- deposits (保证金 / 预付款 before the first invoice)


def deposit_share_bp(contract: Contract) -> int:
    """The contract's deposit share in basis points: its own ``deposit_pct`` when set, else the customer's credit
    profile's (0 without a profile)."""
    pct = contract.deposit_pct
    if pct is None:
        profile = credit_profile_get(contract.customer)
        pct = profile.deposit_pct if profile is not None else None
    return int((pct or 0) * 100)


def deposit_received_minor(contract: Contract, *, as_of: date | None = None) -> int:
    """Deposits received for ``contract``: posted (not reversed) payments of its customer in its currency that
    name it, received on or before ``as_of`` (default today)."""
    as_of = as_of or timezone.localdate()
    total = (Payment.objects.filter(contract_id=contract.pk, customer_id=contract.customer_id,
                                    currency=contract.currency, status=PaymentStatus.POSTED,
                                    received_date__lte=as_of)
             .aggregate(total=Sum("amount_minor"))["total"])
    return int(total or 0)


def contract_deposit_status(contract: Contract, *, as_of: date | None = None) -> tuple[int, int, str]:
    """``(required_minor, received_minor, currency)`` of the contract's deposit: required = deposit share ×
    contract amount (half up), received = ``deposit_received_minor``. The first invoice on the contract is refused
    (``deposit_missing``) while received < required."""
    required = divide_half_up(contract.amount_minor * deposit_share_bp(contract), 10_000)
    return required, deposit_received_minor(contract, as_of=as_of), contract.currency


# ---------------------------------------------------------------- settings and guarantees


def default_unrated_policy() -> str:
    """The unrated policy of a company without a settings row: ``ARMS_CREDIT_UNRATED_POLICY`` if set, else
    ``limit`` (up to a small default limit until rated)."""
    value = getattr(settings, "ARMS_CREDIT_UNRATED_POLICY", None)
    return value if value in rules.UNRATED_POLICIES else rules.UNRATED_LIMIT


def control_settings(company_id: int) -> CreditControlSettings:
    """The company's credit-control settings; an unsaved row with the defaults when none was saved."""
    found = CreditControlSettings.objects.filter(company_id=company_id).first()
    if found is not None:
        return found
    return CreditControlSettings(company_id=company_id, unrated_policy=default_unrated_policy(),
                                 unrated_limit_minor=DEFAULT_UNRATED_LIMIT_MINOR,
                                 guarantee_warn_days=DEFAULT_GUARANTEE_WARN_DAYS)


def guarantee_held(customer_id: int, *, as_of: date) -> bool:
    """Whether the register holds a guarantee in force for the customer on ``as_of``."""
    return guarantees_in_force(customer_id, as_of=as_of).exists()


def contract_is_first_invoice(contract: Contract) -> bool:
    """No invoice was posted on the contract yet: the next one is its first."""
    return not Invoice.objects.filter(contract_id=contract.pk).exists()
