"""The one registry through which a lower layer asks the apps built on it before (or while) it acts.

The stack is fixed (ADR 0006): every app is always installed. The registry exists so that imports point down,
not so that an app may be missing. The foundation must not import the credit check, yet every document that
raises a customer's exposure has to pass it under the customer's row lock; credit must not import cases, yet
its scorecard counts disputes and broken promises. So the lower layer runs a named event here and the app
above registers for it in its ``AppConfig.ready()``:

    hooks.register(hooks.EXPOSURE_INCREASE, "exposure.credit_check", credit_enforce)   # arms.exposure.apps
    hooks.run(hooks.EXPOSURE_INCREASE, customer=locked, amount_minor=gross, currency="CNY",
              document_kind="invoice", document_ref=number, user=actor)              # arms.ledger, arms.contracts

``run`` calls every registered callable in registration order with the keyword arguments given and
returns their results; a callable refuses by raising an ``ArmsError`` (the credit check raises
``Conflict(code=ErrorCode.CREDIT_BLOCKED)``), which rolls back the caller's transaction.

Every event is a constant here with a ``Protocol`` that says what its callables take and return; registering
for an event not listed is an error, so a misspelt name fails at start-up, not silently at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol, overload

EXPOSURE_INCREASE = "exposure.increase"
EXPOSURE_INCREASE_MANY = "exposure.increase_many"
TRADE_HISTORY = "credit.trade_history"
AUDIT_VERIFY = "audit.verify"
LEDGER_CHECKS = "ledger.checks"
BUNDLE_SECTIONS = "cases.bundle_sections"
LETTER_ISSUER = "dunning.letter_issuer"
CHARGES_WAIVED = "dunning.charges_waived"
LEGAL_SUMMARY = "cases.legal_summary"
PAYMENT_OUTLOOK = "ledger.payment_outlook"
DISCOUNT_TERMS = "ledger.discount_terms"
DISCOUNT_TERMS_MANY = "ledger.discount_terms_many"


class ExposureIncrease(Protocol):
    """``exposure.increase``: a document is about to raise ``customer``'s exposure (the caller holds the customer
    row lock); raise an ``ArmsError`` to refuse it. Registered by exposure (the credit check).
    ``payment_terms_days``: the days from the document's date to its due date (an invoice) or its payment terms
    (a contract), for the rule that terms longer than the customer's grade allows are refused."""

    def __call__(self, *, customer: Any, amount_minor: int, currency: str, document_kind: str, document_ref: str,
                 user: Any, contract: Any = None, payment_terms_days: int | None = None) -> Any: ...


@dataclass(frozen=True)
class ExposureDocument:
    """One document of ``exposure.increase_many``: the keyword arguments ``exposure.increase`` takes, with the
    invoice's ``due_date`` and ``row``, the caller's own number for it (a refusal names it in ``details["index"]``)."""

    customer: Any
    amount_minor: int
    currency: str
    document_kind: str
    document_ref: str
    contract: Any = None
    payment_terms_days: int | None = None
    due_date: date | None = None
    row: int | None = None


class ExposureIncreaseMany(Protocol):
    """``exposure.increase_many``: many documents are about to raise their customers' exposure, in list order (the
    caller holds every customer's row lock); raise an ``ArmsError`` to refuse the first refused one. Returns the
    positions it checked; the caller runs ``exposure.increase`` for each of the others, one at a time after the
    ones before it are written. Registered by exposure (the batched credit check)."""

    def __call__(self, *, documents: list[ExposureDocument], user: Any) -> set[int]: ...


class TradeHistory(Protocol):
    """``credit.trade_history``: counts the scorecard reads that credit cannot see, per customer as of a day,
    ``{customer_id: {"dispute_count": n, "broken_promises": n}}`` (missing keys count as 0). Registered by cases."""

    def __call__(self, *, customer_ids: list[int], as_of: date) -> dict[int, dict[str, int]]: ...


class AuditVerify(Protocol):
    """``audit.verify``: after the audit chain holds, recompute the seals of the rows an app sealed into events and
    return an ``arms.audit.services.SealReport``. Registered by the ledger (journal entry lines)."""

    def __call__(self) -> Any: ...


class LedgerChecks(Protocol):
    """``ledger.checks``: more invariants for ``arms ledger check``, as ``(code, description, sql)`` tuples whose SQL
    returns the offending rows (none when the invariant holds). Registered by provisioning (the allowance 1231)."""

    def __call__(self) -> list[tuple[str, str, str]]: ...


@dataclass(frozen=True)
class BundleSection:
    """A part of a customer's evidence bundle that an app above cases adds: a table (written as ``<name>.csv`` and
    printed in the PDF index under ``title``) and its files (``(path in the ZIP, content)``)."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    files: list[tuple[str, bytes]] = field(default_factory=list)


class BundleSections(Protocol):
    """``cases.bundle_sections``: more sections for ``customer``'s evidence bundle made on ``as_of``, as
    ``BundleSection``s. Registered by limitation (each claim's limitation chain with its evidence)."""

    def __call__(self, *, customer: Any, as_of: date) -> list[BundleSection]: ...


class LetterIssuer(Protocol):
    """``dunning.letter_issuer``: who issues ``company``'s lawyer's letters, as a dict: ``{"mode": "law_firm",
    "firm": .., "lawyer": .., "licence": .., "address": .., "phone": ..}`` or ``{"mode": "own_legal"}`` (the
    company's legal department: the letter is titled 催告函). Registered by legal (its settings page)."""

    def __call__(self, *, company: Any) -> dict[str, str]: ...


class ChargesWaived(Protocol):
    """``dunning.charges_waived``: of ``invoice_ids``, those whose late interest and penalty were waived by an
    approved settlement (letters and runs then charge none). Registered by legal (settlements)."""

    def __call__(self, *, invoice_ids: list[int]) -> set[int]: ...


class LegalSummary(Protocol):
    """``cases.legal_summary``: the legal cases of a customer for its collections case page, as dicts ``{"title",
    "detail", "url"}`` (empty when ``user`` may not see them). Registered by legal."""

    def __call__(self, *, customer_id: int, user: Any) -> list[dict[str, str]]: ...


class PaymentOutlook(Protocol):
    """``ledger.payment_outlook``: the predicted payment dates of ``invoice_ids`` (a page of them, never a whole
    book), as ``{invoice_id: {"p50": date, "p90": date, "method": str, "method_label": str}}``; an invoice with no
    prediction is left out. Shown on the invoice page, the collections case page and the worklist. Registered by
    prediction."""

    def __call__(self, *, invoice_ids: list[int]) -> dict[int, dict[str, Any]]: ...


class DiscountTerms(Protocol):
    """``ledger.discount_terms``: the early-payment discount ``customer``'s credit policy grants on a new invoice, as
    ``(basis points of the gross, days from the issue date)`` (``(200, 10)`` for 2/10), or ``None`` for none. The
    invoice's contract, when it has a discount of its own, takes precedence. Registered by credit (the profile)."""

    def __call__(self, *, customer: Any) -> tuple[int, int] | None: ...


class DiscountTermsMany(Protocol):
    """``ledger.discount_terms_many``: ``ledger.discount_terms`` for many customers in one read (the bulk path), as
    ``{customer_id: (basis points, days)}``; a customer with no discount is left out. Registered by credit."""

    def __call__(self, *, customer_ids: list[int]) -> dict[int, tuple[int, int]]: ...


#: every event and the shape of its callables
EVENTS: dict[str, type] = {
    EXPOSURE_INCREASE: ExposureIncrease, EXPOSURE_INCREASE_MANY: ExposureIncreaseMany,
    TRADE_HISTORY: TradeHistory, AUDIT_VERIFY: AuditVerify,
    LEDGER_CHECKS: LedgerChecks, BUNDLE_SECTIONS: BundleSections, LETTER_ISSUER: LetterIssuer,
    CHARGES_WAIVED: ChargesWaived, LEGAL_SUMMARY: LegalSummary, PAYMENT_OUTLOOK: PaymentOutlook,
    DISCOUNT_TERMS: DiscountTerms, DISCOUNT_TERMS_MANY: DiscountTermsMany,
}

_registry: dict[str, dict[str, Callable[..., Any]]] = {}


@overload
def register(event: Literal["exposure.increase"], name: str, fn: ExposureIncrease) -> None: ...
@overload
def register(event: Literal["exposure.increase_many"], name: str, fn: ExposureIncreaseMany) -> None: ...
@overload
def register(event: Literal["credit.trade_history"], name: str, fn: TradeHistory) -> None: ...
@overload
def register(event: Literal["audit.verify"], name: str, fn: AuditVerify) -> None: ...
@overload
def register(event: Literal["ledger.checks"], name: str, fn: LedgerChecks) -> None: ...
@overload
def register(event: Literal["cases.bundle_sections"], name: str, fn: BundleSections) -> None: ...
@overload
def register(event: Literal["dunning.letter_issuer"], name: str, fn: LetterIssuer) -> None: ...
@overload
def register(event: Literal["dunning.charges_waived"], name: str, fn: ChargesWaived) -> None: ...
@overload
def register(event: Literal["cases.legal_summary"], name: str, fn: LegalSummary) -> None: ...
@overload
def register(event: Literal["ledger.payment_outlook"], name: str, fn: PaymentOutlook) -> None: ...
@overload
def register(event: Literal["ledger.discount_terms"], name: str, fn: DiscountTerms) -> None: ...
@overload
def register(event: Literal["ledger.discount_terms_many"], name: str, fn: DiscountTermsMany) -> None: ...
def register(event: str, name: str, fn: Callable[..., Any]) -> None:
    """Register ``fn`` for ``event`` under ``name``; registering a name again replaces it (ready() may rerun)."""
    if event not in EVENTS:
        raise LookupError(f"unknown hook event {event!r}; the events are {sorted(EVENTS)}")
    _registry.setdefault(event, {})[name] = fn


def registered(event: str) -> list[str]:
    """The names registered for ``event``, in the order they run."""
    return list(_registry.get(event, {}))


def run(event: str, **kwargs) -> list[Any]:
    """Call every callable registered for ``event`` with ``kwargs``; their results, in order."""
    if event not in EVENTS:
        raise LookupError(f"unknown hook event {event!r}; the events are {sorted(EVENTS)}")
    return [fn(**kwargs) for fn in list(_registry.get(event, {}).values())]
