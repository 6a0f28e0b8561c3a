"""The guarantees register (担保登记): record, release, expire and announce the expiry of guarantees.

The credit profile's ``guarantees_held_minor`` is derived here, never typed in: after every change it is set to the
sum, in CNY, of the customer's guarantees in force (active, started, not past their expiry date). The credit check
(``arms.exposure``) blocks a document of a customer whose profile requires a guarantee while none is in force.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.attachments import attachment_store
from arms.common.bounds import MAX_MINOR, MAX_NOTE, date_check, text_check
from arms.common.errors import Conflict, ErrorCode, ValidationFailed, money_message
from arms.common.locks import lock_customer, qs_for_update
from arms.common.notify import notify
from arms.contracts.models import GuaranteeType
from arms.credit.models import CreditProfile, Guarantee, GuaranteeStatus
from arms.credit.services.profiles import credit_profile_ensure
from arms.credit.services.ratings import _credit_managers, credit_file_link, to_cny_minor
from arms.domain.money import MoneyError, check_currency, format_money

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict
    from arms.contracts.models import Contract
    from arms.customers.models import Customer

#: the days ahead a guarantee's expiry is announced when the company saved no setting
DEFAULT_WARN_DAYS = 30
MAX_GUARANTOR = 200
MAX_REFERENCE = 100
GUARANTEE_KINDS = [v for v in GuaranteeType.values if v != GuaranteeType.NONE]


def guarantee_snapshot(g: Guarantee) -> JsonDict:
    return {"customer": g.customer_id, "contract": g.contract_id, "guarantor": g.guarantor, "kind": g.kind,
            "amount_minor": g.amount_minor, "currency": g.currency, "valid_from": g.valid_from,
            "expiry_date": g.expiry_date, "reference": g.reference, "document": g.document_name,
            "status": g.status, "note": g.note, "release_note": g.release_note}


def held_minor(customer_id: int, *, as_of: date) -> int:
    """The sum in CNY fen of the customer's guarantees in force on ``as_of`` (one without a rate counts 0)."""
    rows = (Guarantee.objects.filter(customer_id=customer_id, status=GuaranteeStatus.ACTIVE, valid_from__lte=as_of,
                                     expiry_date__gte=as_of).values_list("amount_minor", "currency"))
    return sum(to_cny_minor(amount, currency, as_of) or 0 for amount, currency in rows)


def held_refresh(customer: Customer, *, as_of: date | None = None) -> int:
    """Set the profile's ``guarantees_held_minor`` from the register (the caller holds the customer's lock)."""
    as_of = as_of or timezone.localdate()
    total = held_minor(customer.pk, as_of=as_of)
    profile = credit_profile_ensure(customer)
    if profile.guarantees_held_minor != total:
        CreditProfile.objects.filter(pk=profile.pk).update(guarantees_held_minor=total)
    return total


@transaction.atomic
def guarantee_record(*, actor: Actor, customer: Customer, guarantor: str, kind: str, amount_minor: int,
                     currency: str, valid_from: date, expiry_date: date, contract: Contract | None = None,
                     reference: str = "", note: str = "", document_bytes: bytes | None = None,
                     document_name: str = "") -> Guarantee:
    """Register a guarantee held for ``customer`` (and ``contract``). Every refusal names its field; nothing is
    written then."""
    guarantor = (text_check(guarantor, field="guarantor", limit=MAX_GUARANTOR) or "").strip()
    if not guarantor:
        raise ValidationFailed(_("Name the guarantor."), field="guarantor")
    if kind not in GUARANTEE_KINDS:
        raise ValidationFailed(_("%(value)s is not a guarantee type; use one of %(choices)s.") % {
            "value": kind, "choices": ", ".join(GUARANTEE_KINDS)}, field="kind")
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or not 0 < amount_minor <= MAX_MINOR:
        raise ValidationFailed(_("The amount must be more than zero."), field="amount_minor")
    try:
        currency = check_currency(currency)
    except MoneyError as exc:
        raise ValidationFailed(money_message(exc), field="currency") from exc
    date_check(valid_from, field="valid_from")
    date_check(expiry_date, field="expiry_date")
    if expiry_date < valid_from:
        raise ValidationFailed(_("The expiry date cannot be before the start."), field="expiry_date")
    reference = (text_check(reference, field="reference", limit=MAX_REFERENCE) or "").strip()
    note = (text_check(note, field="note", limit=MAX_NOTE) or "").strip()
    document_name = (document_name or "")[:200]
    locked = lock_customer(customer.pk)
    if contract is not None and contract.customer_id != locked.pk:
        raise ValidationFailed(_("The contract belongs to another customer."), field="contract")
    document = attachment_store(content=document_bytes, name=document_name or "guarantee") if document_bytes else None
    guarantee = Guarantee.objects.create(
        customer=locked, contract=contract, guarantor=guarantor, kind=kind, amount_minor=amount_minor,
        currency=currency, valid_from=valid_from, expiry_date=expiry_date, reference=reference, note=note,
        document=document, document_name=document_name if document else "", created_by=user_or_none(actor))
    audit_record(actor=actor, action="guarantee_recorded", subject=guarantee, after=guarantee_snapshot(guarantee))
    held_refresh(locked)
    return guarantee


@transaction.atomic
def guarantee_release(*, guarantee: Guarantee, actor: Actor, note: str) -> Guarantee:
    """Release a guarantee (returned to the guarantor, replaced), saying why. It stays on record."""
    note = (text_check(note, field="note", limit=MAX_NOTE) or "").strip()
    if not note:
        raise ValidationFailed(_("Say why the guarantee is released."), field="note")
    customer = lock_customer(guarantee.customer_id)
    locked = qs_for_update(Guarantee.objects.all()).get(pk=guarantee.pk)
    if locked.status != GuaranteeStatus.ACTIVE:
        raise Conflict(_("Only an active guarantee can be released."), code=ErrorCode.GUARANTEE_NOT_ACTIVE)
    before = guarantee_snapshot(locked)
    locked.status = GuaranteeStatus.RELEASED
    locked.released_at = timezone.now()
    locked.released_by = user_or_none(actor)
    locked.release_note = note
    locked.save(update_fields=["status", "released_at", "released_by", "release_note"])
    audit_record(actor=actor, action="guarantee_released", subject=locked, before=before,
                 after=guarantee_snapshot(locked))
    held_refresh(customer)
    return locked


def _announce(guarantee: Guarantee) -> None:
    customer = guarantee.customer
    notify([*_credit_managers(), customer.salesperson], kind="credit.guarantee_expiring",
           subject=_("Guarantee for %(customer)s expires on %(date)s") % {
               "customer": customer.name, "date": guarantee.expiry_date.isoformat()},
           body=_("%(guarantor)s, %(amount)s, reference %(reference)s: renew it or ask for another guarantee.") % {
               "guarantor": guarantee.guarantor, "amount": format_money(guarantee.amount_minor, guarantee.currency),
               "reference": guarantee.reference or "—"},
           link=credit_file_link(customer))


@transaction.atomic
def guarantees_expiry_run(*, as_of: date | None = None, warn_days: dict[int, int] | None = None) -> dict[str, int]:
    """The daily run: announce each active guarantee expiring within its company's warning days (``warn_days``
    per company id, default ``DEFAULT_WARN_DAYS``) once, to the credit managers and the salesperson; mark the
    ones past their expiry date expired (audited) and refresh the holders' ``guarantees_held_minor``."""
    as_of = as_of or timezone.localdate()
    warn_days = warn_days or {}
    longest = max([DEFAULT_WARN_DAYS, *warn_days.values()])
    due = list(Guarantee.objects.select_related("customer", "customer__salesperson")
               .filter(status=GuaranteeStatus.ACTIVE)
               .filter(Q(expiry_date__lt=as_of)
                       | Q(expiry_warned_at__isnull=True, expiry_date__lte=as_of + timedelta(days=longest)))
               .order_by("expiry_date", "pk"))
    warned = expired = 0
    now = timezone.now()
    touched: dict[int, Customer] = {}
    for guarantee in due:
        if guarantee.expiry_date < as_of:
            before = guarantee_snapshot(guarantee)
            guarantee.status = GuaranteeStatus.EXPIRED
            guarantee.save(update_fields=["status"])
            audit_record(actor=None, action="guarantee_expired", subject=guarantee, before=before,
                         after=guarantee_snapshot(guarantee))
            touched[guarantee.customer_id] = guarantee.customer
            expired += 1
            continue
        days = warn_days.get(guarantee.customer.company_id, DEFAULT_WARN_DAYS)
        if (guarantee.expiry_date - as_of).days <= days:
            _announce(guarantee)
            guarantee.expiry_warned_at = now
            guarantee.save(update_fields=["expiry_warned_at"])
            warned += 1
    for customer in touched.values():
        held_refresh(customer, as_of=as_of)
    return {"warned": warned, "expired": expired}
