"""Settlement agreements (和解协议): waive an invoice's late interest and penalty, and optionally part of its
principal, with a second person's approval; the principal part is posted as a credit note.

Approval: never the requester (the one four-eyes rule); legal or a finance manager (``legal.approve_settlement``)
up to the settings' amount in CNY, above it (or in another currency) a finance manager
(``legal.approve_large_settlement``). After approval, dunning's letters no longer claim the invoice's interest and
penalty (the ``dunning.charges_waived`` hook).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.approvals import require_second_person
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import invoices_qs_for_update, lock_customer, lock_one
from arms.domain.money import format_money, split_largest_remainder
from arms.ledger.models import Invoice
from arms.ledger.services import credit_note_post
from arms.legal.enums import SettlementStatus
from arms.legal.models import LegalCase, Settlement
from arms.legal.services.common import amount, text
from arms.legal.services.settings import legal_settings_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor


def _principal_fits(invoice: Invoice, principal: int) -> None:
    if principal > invoice.amount_open_minor:
        raise ValidationFailed(_("The principal waived (%(waived)s) is more than is open (%(open)s).") % {
            "waived": format_money(principal, invoice.currency),
            "open": format_money(invoice.amount_open_minor, invoice.currency)}, field="waived_principal_minor")


@transaction.atomic
def settlement_request(*, actor: Actor, invoice: Invoice, terms: str, waived_interest_minor: int = 0,
                       waived_penalty_minor: int = 0, waived_principal_minor: int = 0,
                       case: LegalCase | None = None) -> Settlement:
    interest = amount(waived_interest_minor, field="waived_interest_minor")
    penalty = amount(waived_penalty_minor, field="waived_penalty_minor")
    principal = amount(waived_principal_minor, field="waived_principal_minor")
    if interest + penalty + principal == 0:
        raise ValidationFailed(_("A settlement waives something: interest, penalty or principal."),
                               field="waived_interest_minor")
    terms = text(terms, field="terms", limit=4000, required=True)
    if case is not None and case.customer_id != invoice.customer_id:
        raise ValidationFailed(_("The case is against another customer."), field="case_id")
    lock_customer(invoice.customer_id)
    locked = invoices_qs_for_update([invoice.pk]).get()
    _principal_fits(locked, principal)
    settlement = Settlement.objects.create(
        company=locked.company, customer_id=locked.customer_id, invoice=locked, case=case, currency=locked.currency,
        waived_interest_minor=interest, waived_penalty_minor=penalty, waived_principal_minor=principal, terms=terms,
        requested_by=user_or_none(actor))
    audit_record(actor=actor, action="settlement_requested", subject=settlement, after={
        "invoice": locked.pk, "interest_minor": interest, "penalty_minor": penalty, "principal_minor": principal,
        "currency": locked.currency})
    return settlement


def _may_approve(actor: User, settlement: Settlement) -> None:
    if not actor.has_perm("legal.approve_settlement"):
        raise Forbidden(_("Your role cannot approve settlements."))
    limit = legal_settings_for(settlement.company).settlement_legal_limit_minor
    large = settlement.currency != "CNY" or settlement.waived_total_minor > limit
    if large and not actor.has_perm("legal.approve_large_settlement"):
        raise Forbidden(_("A settlement waiving more than %(limit)s is approved by a finance manager.") % {
            "limit": format_money(limit, "CNY")})


def _locked(settlement: Settlement) -> tuple[Settlement, Invoice]:
    lock_customer(settlement.customer_id)
    invoice = invoices_qs_for_update([settlement.invoice_id]).get()
    locked: Settlement = lock_one(Settlement.objects.all(), pk=settlement.pk)
    if locked.status != SettlementStatus.REQUESTED:
        raise Conflict(_("The settlement was already decided."), code=ErrorCode.SETTLEMENT_NOT_PENDING)
    return locked, invoice


@transaction.atomic
def settlement_approve(*, actor: User, settlement: Settlement, note: str = "") -> Settlement:
    """Approve: the waived principal is posted as a credit note (VAT split pro rata), the waiver takes effect."""
    note = text(note, field="note", limit=1000)
    settlement, invoice = _locked(settlement)
    require_second_person(settlement.requested_by_id, actor)
    _may_approve(actor, settlement)
    if settlement.waived_principal_minor:
        _principal_fits(invoice, settlement.waived_principal_minor)
        net, tax = split_largest_remainder(settlement.waived_principal_minor, [invoice.net_minor, invoice.tax_minor])
        settlement.credit_note = credit_note_post(
            actor=actor, invoice=invoice, on=timezone.localdate(), net_minor=net, tax_minor=tax,
            reason=_("Settlement agreement ST-%(id)s: principal waived") % {"id": settlement.pk},
            idempotency_key=f"legal-settlement-{settlement.pk}")
    settlement.status, settlement.decided_by, settlement.decided_at = (SettlementStatus.APPROVED, actor,
                                                                       timezone.now())
    settlement.decision_note = note
    settlement.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "credit_note"])
    audit_record(actor=actor, action="settlement_approved", subject=settlement,
                 before={"status": SettlementStatus.REQUESTED.value}, after={
                     "status": settlement.status, "credit_note": settlement.credit_note_id, "note": note})
    return settlement


@transaction.atomic
def settlement_reject(*, actor: User, settlement: Settlement, note: str) -> Settlement:
    note = text(note, field="note", limit=1000, required=True)
    settlement, _invoice = _locked(settlement)
    require_second_person(settlement.requested_by_id, actor)
    if not actor.has_perm("legal.approve_settlement"):
        raise Forbidden(_("Your role cannot decide on settlements."))
    settlement.status, settlement.decided_by, settlement.decided_at = (SettlementStatus.REJECTED, actor,
                                                                       timezone.now())
    settlement.decision_note = note
    settlement.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="settlement_rejected", subject=settlement,
                 before={"status": SettlementStatus.REQUESTED.value}, after={"status": settlement.status, "note": note})
    return settlement


def charges_waived(*, invoice_ids: list[int]) -> set[int]:
    """The ``dunning.charges_waived`` hook: of the invoices, those an approved settlement waived charges on."""
    if not invoice_ids:
        return set()
    return set(Settlement.objects.filter(invoice_id__in=invoice_ids, status=SettlementStatus.APPROVED)
               .exclude(waived_interest_minor=0, waived_penalty_minor=0).values_list("invoice_id", flat=True))
