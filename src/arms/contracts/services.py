"""contract_create, contract_amend (the old terms are kept as a version), contract_attach.

The terms are typed keyword-only parameters, checked in one place (``ContractTerms.clean``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record, canonical_json
from arms.common import hooks
from arms.common.bounds import date_check
from arms.common.errors import Conflict, ErrorCode, ValidationFailed, refused_at
from arms.common.inputs import UNSET, ServiceInput
from arms.common.locks import lock_customer, qs_for_update
from arms.common.services import idempotent
from arms.contracts.models import (
    Contract,
    ContractAttachment,
    ContractMilestone,
    ContractStatus,
    ContractVersion,
    DisputeResolution,
    GuaranteeType,
)
from arms.customers.enums import TermBasis
from arms.customers.models import Customer
from arms.domain.money import format_money

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict


@dataclass(frozen=True)
class MilestoneIn:
    name: str
    share_bp: int
    due_days: int = 0


@dataclass(frozen=True, kw_only=True)
class ContractTerms(ServiceInput):
    """A contract's terms as the services take them. ``clean()`` is the one place they are checked (the services
    and the admin form; through them the API, imports and the seed)."""

    title: str = UNSET
    signed_date: date = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET
    currency: str = UNSET
    amount_minor: int = UNSET
    payment_terms_days: int = UNSET
    payment_terms_basis: str = UNSET
    late_interest_rate_daily: Decimal | str = UNSET
    penalty_rate: Decimal | str = UNSET
    penalty_clause: str = UNSET
    guarantee_type: str = UNSET
    guarantee_details: str = UNSET
    dispute_resolution: str = UNSET
    dispute_venue: str = UNSET
    acceptance_clause: str = UNSET
    governing_law: str = UNSET
    late_interest_tiers: list[dict[str, Any]] = UNSET
    discount_pct: Decimal | str = UNSET
    discount_days: int = UNSET
    deposit_pct: Decimal | str | None = UNSET
    review_date: date | None = UNSET
    status: str = UNSET

    def clean(self) -> dict[str, Any]:
        """The given terms, normalised (currency upper-case, rates as Decimals); raises naming the first bad one."""
        cleaned = self.given()
        if "amount_minor" in cleaned:
            amount = cleaned["amount_minor"]
            if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
                raise ValidationFailed(_("The contract amount must be more than zero."), field="amount_minor")
        self.clean_currency(cleaned)
        for name in ("late_interest_rate_daily", "penalty_rate"):
            if name in cleaned:
                try:
                    cleaned[name] = Decimal(str(cleaned[name]))
                except Exception as exc:
                    raise ValidationFailed(_("Not a number."), field=name) from exc
                if cleaned[name] < 0 or cleaned[name] > 1:
                    raise ValidationFailed(_("A rate is a fraction between 0 and 1."), field=name)
        self.check_choices(cleaned, {"payment_terms_basis": TermBasis, "guarantee_type": GuaranteeType,
                                     "dispute_resolution": DisputeResolution, "status": ContractStatus})
        if "payment_terms_days" in cleaned and not 0 <= int(cleaned["payment_terms_days"]) <= 3650:
            raise ValidationFailed(_("Payment terms are 0 to 3650 days."), field="payment_terms_days")
        if "governing_law" in cleaned and len(cleaned["governing_law"] or "") > 100:
            raise ValidationFailed(_("The governing law is at most 100 characters."), field="governing_law")
        for name in ("discount_pct", "deposit_pct"):
            if name in cleaned and cleaned[name] is not None:
                cleaned[name] = _percent(cleaned[name], field=name)
        if "discount_days" in cleaned and not 0 <= int(cleaned["discount_days"]) <= 365:
            raise ValidationFailed(_("Discount days are 0 to 365."), field="discount_days")
        if "discount_pct" in cleaned and "discount_days" in cleaned:
            _check_discount_pair(cleaned["discount_pct"], cleaned["discount_days"])
        if "late_interest_tiers" in cleaned:
            cleaned["late_interest_tiers"] = clean_tiers(cleaned["late_interest_tiers"])
        if "review_date" in cleaned and cleaned["review_date"] is not None:
            date_check(cleaned["review_date"], field="review_date")
        return cleaned


#: at most this many steps in a tiered late-interest clause
MAX_TIERS = 10
#: the highest daily rate a tier may carry (1% a day)
MAX_TIER_RATE = Decimal("0.01")


def _percent(value: Any, *, field: str) -> Decimal:
    try:
        pct = Decimal(str(value))
    except Exception as exc:
        raise ValidationFailed(_("Not a number."), field=field) from exc
    if not pct.is_finite() or pct < 0 or pct > 100 or pct != pct.quantize(Decimal("0.01")):
        raise ValidationFailed(_("A percentage is 0 to 100 with at most two decimals."), field=field)
    return pct


def _check_discount_pair(pct: Decimal, days: int) -> None:
    """An early-payment discount needs both its percentage and its days, or neither."""
    if (pct > 0) != (int(days) > 0):
        raise ValidationFailed(_("An early-payment discount needs both a percentage and days, or neither."),
                               field="discount_days" if pct > 0 else "discount_pct")


def clean_tiers(tiers: Any) -> list[dict[str, Any]]:
    """Tiered late interest as stored: ``[{"from_day": 1, "daily_rate": "0.0003"}, ...]``, at most ten steps,
    ``from_day`` at least 1 and strictly ascending, each rate 0 to 0.01 a day. Raises naming the bad step."""
    if tiers is None:
        return []
    if not isinstance(tiers, list | tuple):
        raise ValidationFailed(_("Tiers are a list of steps."), field="late_interest_tiers")
    if len(tiers) > MAX_TIERS:
        raise ValidationFailed(_("At most %(n)s tiers.") % {"n": MAX_TIERS}, field="late_interest_tiers")
    cleaned: list[dict[str, Any]] = []
    previous = 0
    for index, tier in enumerate(tiers):
        field = f"late_interest_tiers[{index}]"
        if hasattr(tier, "model_dump"):
            tier = tier.model_dump()
        if not isinstance(tier, dict) or set(tier) - {"from_day", "daily_rate"}:
            raise ValidationFailed(_("A tier is {from_day, daily_rate}."), field=field)
        try:
            from_day = int(str(tier.get("from_day")))
            rate = Decimal(str(tier.get("daily_rate")))
        except Exception as exc:
            raise ValidationFailed(_("A tier is {from_day, daily_rate}."), field=field) from exc
        if isinstance(tier.get("from_day"), bool) or from_day < 1 or from_day <= previous or from_day > 36_500:
            raise ValidationFailed(_("Tiers start on day 1 or later, each after the one before."),
                                   field=f"{field}.from_day")
        if not rate.is_finite() or rate < 0 or rate > MAX_TIER_RATE:
            raise ValidationFailed(_("A tier's daily rate is 0 to 0.01."), field=f"{field}.daily_rate")
        previous = from_day
        cleaned.append({"from_day": from_day, "daily_rate": str(rate)})
    return cleaned


TERMS = ContractTerms.names()


def contract_terms(contract: Contract, *, milestones: Iterable[ContractMilestone] | None = None) -> JsonDict:
    """The contract's terms and milestones as the audit trail and the versions keep them. ``milestones``: the
    contract's as just written, in sequence (else read)."""
    data = {name: getattr(contract, name) for name in TERMS}
    data["milestones"] = [
        {"sequence": m.sequence, "name": m.name, "share_bp": m.share_bp, "due_days": m.due_days}
        for m in (contract.milestones.order_by("sequence") if milestones is None else milestones)
    ]
    return data


def _check_dates(contract: Contract) -> None:
    for field in ("signed_date", "start_date", "end_date"):
        date_check(getattr(contract, field), field=field)
    if contract.start_date and contract.end_date and contract.end_date < contract.start_date:
        raise ValidationFailed(_("The contract cannot end before it starts."), field="end_date")
    _check_discount_pair(Decimal(contract.discount_pct or 0), contract.discount_days or 0)


def _milestones_check(milestones: list[MilestoneIn]) -> None:
    if milestones:
        if sum(m.share_bp for m in milestones) != 10_000:
            raise ValidationFailed(_("Milestone shares must add up to 100% (10,000 basis points)."),
                                   field="milestones")
        for index, m in enumerate(milestones):
            if not 0 < m.share_bp <= 10_000:
                raise ValidationFailed(_("A milestone share is 1 to 10,000 basis points."),
                                       field=f"milestones[{index}].share_bp")


def _write_milestones(contract: Contract, milestones: list[MilestoneIn]) -> None:
    _milestones_check(milestones)
    contract.milestones.all().delete()
    ContractMilestone.objects.bulk_create(
        ContractMilestone(contract=contract, sequence=i, name=m.name, share_bp=m.share_bp, due_days=m.due_days)
        for i, m in enumerate(milestones, start=1)
    )


#: the statuses a contract is created in: a draft, or one already signed (an import, a historical contract)
CREATE_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.COMPLETED,
                   ContractStatus.TERMINATED)
#: set only by the review (arms.contractreview): no amendment while in them
UNDER_REVIEW = (ContractStatus.IN_REVIEW, ContractStatus.APPROVED, ContractStatus.REJECTED)
#: a signed contract's end; an amendment may reopen it (back to active)
ENDED = (ContractStatus.COMPLETED, ContractStatus.TERMINATED)


def _exposure_increase(customer: Customer, contract: Contract, added_minor: int, actor: Actor) -> None:
    """The credit check of what a contract becoming (or staying) active adds to the customer's exposure; the
    customer is locked by the caller. The one path for create, amend and sign."""
    if added_minor > 0:
        hooks.run(hooks.EXPOSURE_INCREASE, customer=customer, amount_minor=added_minor, currency=contract.currency,
                  document_kind="contract", document_ref=contract.number, user=actor,
                  payment_terms_days=contract.payment_terms_days)


def _contract_prepare(*, customer: Customer, number: str, terms: ContractTerms,
                      taken: Callable[[str], bool]) -> Contract:
    """A new contract of ``customer`` from ``terms``, checked and not yet written; currency and payment terms default
    to the customer's, the other terms to the model's. ``taken``: whether a number is already used."""
    clean_number = (number or "").strip()
    if not clean_number:
        raise ValidationFailed(_("A contract needs a number."), field="number")
    cleaned = terms.clean()
    cleaned.setdefault("currency", customer.currency)
    cleaned.setdefault("payment_terms_days", customer.payment_terms_days)
    cleaned.setdefault("payment_terms_basis", customer.payment_terms_basis)
    if taken(clean_number):
        raise Conflict(_("Contract number %(number)s already exists.") % {"number": clean_number},
                       field="number", code=ErrorCode.DUPLICATE_NUMBER)
    contract = Contract(company=customer.company, customer=customer, number=clean_number, **cleaned)
    _check_dates(contract)
    if contract.status not in CREATE_STATUSES:
        raise Conflict(_("A contract is created as a draft (or recorded as already signed); review statuses "
                         "are set by the review."), field="status", code=ErrorCode.CONTRACT_STATUS)
    return contract


def _number_taken(company_id: int) -> Callable[[str], bool]:
    return lambda number: Contract.objects.filter(company_id=company_id, number=number).exists()


@transaction.atomic
def contract_create(*, actor: Actor, customer: Customer, number: str, signed_date: date, amount_minor: int,
                    milestones: list[MilestoneIn] | None = None, idempotency_key: str | None = None,
                    title: str = UNSET, start_date: date | None = UNSET, end_date: date | None = UNSET,
                    currency: str = UNSET, payment_terms_days: int = UNSET, payment_terms_basis: str = UNSET,
                    late_interest_rate_daily: Decimal | str = UNSET, penalty_rate: Decimal | str = UNSET,
                    penalty_clause: str = UNSET, guarantee_type: str = UNSET, guarantee_details: str = UNSET,
                    dispute_resolution: str = UNSET, dispute_venue: str = UNSET, acceptance_clause: str = UNSET,
                    governing_law: str = UNSET, late_interest_tiers: list[dict[str, Any]] = UNSET,
                    discount_pct: Decimal | str = UNSET, discount_days: int = UNSET,
                    deposit_pct: Decimal | str | None = UNSET, review_date: date | None = UNSET,
                    status: str = UNSET) -> Contract:
    """A new contract; currency and payment terms default to the customer's, the other terms to the model's."""
    terms = ContractTerms(
        title=title, signed_date=signed_date, start_date=start_date, end_date=end_date, currency=currency,
        amount_minor=amount_minor, payment_terms_days=payment_terms_days, payment_terms_basis=payment_terms_basis,
        late_interest_rate_daily=late_interest_rate_daily, penalty_rate=penalty_rate, penalty_clause=penalty_clause,
        guarantee_type=guarantee_type, guarantee_details=guarantee_details, dispute_resolution=dispute_resolution,
        dispute_venue=dispute_venue, acceptance_clause=acceptance_clause, governing_law=governing_law,
        late_interest_tiers=late_interest_tiers, discount_pct=discount_pct, discount_days=discount_days,
        deposit_pct=deposit_pct, review_date=review_date, status=status)
    payload = {"customer": customer.pk, "number": number,
               "milestones": [(m.name, m.share_bp, m.due_days) for m in milestones or []], **terms.given()}

    def create() -> Contract:
        contract = _contract_prepare(customer=customer, number=number, terms=terms,
                                     taken=_number_taken(customer.company_id))
        if contract.status == ContractStatus.ACTIVE:  # the credit check, under the customer's row lock
            _exposure_increase(lock_customer(customer.pk), contract, contract.amount_minor, actor)
        contract.save()
        _write_milestones(contract, milestones or [])
        audit_record(actor=actor, action="contract_created", subject=contract, after=contract_terms(contract))
        return contract

    contract, _created = idempotent(scope="contract.create", key=idempotency_key, payload=payload, model=Contract,
                                    create=create)
    return contract


@dataclass(frozen=True)
class ContractIn:
    """One contract of ``contracts_create_many``: what ``contract_create`` takes (its terms as ``ContractTerms``,
    which must give ``signed_date`` and ``amount_minor``)."""

    number: str
    terms: ContractTerms
    milestones: tuple[MilestoneIn, ...] = ()


@transaction.atomic
def contracts_create_many(*, actor: Actor, customer: Customer, contracts: Sequence[ContractIn]) -> list[Contract]:
    """Create a customer's ``contracts`` as ``contract_create`` would one after the other, all or none: the same
    checks (a refusal names the contract, ``contracts[2].end_date``), rows, milestones and audit events. The customer
    is locked once and its active contracts pass the batched credit check (``exposure.increase_many``) in list
    order, each as if those before it were written; any it leaves go through ``exposure.increase`` one at a time,
    after those before them are written. No idempotency keys: for a caller that writes each contract once in its
    own transaction (the demo seed, an import)."""
    used = set(Contract.objects.filter(company_id=customer.company_id,
                                       number__in=[(item.number or "").strip() for item in contracts])
               .values_list("number", flat=True))
    prepared: list[Contract] = []
    for index, item in enumerate(contracts):
        with refused_at(index, within="contracts"):
            for name in ("signed_date", "amount_minor"):
                if name not in item.terms.given():
                    raise ValidationFailed(_("This field is required."), field=name)
            prepared.append(_contract_prepare(customer=customer, number=item.number, terms=item.terms,
                                              taken=used.__contains__))
            _milestones_check(list(item.milestones))
        used.add(prepared[-1].number)
    active = [index for index, contract in enumerate(prepared) if contract.status == ContractStatus.ACTIVE]
    locked = lock_customer(customer.pk) if active else customer
    checked: set[int] = set()
    if active:
        documents = [hooks.ExposureDocument(customer=locked, amount_minor=prepared[index].amount_minor,
                                            currency=prepared[index].currency, document_kind="contract",
                                            document_ref=prepared[index].number,
                                            payment_terms_days=prepared[index].payment_terms_days, row=index)
                     for index in active]
        positions: set[int] = set().union(*hooks.run(hooks.EXPOSURE_INCREASE_MANY, documents=documents, user=actor))
        checked = {index for position, index in enumerate(active) if position in positions}
    milestones: list[ContractMilestone] = []
    # in contract_create's order, contract by contract: the credit check, the row, its audit event
    for index, (contract, item) in enumerate(zip(prepared, contracts, strict=True)):
        if contract.status == ContractStatus.ACTIVE and index not in checked:
            with refused_at(index, within="contracts"):
                _exposure_increase(locked, contract, contract.amount_minor, actor)
        contract.save()
        rows = [ContractMilestone(contract=contract, sequence=sequence, name=m.name, share_bp=m.share_bp,
                                  due_days=m.due_days) for sequence, m in enumerate(item.milestones, start=1)]
        milestones.extend(rows)
        audit_record(actor=actor, action="contract_created", subject=contract,
                     after=contract_terms(contract, milestones=rows))
    ContractMilestone.objects.bulk_create(milestones)
    return prepared


@transaction.atomic
def contract_amend(*, actor: Actor, contract: Contract, reason: str, milestones: list[MilestoneIn] | None = None,
                   title: str = UNSET, signed_date: date = UNSET, start_date: date | None = UNSET,
                   end_date: date | None = UNSET, currency: str = UNSET, amount_minor: int = UNSET,
                   payment_terms_days: int = UNSET, payment_terms_basis: str = UNSET,
                   late_interest_rate_daily: Decimal | str = UNSET, penalty_rate: Decimal | str = UNSET,
                   penalty_clause: str = UNSET, guarantee_type: str = UNSET, guarantee_details: str = UNSET,
                   dispute_resolution: str = UNSET, dispute_venue: str = UNSET, acceptance_clause: str = UNSET,
                   governing_law: str = UNSET, late_interest_tiers: list[dict[str, Any]] = UNSET,
                   discount_pct: Decimal | str = UNSET, discount_days: int = UNSET,
                   deposit_pct: Decimal | str | None = UNSET, review_date: date | None = UNSET,
                   status: str = UNSET) -> Contract:
    """Change the terms given (the others stay). The terms before the change are kept as version N; it becomes
    N+1."""
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the contract is amended."), field="reason")
    cleaned = ContractTerms(
        title=title, signed_date=signed_date, start_date=start_date, end_date=end_date, currency=currency,
        amount_minor=amount_minor, payment_terms_days=payment_terms_days, payment_terms_basis=payment_terms_basis,
        late_interest_rate_daily=late_interest_rate_daily, penalty_rate=penalty_rate, penalty_clause=penalty_clause,
        guarantee_type=guarantee_type, guarantee_details=guarantee_details, dispute_resolution=dispute_resolution,
        dispute_venue=dispute_venue, acceptance_clause=acceptance_clause, governing_law=governing_law,
        late_interest_tiers=late_interest_tiers, discount_pct=discount_pct, discount_days=discount_days,
        deposit_pct=deposit_pct, review_date=review_date, status=status).clean()
    customer = lock_customer(contract.customer_id)  # lock order: customer first
    locked = qs_for_update(Contract.objects.all()).get(pk=contract.pk)
    kept = list(locked.milestones.order_by("sequence"))  # the milestones after, too, unless new ones are given
    before = contract_terms(locked, milestones=kept)
    was_active, amount_before = locked.status == ContractStatus.ACTIVE, locked.amount_minor
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _check_dates(locked)
    # what is invoiced counts for a new amount and for reopening; completing or terminating need not read it
    invoiced = sum(locked.invoices.values_list("gross_minor", flat=True)) if "amount_minor" in cleaned or (
        locked.status == ContractStatus.ACTIVE and not was_active) else 0
    if "amount_minor" in cleaned and cleaned["amount_minor"] < invoiced:
        raise ValidationFailed(_("The amount cannot fall below what is already invoiced (%(invoiced)s).")
                               % {"invoiced": format_money(invoiced, locked.currency)}, field="amount_minor")
    status_before = before["status"]
    if status_before in UNDER_REVIEW:
        raise Conflict(_("A contract in review or approved is not amended: return it to draft first."),
                       field="status", code=ErrorCode.CONTRACT_STATUS)
    if "status" in cleaned and cleaned["status"] != status_before and not (
            cleaned["status"] in ENDED or (cleaned["status"] == ContractStatus.ACTIVE and status_before in ENDED)):
        raise Conflict(_("An amendment only completes, terminates or reopens a signed contract; a draft is "
                         "signed through its review."), field="status", code=ErrorCode.CONTRACT_STATUS)
    if locked.status == ContractStatus.ACTIVE:
        # What the amendment adds to the customer's exposure: the whole uninvoiced rest when it reopens the
        # contract, the raise when it raises an active one. It passes the same credit check as a new contract.
        _exposure_increase(customer, locked, locked.amount_minor - (amount_before if was_active else invoiced),
                           actor)
    ContractVersion.objects.create(contract=locked, version=locked.version, terms=canonical_json(before),
                                   reason=reason.strip(), amended_by=getattr(actor, "username", "system"))
    locked.version += 1
    locked.save()
    if milestones is not None:
        _write_milestones(locked, milestones)
    audit_record(actor=actor, action="contract_amended", subject=locked, before=before,
                 after={**contract_terms(locked, milestones=kept if milestones is None else None),
                        "reason": reason.strip(), "version": locked.version})
    return locked


@transaction.atomic
def contract_attach(*, actor: Actor, contract: Contract, filename: str, content: bytes,
                    description: str = "") -> ContractAttachment:
    if not content:
        raise ValidationFailed(_("The file is empty."), field="file")
    digest = hashlib.sha256(content).hexdigest()
    attachment = ContractAttachment(contract=contract, description=description, sha256=digest)
    attachment.file.save(filename, ContentFile(content), save=True)
    audit_record(actor=actor, action="contract_attachment_added", subject=contract,
                 after={"file": attachment.file.name, "sha256": digest})
    return attachment


@transaction.atomic
def contract_sign(*, actor: Actor, contract: Contract, signed_date: date) -> Contract:
    """Sign an approved contract: it becomes active from ``signed_date`` after the credit check of its uninvoiced
    amount, under the customer's lock (as any contract that becomes active). Only an approved contract is signed."""
    date_check(signed_date, field="signed_date")
    customer = lock_customer(contract.customer_id)  # lock order: customer first
    locked = qs_for_update(Contract.objects.all()).get(pk=contract.pk)
    if locked.status != ContractStatus.APPROVED:
        raise Conflict(_("Only an approved contract can be signed; this one is %(status)s.")
                       % {"status": locked.get_status_display()}, field="status", code=ErrorCode.CONTRACT_STATUS)
    before = contract_terms(locked)
    locked.status, locked.signed_date = ContractStatus.ACTIVE, signed_date
    _check_dates(locked)
    invoiced = sum(locked.invoices.values_list("gross_minor", flat=True))
    _exposure_increase(customer, locked, locked.amount_minor - invoiced, actor)
    locked.save(update_fields=["status", "signed_date"])
    audit_record(actor=actor, action="contract_signed", subject=locked, before=before, after=contract_terms(locked))
    return locked


@transaction.atomic
def contract_milestone_event(*, actor: Actor, contract: Contract, sequence: int, event_date: date | None) -> Contract:
    """Record (or clear) when a milestone's event happened: delivered, accepted. Only on a signed contract."""
    if event_date is not None:
        date_check(event_date, field="event_date")
    locked = qs_for_update(Contract.objects.all()).get(pk=contract.pk)
    if locked.status not in (ContractStatus.ACTIVE, *ENDED):
        raise Conflict(_("Only a signed contract's milestones are delivered."), field="status",
                       code=ErrorCode.CONTRACT_STATUS)
    milestone = locked.milestones.filter(sequence=sequence).first()
    if milestone is None:
        raise ValidationFailed(_("The contract has no milestone %(n)s.") % {"n": sequence}, field="sequence")
    before = {"sequence": sequence, "event_date": milestone.event_date}
    milestone.event_date = event_date
    milestone.save(update_fields=["event_date"])
    audit_record(actor=actor, action="contract_milestone_event", subject=locked, before=before,
                 after={"sequence": sequence, "event_date": event_date})
    return locked
