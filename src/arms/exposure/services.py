"""The credit check, credit holds and credit overrides.

``credit_check`` is the one decision for every document that raises a customer's exposure: the ledger's
invoice posting and ``contract_create`` reach it through the ``exposure.increase`` hook
(``arms.common.hooks``, registered in ``ExposureConfig.ready``) right after they lock the customer row, so
two documents posted at the same time for the same customer queue on that lock and the second one sees the
first one's exposure: together they cannot pass the limit. The ERP's ``POST /api/v1/credit/check`` asks the
same function without a document being written (a plain read, ``lock=False``).

A blocked document goes through only with an approved, unexpired ``CreditOverride`` that fits it; the first
such document consumes it (in its own transaction, so a document that fails later gives it back).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.approvals import require_second_person
from arms.common.bounds import MAX_MINOR
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed, money_message
from arms.common.locks import lock_customer, qs_for_update
from arms.common.notify import notify
from arms.credit.selectors import credit_profiles_for
from arms.credit.services.guarantees import guarantees_expiry_run
from arms.domain import exposure as rules
from arms.domain.money import MoneyError, check_currency, format_money
from arms.exposure.models import (
    CreditControlSettings,
    CreditHold,
    CreditOverride,
    DocumentKind,
    HoldReason,
    OverrideStatus,
    UnratedPolicy,
)
from arms.exposure.selectors import (
    ContractInvoicing,
    ExposureBreakdown,
    ExposureRows,
    OverdueRow,
    breakdown_of,
    contract_deposit_status,
    contract_is_first_invoice,
    contract_uninvoiced_minor,
    contracts_invoicing_many,
    control_settings,
    convert_between,
    customers_with_usable_override,
    exposure_rows_many,
    guarantee_held,
    holds_active,
    holds_active_many,
    overdue_facts,
    overdue_rows_many,
    overdue_with_invoice,
    override_usable_qs,
    prepaid_minor,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.hooks import ExposureDocument
    from arms.common.typing import Actor, JsonDict
    from arms.contracts.models import Contract
    from arms.credit.models import CreditProfile
    from arms.customers.models import Customer

DEFAULT_OVERDUE_BLOCK_DAYS = 90
DEFAULT_OVERDUE_BLOCK_MIN_MINOR = 100_00
DEFAULT_OVERRIDE_VALID_DAYS = 7
MAX_OVERRIDE_VALID_DAYS = 90
#: the longest payment terms a terms exception may allow (ten years)
MAX_TERMS_DAYS = 3650
MAX_GUARANTEE_WARN_DAYS = 365


# ---------------------------------------------------------------- the check


@dataclass
class CreditCheckResult:
    """What the credit check decided and why. Amounts of exposure and limit are in ``currency`` (the limit's)."""

    decision: str
    reasons: list[JsonDict]
    exposure_minor: int
    limit_minor: int | None
    available_minor: int | None
    currency: str
    amount_minor: int
    document_currency: str
    increase_minor: int
    exposure_after_minor: int
    grade: str = ""
    controlled: bool = False
    override_id: int | None = None
    breakdown: ExposureBreakdown | None = field(default=None, repr=False)

    @property
    def blocked(self) -> bool:
        return self.decision == rules.BLOCK

    def details(self) -> JsonDict:
        """The JSON the API shows beside a refusal (``error.details``) and returns from ``/credit/check``."""
        data = asdict(self)
        data.pop("breakdown")
        return data

    def summary(self) -> str:
        return " ".join(r["message"] for r in self.reasons)


def _money(minor: int | None, currency: str) -> str:
    return "—" if minor is None else format_money(minor, currency)


HOLD_LABELS = dict(HoldReason.choices)


def reason_message(reason: rules.Reason, currency: str) -> str:
    """The reason in words, in the user's language."""
    p: Mapping[str, Any] = reason.params
    if reason.code == "hold":
        text = _("Credit hold: %(reason)s") % {"reason": HOLD_LABELS.get(p["hold_reason"], p["hold_reason"])}
        return f"{text} ({p['note']})" if p.get("note") else text
    if reason.code == "unrated":
        if "limit_minor" in p:
            return _("The customer is not rated yet: held to the default limit of %(limit)s until rated.") % {
                "limit": _money(p["limit_minor"], currency)}
        return _("The customer has no credit limit yet (not under credit control).")
    if reason.code == "unrated_limit":
        return _("The customer is not rated yet: exposure would be %(after)s, over the default limit of %(limit)s "
                 "for unrated customers by %(excess)s (rule: unrated customers up to a small default limit).") % {
            "after": _money(p["exposure_after_minor"], currency), "limit": _money(p["limit_minor"], currency),
            "excess": _money(p["excess_minor"], currency)}
    if reason.code == "unrated_blocked":
        return _("The customer is not rated yet, and the credit policy refuses documents for unrated customers "
                 "(rule: unrated customers blocked until rated).")
    if reason.code == "terms_exceeded":
        return _("Payment terms of %(asked)s days are longer than the %(allowed)s days grade %(grade)s allows "
                 "(rule: terms by credit grade); an approved terms exception is needed.") % {
            "asked": p["terms_days"], "allowed": p["allowed_days"], "grade": p["grade"]}
    if reason.code == "guarantee_missing":
        return _("The credit policy requires a guarantee, and no guarantee in force is registered for the "
                 "customer (rule: guarantee required).")
    if reason.code == "deposit_missing":
        cur = str(p.get("deposit_currency") or currency)
        return _("The contract's first invoice needs its deposit of %(required)s; %(received)s has been received, "
                 "%(missing)s is missing (rule: deposit before the first invoice).") % {
            "required": _money(p["required_minor"], cur), "received": _money(p["received_minor"], cur),
            "missing": _money(p["missing_minor"], cur)}
    if reason.code == "grade_d":
        return _("Grade %(grade)s: prepayment only, and the prepaid cash (%(prepaid)s) does not cover the "
                 "document.") % {"grade": p["grade"], "prepaid": _money(p["prepaid_minor"], currency)}
    if reason.code == "overdue":
        return _("%(items)s item(s) overdue %(days)s days or more, %(amount)s in total (oldest %(oldest)s days).") % {
            "items": p["items"], "days": p["days"], "amount": _money(p["overdue_minor"], currency),
            "oldest": p["oldest_days"]}
    if reason.code == "limit_exceeded":
        return _("Exposure would be %(after)s, over the credit limit of %(limit)s by %(excess)s.") % {
            "after": _money(p["exposure_after_minor"], currency), "limit": _money(p["limit_minor"], currency),
            "excess": _money(p["excess_minor"], currency)}
    if reason.code == "near_limit":
        return _("Exposure would be %(after)s, above %(share)s%% of the credit limit of %(limit)s.") % {
            "after": _money(p["exposure_after_minor"], currency), "share": p["share_bp"] // 100,
            "limit": _money(p["limit_minor"], currency)}
    if reason.code == "override_used":
        return _("Let through by credit override #%(id)s.") % {"id": p["override_id"]}
    return reason.code


def _reason_dict(reason: rules.Reason, currency: str) -> JsonDict:
    return {"code": reason.code, "severity": reason.severity, "message": reason_message(reason, currency),
            **reason.params}


def _check_amount(amount_minor: int, currency: str) -> str:
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor < 0:
        raise ValidationFailed(_("The amount must be a whole number of minor units, not negative."),
                               field="amount_minor")
    try:
        return check_currency(currency)
    except MoneyError as exc:
        raise ValidationFailed(money_message(exc), field="currency") from exc


@transaction.atomic
def credit_check_confirm(*, customer: Customer, amount_minor: int, currency: str, document_kind: str,
                         document_ref: str = "", user: Actor = None, contract: Contract | None = None,
                         as_of: date | None = None, payment_terms_days: int | None = None) -> CreditCheckResult:
    """The credit check for a document the caller confirms now (``POST /credit/check`` with ``confirm``): the
    customer locked and a fitting override consumed, in its own transaction (ADR 0003: the edge opens none)."""
    return credit_check(customer=customer, amount_minor=amount_minor, currency=currency, document_kind=document_kind,
                        document_ref=document_ref, user=user, contract=contract, as_of=as_of, lock=True,
                        consume_override=True, payment_terms_days=payment_terms_days)


def credit_check(*, customer: Customer, amount_minor: int, currency: str, document_kind: str, document_ref: str = "",
                 user: Actor = None, lock: bool = True, contract: Contract | None = None, as_of: date | None = None,
                 consume_override: bool = False, payment_terms_days: int | None = None) -> CreditCheckResult:
    """Allow, warn or block a document of ``amount_minor`` ``currency`` for ``customer``, with the reasons.

    With ``lock`` (the default, for a document about to be written) the customer row is locked first and the
    caller must be inside a transaction; the exposure read afterwards is the one the document will add to.
    ``contract``: the contract an invoice bills, whose not-yet-invoiced rest is already counted as exposure,
    so the invoice adds only what goes beyond it; its first invoice waits for the contract's deposit.
    ``payment_terms_days``: the terms the document asks for, checked against the grade's. ``consume_override``:
    on a block, use (and mark used) an approved override that fits the document (a terms exception when the
    terms are too long); the result is then "allow", naming the override.

    It is the customer's facts read once (``customer_credit_facts``) and one document decided on them
    (``_credit_decide``), the same two steps ``credit_check_many`` takes for many documents.
    """
    currency = _check_amount(amount_minor, currency)
    if lock:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("credit_check(lock=True) must run inside the transaction that writes the document")
        customer = lock_customer(customer.pk)
    credit = customer_credit_facts(customer, as_of=as_of or timezone.localdate())
    facts, decided, breakdown = _credit_decide(credit, amount_minor=amount_minor, currency=currency,
                                               document_kind=document_kind, contract=contract,
                                               payment_terms_days=payment_terms_days)
    reasons = list(decided.reasons)
    decision = decided.decision
    override_id = None
    if decided.blocked and consume_override:
        terms_asked = payment_terms_days if any(r.code == "terms_exceeded" for r in reasons) else None
        override = qs_for_update(override_usable_qs(
            customer_id=customer.pk, amount_minor=amount_minor, currency=currency, document_kind=document_kind,
            document_ref=document_ref, terms_days=terms_asked)).first()
        if override is not None:
            _override_consume(override, document_kind=document_kind, document_ref=document_ref, actor=user,
                              reasons=[r.code for r in reasons])
            override_id = override.pk
            decision = rules.ALLOW
            reasons.append(rules.Reason("override_used", "info", {"override_id": override.pk}))
    return _check_result(facts, breakdown, decision=decision, reasons=reasons, amount_minor=amount_minor,
                         currency=currency, override_id=override_id)


@dataclass(frozen=True)
class CustomerCreditFacts:
    """What the credit check reads of a customer (on its locked row), before any document: the credit profile, the
    exposure and overdue items by currency (not converted), the holds and the policy in force. ``with_invoice``
    advances it in memory by a new invoice exactly as reading it again after writing the invoice would."""

    customer: Customer
    as_of: date
    profile: CreditProfile | None
    exposure: ExposureRows
    overdue: tuple[OverdueRow, ...]
    block_days: int
    block_min: int
    holds: tuple[rules.HoldFact, ...]
    unrated_policy: str
    unrated_limit_cny: int
    guarantee_held: bool | None

    @property
    def prepayment_only(self) -> bool:
        return bool(getattr(self.profile, "prepayment_only", False))

    def with_invoice(self, *, currency: str, gross_minor: int, due_date: date,
                     contract: tuple[str, int] | None = None) -> CustomerCreditFacts:
        """The facts after a new invoice open for its ``gross_minor``, due ``due_date``; ``contract``: the currency
        of the active contract it bills and what it took off that contract's rest."""
        exposure = self.exposure.with_receivable(currency, gross_minor)
        if contract is not None:
            exposure = exposure.with_contract_invoiced(*contract)
        return replace(self, exposure=exposure,
                       overdue=overdue_with_invoice(self.overdue, currency=currency, open_minor=gross_minor,
                                                    due_date=due_date, days=self.block_days, as_of=self.as_of,
                                                    min_minor=self.block_min))


def customer_credit_facts(customer: Customer, *, as_of: date) -> CustomerCreditFacts:
    """The facts of ``customer`` the credit check decides on, read once."""
    return customers_credit_facts([customer], as_of=as_of)[customer.pk]


def customers_credit_facts(customers: Sequence[Customer], *, as_of: date) -> dict[int, CustomerCreditFacts]:
    """``customer_credit_facts`` of many customers in a few grouped queries (profiles, the three exposure sums,
    overdue items per block days, holds, each company's settings), whatever their number."""
    ids = [customer.pk for customer in customers]
    profiles = {profile.customer_id: profile for profile in credit_profiles_for(ids)}
    blocks: dict[int, tuple[int, int]] = {}
    for pk in ids:
        profile = profiles.get(pk)
        block_min = getattr(profile, "overdue_block_min_minor", None)
        blocks[pk] = (getattr(profile, "overdue_block_days", None) or DEFAULT_OVERDUE_BLOCK_DAYS,
                      DEFAULT_OVERDUE_BLOCK_MIN_MINOR if block_min is None else block_min)
    overdue: dict[int, tuple[OverdueRow, ...]] = {}
    for days, block_min in set(blocks.values()):
        overdue.update(overdue_rows_many([pk for pk in ids if blocks[pk] == (days, block_min)], days=days,
                                         as_of=as_of, min_minor=block_min))
    exposure = exposure_rows_many(ids, as_of=as_of)
    holds = holds_active_many(ids)
    settings_of = {company_id: control_settings(company_id) for company_id in {c.company_id for c in customers}}
    facts = {}
    for customer in customers:
        profile = profiles.get(customer.pk)
        company_settings = settings_of[customer.company_id]
        facts[customer.pk] = CustomerCreditFacts(
            customer=customer, as_of=as_of, profile=profile, exposure=exposure[customer.pk],
            overdue=overdue[customer.pk], block_days=blocks[customer.pk][0], block_min=blocks[customer.pk][1],
            holds=tuple(rules.HoldFact(h.pk, h.reason_code, h.note, h.source_ref) for h in holds[customer.pk]),
            unrated_policy=company_settings.unrated_policy, unrated_limit_cny=company_settings.unrated_limit_minor,
            guarantee_held=(guarantee_held(customer.pk, as_of=as_of)
                            if profile is not None and profile.guarantee_required else None),
        )
    return facts


def _credit_decide(credit: CustomerCreditFacts, *, amount_minor: int, currency: str, document_kind: str,
                   contract: Contract | None, payment_terms_days: int | None,
                   contract_state: ContractInvoicing | None = None
                   ) -> tuple[rules.CreditFacts, rules.Decision, ExposureBreakdown]:
    """Decide one document of ``amount_minor`` ``currency`` (already checked) on the customer's ``credit`` facts.
    ``contract_state``: the ``contract``'s invoicing as the batched check advanced it (else read here)."""
    customer, profile, as_of = credit.customer, credit.profile, credit.as_of
    breakdown = breakdown_of(customer, credit.exposure, as_of=as_of, profile=profile, currency=currency)
    limit_currency = breakdown.currency
    increase_doc = amount_minor
    if contract is not None and document_kind == DocumentKind.INVOICE:
        uninvoiced = (contract_uninvoiced_minor(contract.pk) if contract_state is None
                      else contract_state.uninvoiced_minor)
        increase_doc = max(0, amount_minor - uninvoiced)
    increase = convert_between(increase_doc, currency, limit_currency, on=as_of)
    amount_in_limit = convert_between(amount_minor, currency, limit_currency, on=as_of)
    prepayment_only = credit.prepayment_only
    overdue = overdue_facts(credit.overdue, currency=limit_currency, as_of=as_of)
    facts = rules.CreditFacts(
        exposure_minor=breakdown.total_minor, increase_minor=increase, amount_minor=amount_in_limit,
        limit_minor=breakdown.limit_minor, prepayment_only=prepayment_only,
        grade=getattr(profile, "grade", "") or "",
        prepaid_minor=prepaid_minor(customer, currency=limit_currency, as_of=as_of) if prepayment_only else 0,
        overdue_minor=overdue.total_minor, overdue_items=overdue.items, oldest_overdue_days=overdue.oldest_days,
        overdue_block_days=credit.block_days, overdue_block_min_minor=credit.block_min,
        holds=credit.holds, warn_share_bp=breakdown.warn_share_bp,
        **_policy_facts(credit, contract=contract, document_kind=document_kind, limit_currency=limit_currency,
                        payment_terms_days=payment_terms_days, contract_state=contract_state),
    )
    return facts, rules.decide(facts), breakdown


def _check_result(facts: rules.CreditFacts, breakdown: ExposureBreakdown, *, decision: str,
                  reasons: list[rules.Reason], amount_minor: int, currency: str,
                  override_id: int | None = None) -> CreditCheckResult:
    limit_currency = breakdown.currency
    return CreditCheckResult(
        decision=decision, reasons=[_reason_dict(r, limit_currency) for r in reasons],
        exposure_minor=breakdown.total_minor, limit_minor=breakdown.limit_minor,
        available_minor=rules.available(breakdown.limit_minor, breakdown.total_minor), currency=limit_currency,
        amount_minor=amount_minor, document_currency=currency, increase_minor=facts.increase_minor,
        exposure_after_minor=facts.exposure_after_minor, grade=facts.grade, controlled=facts.controlled,
        override_id=override_id, breakdown=breakdown,
    )


def _policy_facts(credit: CustomerCreditFacts, *, contract: Contract | None, document_kind: str,
                  limit_currency: str, payment_terms_days: int | None,
                  contract_state: ContractInvoicing | None = None) -> dict[str, Any]:
    """The facts of the credit policy in force: the unrated policy, the grade's terms, the guarantee, the deposit."""
    profile, as_of = credit.profile, credit.as_of
    rated = profile is not None and bool(profile.grade)
    facts: dict[str, Any] = {
        "unrated_policy": credit.unrated_policy,
        "unrated_limit_minor": convert_between(credit.unrated_limit_cny, "CNY", limit_currency, on=as_of),
        "terms_days": payment_terms_days,
        "terms_allowed_days": profile.payment_terms_days if profile is not None and rated else None,
    }
    if credit.guarantee_held is not None:
        facts["guarantee_required"] = True
        facts["guarantee_held"] = credit.guarantee_held
    if contract is not None and document_kind == DocumentKind.INVOICE and (
            contract_is_first_invoice(contract) if contract_state is None else not contract_state.invoiced):
        required, received, currency = contract_deposit_status(contract, as_of=as_of)
        facts.update(deposit_required_minor=required, deposit_received_minor=received, deposit_currency=currency)
    return facts


def credit_check_many(*, documents: Sequence[ExposureDocument], as_of: date | None = None
                      ) -> tuple[dict[int, CreditCheckResult], set[int]]:
    """The credit check of many documents at once (the bulk path), exact: each document decided as ``credit_check``
    would decide it once every document before it in ``documents`` is written. The caller holds every customer's
    row lock. Per customer its facts are read once (``customer_credit_facts``) and its documents decided in list
    order, each on the facts advanced in memory by the ones before it (exposure, and the overdue items when an
    earlier invoice is itself overdue beyond the block days).

    An invoice on a contract is decided on the contract's invoicing read once (``contracts_invoicing_many``) and
    advanced in memory too: what it has left to invoice (the invoice adds only what goes beyond it, and takes it
    off the exposure's uninvoiced contracts) and whether it is the contract's first invoice (the deposit rule).

    Returns the results by position in ``documents`` and the positions left to the one-at-a-time check
    (``credit_enforce``), whose facts memory cannot advance the same way: every document of a customer that has
    an approved unexpired override (a block must consume one), that is prepayment-only, or that has in the call a
    document other than an invoice, or an invoice on another customer's contract. A customer's documents after its
    first blocked one are in neither: the caller refuses.
    """
    as_of = as_of or timezone.localdate()
    by_customer: dict[int, list[int]] = defaultdict(list)
    for position, document in enumerate(documents):
        by_customer[document.customer.pk].append(position)
    with_override = customers_with_usable_override(by_customer)
    contracts = contracts_invoicing_many({document.contract.pk for document in documents
                                          if document.contract is not None})
    results: dict[int, CreditCheckResult] = {}
    left: set[int] = set()
    for customer_id, positions in by_customer.items():
        if customer_id in with_override or any(
                documents[p].document_kind != DocumentKind.INVOICE or documents[p].due_date is None
                or (documents[p].contract is not None
                    and getattr(contracts.get(documents[p].contract.pk), "customer_id", None) != customer_id)
                for p in positions):
            left.update(positions)
    read = customers_credit_facts([documents[positions[0]].customer for customer_id, positions in by_customer.items()
                                   if positions[0] not in left], as_of=as_of)
    for customer_id, positions in by_customer.items():
        if positions[0] in left:
            continue
        mine = [documents[position] for position in positions]
        credit = read[customer_id]
        if credit.prepayment_only:
            left.update(positions)
            continue
        for position, document in zip(positions, mine, strict=True):
            currency = _check_amount(document.amount_minor, document.currency)
            state = contracts[document.contract.pk] if document.contract is not None else None
            facts, decided, breakdown = _credit_decide(
                credit, amount_minor=document.amount_minor, currency=currency, document_kind=document.document_kind,
                contract=document.contract, payment_terms_days=document.payment_terms_days, contract_state=state)
            results[position] = _check_result(facts, breakdown, decision=decided.decision,
                                              reasons=list(decided.reasons), amount_minor=document.amount_minor,
                                              currency=currency)
            if decided.blocked:
                break
            relief = None
            if document.contract is not None and state is not None:
                contracts[document.contract.pk] = state.after(document.amount_minor)
                relief = (state.currency, state.uninvoiced_minor - contracts[document.contract.pk].uninvoiced_minor)
            credit = credit.with_invoice(currency=currency, gross_minor=document.amount_minor,
                                         due_date=document.due_date or as_of, contract=relief)
    return results, left


DOCUMENT_LABELS = dict(DocumentKind.choices)


def credit_enforce(*, customer: Customer, amount_minor: int, currency: str, document_kind: str,
                   document_ref: str = "", user: Actor = None, contract: Contract | None = None,
                   payment_terms_days: int | None = None, **_more: Any) -> CreditCheckResult:
    """The ``exposure.increase`` hook: check under the customer's lock, use a fitting override, or refuse.

    A block raises ``Conflict(code=ErrorCode.CREDIT_BLOCKED)`` with the reasons and the figures in its details, which
    rolls back the caller's transaction: the document is not written.
    """
    result = credit_check(customer=customer, amount_minor=amount_minor, currency=currency,
                          document_kind=document_kind, document_ref=document_ref, user=user, lock=True,
                          contract=contract, consume_override=True, payment_terms_days=payment_terms_days)
    if result.blocked:
        raise _credit_blocked(result, document_kind=document_kind, document_ref=document_ref)
    return result


def _credit_blocked(result: CreditCheckResult, *, document_kind: str, document_ref: str) -> Conflict:
    return Conflict(
        _("The credit check blocked %(document)s %(ref)s: %(reasons)s") % {
            "document": DOCUMENT_LABELS.get(document_kind, document_kind), "ref": document_ref,
            "reasons": result.summary()},
        code=ErrorCode.CREDIT_BLOCKED, **result.details(),
    )


def credit_enforce_many(*, documents: Sequence[ExposureDocument], user: Actor = None, **_more: Any) -> set[int]:
    """The ``exposure.increase_many`` hook: ``credit_check_many`` under the caller's customer locks; the first
    blocked document in list order is refused with the Conflict ``credit_enforce`` raises (``details["index"]``:
    the document's ``row``). Returns the positions checked; the caller passes the others to ``exposure.increase``
    one at a time."""
    results, left = credit_check_many(documents=documents)
    blocked = [position for position, result in results.items() if result.blocked]
    if blocked:
        position = min(blocked)
        document = documents[position]
        error = _credit_blocked(results[position], document_kind=document.document_kind,
                                document_ref=document.document_ref)
        if document.row is not None:
            error.details.setdefault("index", document.row)
        raise error
    return set(range(len(documents))) - left


# ---------------------------------------------------------------- holds


def _hold_snapshot(hold: CreditHold) -> JsonDict:
    return {"customer": hold.customer_id, "reason_code": hold.reason_code, "note": hold.note,
            "source_ref": hold.source_ref, "active": hold.active, "placed_at": hold.placed_at,
            "released_at": hold.released_at, "release_note": hold.release_note}


@transaction.atomic
def hold_place(*, customer: Customer, reason_code: str, note: str, source_ref: str = "",
               actor: Actor) -> CreditHold:
    """Stop every new document of ``customer`` until released. Placing the same hold again (same customer,
    reason and source while it is active) returns the active one: dunning may call this on every run."""
    if reason_code not in HoldReason.values:
        raise ValidationFailed(_("%(value)s is not a hold reason; use one of %(choices)s.") % {
            "value": reason_code, "choices": ", ".join(HoldReason.values)}, field="reason_code")
    note = (note or "").strip()
    source_ref = (source_ref or "").strip()
    if reason_code == HoldReason.MANUAL and not note:
        raise ValidationFailed(_("Say why the hold is placed."), field="note")
    locked = lock_customer(customer.pk)
    existing = holds_active(locked).filter(reason_code=reason_code, source_ref=source_ref).first()
    if existing is not None:
        return existing
    hold = CreditHold.objects.create(customer=locked, reason_code=reason_code, note=note, source_ref=source_ref,
                                     placed_by=user_or_none(actor))
    audit_record(actor=actor, action="credit_hold_placed", subject=hold, after=_hold_snapshot(hold))
    notify([locked.salesperson, locked.collector], kind="credit.hold_placed",
           subject=_("Credit hold on %(customer)s") % {"customer": locked.name},
           body=_("%(reason)s. %(note)s") % {"reason": HOLD_LABELS[reason_code], "note": note},
           link=f"/customers/{locked.pk}/")
    return hold


@transaction.atomic
def hold_release(*, hold: CreditHold, actor: Actor, note: str) -> CreditHold:
    """Lift a hold, saying why. The hold stays on record, released."""
    if not (note or "").strip():
        raise ValidationFailed(_("Say why the hold is released."), field="note")
    lock_customer(hold.customer_id)
    locked = qs_for_update(CreditHold.objects.all()).get(pk=hold.pk)
    if not locked.active:
        raise Conflict(_("This hold was already released."), code=ErrorCode.HOLD_NOT_ACTIVE)
    before = _hold_snapshot(locked)
    locked.active = False
    locked.released_at = timezone.now()
    locked.released_by = user_or_none(actor)
    locked.release_note = note.strip()
    locked.save(update_fields=["active", "released_at", "released_by", "release_note"])
    audit_record(actor=actor, action="credit_hold_released", subject=locked, before=before,
                 after=_hold_snapshot(locked))
    return locked


# ---------------------------------------------------------------- overrides


def _override_snapshot(o: CreditOverride) -> JsonDict:
    return {"customer": o.customer_id, "amount_minor": o.amount_minor, "currency": o.currency,
            "document_kind": o.document_kind, "document_ref": o.document_ref, "reason": o.reason,
            "status": o.status, "valid_days": o.valid_days, "requested_by": o.requested_by_id,
            "decided_by": o.decided_by_id, "decision_note": o.decision_note, "expires_at": o.expires_at,
            "consumed_document_kind": o.consumed_document_kind, "consumed_document_ref": o.consumed_document_ref,
            "terms_days": o.terms_days}


def _credit_managers() -> QuerySet[User]:
    return get_user_model().objects.filter(groups__name="credit_manager", is_active=True).distinct()


@transaction.atomic
def override_request(*, customer: Customer, amount_minor: int, currency: str, reason: str, actor: Actor,
                     document_kind: str = "",
                     document_ref: str = "", valid_days: int = DEFAULT_OVERRIDE_VALID_DAYS,
                     terms_days: int | None = None) -> CreditOverride:
    """Ask a credit manager to let one blocked document of up to ``amount_minor`` through. With ``terms_days`` it
    is also a terms exception: the document may ask for payment terms up to that many days, beyond the grade's."""
    requester = user_or_none(actor)
    if requester is None:
        raise Forbidden(_("Only a signed-in user can request an override."))
    currency = _check_amount(amount_minor, currency)
    if amount_minor <= 0:
        raise ValidationFailed(_("The amount must be more than zero."), field="amount_minor")
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the blocked document should go through."), field="reason")
    if document_kind not in DocumentKind.values:
        raise ValidationFailed(_("%(value)s is not a document kind; use one of %(choices)s.") % {
            "value": document_kind, "choices": ", ".join(v for v in DocumentKind.values if v)}, field="document_kind")
    if not isinstance(valid_days, int) or not 1 <= valid_days <= MAX_OVERRIDE_VALID_DAYS:
        raise ValidationFailed(_("An override is valid for 1 to %(max)s days.") % {"max": MAX_OVERRIDE_VALID_DAYS},
                               field="valid_days")
    if terms_days is not None and (not isinstance(terms_days, int) or isinstance(terms_days, bool)
                                   or not 1 <= terms_days <= MAX_TERMS_DAYS):
        raise ValidationFailed(_("Payment terms are 1 to %(max)s days.") % {"max": MAX_TERMS_DAYS},
                               field="terms_days")
    locked = lock_customer(customer.pk)
    override = CreditOverride.objects.create(
        customer=locked, amount_minor=amount_minor, currency=currency, document_kind=document_kind,
        document_ref=(document_ref or "").strip(), reason=reason.strip(), valid_days=valid_days,
        requested_by=requester, terms_days=terms_days,
    )
    audit_record(actor=actor, action="credit_override_requested", subject=override,
                 after=_override_snapshot(override))
    notify([u for u in _credit_managers() if u.pk != requester.pk], kind="credit.override_requested",
           subject=_("Credit override requested for %(customer)s") % {"customer": locked.name},
           body=_("%(who)s asks to let %(amount)s through: %(reason)s") % {
               "who": person_name(requester), "amount": _money(amount_minor, currency), "reason": override.reason},
           link="/credit/holds/overrides/")
    return override


def _decide(*, override: CreditOverride, actor: Actor, note: str, approve: bool,
            valid_days: int | None) -> CreditOverride:
    decider = user_or_none(actor)
    if decider is None or not decider.has_perm("exposure.approve_creditoverride"):
        raise Forbidden(_("Only a credit manager can decide on a credit override."))
    lock_customer(override.customer_id)
    locked = qs_for_update(CreditOverride.objects.all()).get(pk=override.pk)
    require_second_person(locked.requested_by_id, actor)
    if locked.status != OverrideStatus.REQUESTED:
        raise Conflict(_("This override was already decided (%(status)s).") % {"status": locked.get_status_display()},
                       code=ErrorCode.OVERRIDE_ALREADY_DECIDED)
    if not approve and not (note or "").strip():
        raise ValidationFailed(_("Say why the override is rejected."), field="note")
    if valid_days is not None:
        if not isinstance(valid_days, int) or not 1 <= valid_days <= MAX_OVERRIDE_VALID_DAYS:
            raise ValidationFailed(_("An override is valid for 1 to %(max)s days.") % {
                "max": MAX_OVERRIDE_VALID_DAYS}, field="valid_days")
        locked.valid_days = valid_days
    before = _override_snapshot(locked)
    now = timezone.now()
    locked.status = OverrideStatus.APPROVED if approve else OverrideStatus.REJECTED
    locked.decided_by = decider
    locked.decided_at = now
    locked.decision_note = (note or "").strip()
    if approve:
        locked.expires_at = now + timedelta(days=locked.valid_days)
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "expires_at", "valid_days"])
    audit_record(actor=actor, action="credit_override_approved" if approve else "credit_override_rejected",
                 subject=locked, before=before, after=_override_snapshot(locked))
    notify([locked.requested_by], kind="credit.override_decided",
           subject=(_("Credit override #%(id)s approved") if approve else _("Credit override #%(id)s rejected"))
           % {"id": locked.pk}, body=locked.decision_note, link="/credit/holds/overrides/")
    return locked


@transaction.atomic
def override_approve(*, override: CreditOverride, actor: Actor, note: str = "", valid_days: int | None = None
                     ) -> CreditOverride:
    """A credit manager other than the requester approves; it is valid for ``valid_days`` from now."""
    return _decide(override=override, actor=actor, note=note, approve=True, valid_days=valid_days)


@transaction.atomic
def override_reject(*, override: CreditOverride, actor: Actor, note: str) -> CreditOverride:
    """A credit manager other than the requester rejects, saying why."""
    return _decide(override=override, actor=actor, note=note, approve=False, valid_days=None)


def _override_consume(override: CreditOverride, *, document_kind: str, document_ref: str, actor: Actor,
                      reasons: list[str]) -> None:
    before = _override_snapshot(override)
    override.status = OverrideStatus.CONSUMED
    override.consumed_at = timezone.now()
    override.consumed_document_kind = document_kind
    override.consumed_document_ref = document_ref
    override.save(update_fields=["status", "consumed_at", "consumed_document_kind", "consumed_document_ref"])
    audit_record(actor=actor, action="credit_override_used", subject=override, before=before,
                 after={**_override_snapshot(override), "blocked_by": reasons})


@transaction.atomic
def overrides_expire(*, now: datetime | None = None) -> int:
    """Mark approved overrides past their expiry as expired (the check already ignores them); how many."""
    now = now or timezone.now()
    due = list(qs_for_update(CreditOverride.objects.all()).filter(status=OverrideStatus.APPROVED,
                                                                 expires_at__lte=now).order_by("pk"))
    for override in due:
        before = _override_snapshot(override)
        override.status = OverrideStatus.EXPIRED
        override.save(update_fields=["status"])
        audit_record(actor=None, action="credit_override_expired", subject=override, before=before,
                     after=_override_snapshot(override))
    return len(due)


# ---------------------------------------------------------------- settings


def _settings_snapshot(row: CreditControlSettings) -> JsonDict:
    return {"unrated_policy": row.unrated_policy, "unrated_limit_minor": row.unrated_limit_minor,
            "guarantee_warn_days": row.guarantee_warn_days}


@transaction.atomic
def control_settings_update(*, company_id: int, actor: Actor, unrated_policy: str, unrated_limit_minor: int,
                            guarantee_warn_days: int) -> CreditControlSettings:
    """A credit manager sets how unrated customers are handled and when guarantee expiries are announced."""
    user = user_or_none(actor)
    if user is None or not user.has_perm("exposure.change_creditcontrolsettings"):
        raise Forbidden(_("Only a credit manager can change the credit-control settings."))
    if unrated_policy not in UnratedPolicy.values:
        raise ValidationFailed(_("%(value)s is not an unrated policy; use one of %(choices)s.") % {
            "value": unrated_policy, "choices": ", ".join(UnratedPolicy.values)}, field="unrated_policy")
    if not isinstance(unrated_limit_minor, int) or isinstance(unrated_limit_minor, bool) \
            or not 0 <= unrated_limit_minor <= MAX_MINOR:
        raise ValidationFailed(_("The default limit must be a whole number of fen, not negative."),
                               field="unrated_limit_minor")
    if not isinstance(guarantee_warn_days, int) or isinstance(guarantee_warn_days, bool) \
            or not 1 <= guarantee_warn_days <= MAX_GUARANTEE_WARN_DAYS:
        raise ValidationFailed(_("Warn 1 to %(max)s days before a guarantee expires.") % {
            "max": MAX_GUARANTEE_WARN_DAYS}, field="guarantee_warn_days")
    row = qs_for_update(CreditControlSettings.objects.all()).filter(company_id=company_id).first()
    before = _settings_snapshot(row) if row is not None else None
    if row is None:
        row = CreditControlSettings(company_id=company_id)
    row.unrated_policy = unrated_policy
    row.unrated_limit_minor = unrated_limit_minor
    row.guarantee_warn_days = guarantee_warn_days
    row.updated_by = user
    row.save()
    audit_record(actor=actor, action="credit_settings_changed", subject=row, before=before,
                 after=_settings_snapshot(row))
    return row


def guarantees_expiring_run(*, as_of: date | None = None) -> dict[str, int]:
    """The daily guarantee run (``arms.credit.services.guarantees.guarantees_expiry_run``) with each company's
    warning days from its credit-control settings."""
    warn_days = dict(CreditControlSettings.objects.values_list("company_id", "guarantee_warn_days"))
    return guarantees_expiry_run(as_of=as_of, warn_days=warn_days)
