"""Legal cases: open one against a customer for some of its invoices, file it (the claims' limitation periods are
interrupted), record preservation, hearings, judgment, enforcement, costs and documents, move its status.

Each write locks the customer, then the case row, and is audited in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.services.common import choice_or_error
from arms.common.actors import user_or_none
from arms.common.attachments import attachment_store
from arms.common.errors import Conflict, ErrorCode, ValidationFailed
from arms.common.locks import lock_customer, lock_one
from arms.legal.enums import CLOSED, TRANSITIONS, CaseKind, CaseStatus, CostKind, EnforcementStatus
from arms.legal.models import CaseCost, CaseDocument, DebtorAsset, Hearing, LegalCase
from arms.legal.services.common import amount, claims_of, day, text
from arms.limitation.services import interruption_record

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Customer

MAX_FILE_NAME = 200


def _locked(case: LegalCase) -> LegalCase:
    lock_customer(case.customer_id)
    locked: LegalCase = lock_one(LegalCase.objects.all(), pk=case.pk)
    return locked


def _open(case: LegalCase) -> None:
    if case.status in CLOSED:
        raise Conflict(_("The case is closed."), code=ErrorCode.CASE_STATUS_NOT_ALLOWED)


@transaction.atomic
def case_open(*, actor: Actor, customer: Customer, kind: str, forum: str, invoice_ids: list[int],
              claim_minor: int | None = None,
              note: str = "") -> LegalCase:
    """A case in preparation against ``customer`` for the invoices named; the claim defaults to what is open on
    them."""
    choice_or_error(kind, CaseKind, "kind")
    forum = text(forum, field="forum", limit=200, required=True)
    note = text(note, field="note", limit=4000)
    lock_customer(customer.pk)
    invoices = claims_of(customer, invoice_ids)
    claim = (sum(i.amount_open_minor for i in invoices) if claim_minor is None
             else amount(claim_minor, field="claim_minor", positive=True))
    if claim <= 0:
        raise ValidationFailed(_("The invoices have nothing open: state the claim amount."), field="claim_minor")
    case = LegalCase.objects.create(company=customer.company, customer=customer, kind=kind, forum=forum,
                                    currency=invoices[0].currency, claim_minor=claim, note=note,
                                    created_by=user_or_none(actor))
    case.claims.set(invoices)
    audit_record(actor=actor, action="legal_case_opened", subject=case, after={
        "customer": customer.pk, "kind": kind, "forum": forum, "claim_minor": claim, "currency": case.currency,
        "invoices": [i.pk for i in invoices]})
    return case


def _interrupt_limitation(case: LegalCase, actor: Actor) -> None:
    """Filing interrupts the limitation period of every claim (PRC Civil Code art. 195), once per case."""
    assert case.filed_on is not None  # called on filing
    interruption_record(actor=actor, invoices=list(case.claims.order_by("pk")),
                        kind="lawsuit" if case.kind == CaseKind.LITIGATION else "arbitration",
                        on=case.filed_on, source=f"legal.case:{case.pk}",
                        note=f"{case.forum} {case.case_number}".strip())


@transaction.atomic
def case_file(*, actor: Actor, case: LegalCase, filed_on: date, case_number: str = "") -> LegalCase:
    """The case was filed with the court or commission on ``filed_on``."""
    day(filed_on, field="filed_on", required=True)
    case_number = text(case_number, field="case_number", limit=100)
    case = _locked(case)
    if case.status != CaseStatus.PREPARING:
        raise Conflict(_("Only a case in preparation can be filed."), code=ErrorCode.CASE_STATUS_NOT_ALLOWED)
    if case.claims.filter(issue_date__gt=filed_on).exists():
        raise ValidationFailed(_("A case cannot be filed before its invoices were issued."), field="filed_on")
    case.filed_on, case.case_number, case.status = filed_on, case_number, CaseStatus.FILED
    case.save(update_fields=["filed_on", "case_number", "status", "updated_at"])
    _interrupt_limitation(case, actor)
    audit_record(actor=actor, action="legal_case_status_changed", subject=case,
                 before={"status": CaseStatus.PREPARING.value},
                 after={"status": case.status, "filed_on": filed_on, "case_number": case_number})
    return case


@transaction.atomic
def case_status_set(*, actor: Actor, case: LegalCase, status: str) -> LegalCase:
    """Move the case along its steps (``enums.TRANSITIONS``); filing goes through ``case_file``."""
    choice_or_error(status, CaseStatus, "status")
    case = _locked(case)
    if status == CaseStatus.FILED and case.status == CaseStatus.PREPARING:
        raise ValidationFailed(_("Give the filing date to file the case."), field="filed_on")
    if status not in TRANSITIONS.get(case.status, set()):
        raise Conflict(_("A case that is %(now)s cannot become %(then)s.") % {
            "now": CaseStatus(case.status).label, "then": CaseStatus(status).label},
            code=ErrorCode.CASE_STATUS_NOT_ALLOWED, field="status")
    before = case.status
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="legal_case_status_changed", subject=case, before={"status": before},
                 after={"status": status})
    return case


@transaction.atomic
def case_preservation(*, actor: Actor, case: LegalCase, applied_on: date, ordered_on: date | None = None,
                      amount_minor: int = 0, order_number: str = "", asset_ids: list[int] | None = None) -> LegalCase:
    """Property preservation (财产保全): applied for, ordered, the amount frozen and the debtor's assets it names."""
    day(applied_on, field="applied_on", required=True)
    day(ordered_on, field="ordered_on")
    if ordered_on is not None and ordered_on < applied_on:
        raise ValidationFailed(_("The order cannot precede the application."), field="ordered_on")
    preserved = amount(amount_minor, field="amount_minor")
    order_number = text(order_number, field="order_number", limit=100)
    case = _locked(case)
    _open(case)
    assets = list(DebtorAsset.objects.filter(pk__in=sorted(set(asset_ids or [])), customer_id=case.customer_id))
    if len(assets) != len(set(asset_ids or [])):
        raise ValidationFailed(_("Every asset must be one of the debtor's."), field="asset_ids")
    case.preservation_applied_on, case.preservation_ordered_on = applied_on, ordered_on
    case.preservation_minor, case.preservation_order_number = preserved, order_number
    case.save(update_fields=["preservation_applied_on", "preservation_ordered_on", "preservation_minor",
                             "preservation_order_number", "updated_at"])
    case.preserved_assets.set(assets)
    audit_record(actor=actor, action="legal_case_updated", subject=case, after={
        "preservation_applied_on": applied_on, "preservation_ordered_on": ordered_on,
        "preservation_minor": preserved, "order_number": order_number, "assets": [a.pk for a in assets]})
    return case


@transaction.atomic
def case_judgment(*, actor: Actor, case: LegalCase, judgment_on: date, awarded_minor: int, awarded_costs_minor: int = 0,
                  document_name: str = "", document_bytes: bytes | None = None) -> LegalCase:
    """The judgment or award: its date, the principal and the interest and costs awarded, the document."""
    day(judgment_on, field="judgment_on", required=True)
    awarded = amount(awarded_minor, field="awarded_minor")
    costs = amount(awarded_costs_minor, field="awarded_costs_minor")
    case = _locked(case)
    _open(case)
    if case.filed_on is None or judgment_on < case.filed_on:
        raise ValidationFailed(_("A judgment comes after the filing."), field="judgment_on")
    case.judgment_on, case.awarded_minor, case.awarded_costs_minor = judgment_on, awarded, costs
    if document_bytes:
        case.judgment_document = attachment_store(content=document_bytes, name=document_name or "judgment.pdf")
    case.save(update_fields=["judgment_on", "awarded_minor", "awarded_costs_minor", "judgment_document",
                             "updated_at"])
    audit_record(actor=actor, action="legal_case_updated", subject=case, after={
        "judgment_on": judgment_on, "awarded_minor": awarded, "awarded_costs_minor": costs,
        "document": case.judgment_document.sha256 if case.judgment_document else None})
    return case


@transaction.atomic
def case_enforcement(*, actor: Actor, case: LegalCase, applied_on: date, enforcement_case_number: str = "",
                     enforcement_status: str = EnforcementStatus.APPLIED) -> LegalCase:
    day(applied_on, field="applied_on", required=True)
    number = text(enforcement_case_number, field="enforcement_case_number", limit=100)
    choice_or_error(enforcement_status, EnforcementStatus, "enforcement_status")
    case = _locked(case)
    _open(case)
    case.enforcement_applied_on, case.enforcement_case_number = applied_on, number
    case.enforcement_status = enforcement_status
    case.save(update_fields=["enforcement_applied_on", "enforcement_case_number", "enforcement_status", "updated_at"])
    audit_record(actor=actor, action="legal_case_updated", subject=case, after={
        "enforcement_applied_on": applied_on, "enforcement_case_number": number,
        "enforcement_status": enforcement_status})
    return case


@transaction.atomic
def hearing_record(*, actor: Actor, case: LegalCase, on: date, note: str = "") -> Hearing:
    """A hearing (past or scheduled: a future date is allowed)."""
    day(on, field="on", required=True, past=False)
    note = text(note, field="note", limit=1000)
    case = _locked(case)
    _open(case)
    hearing = Hearing.objects.create(case=case, on=on, note=note, created_by=user_or_none(actor))
    audit_record(actor=actor, action="legal_hearing_recorded", subject=case, after={"on": on, "note": note})
    return hearing


@transaction.atomic
def cost_record(*, actor: Actor, case: LegalCase, kind: str, on: date, amount_minor: int, note: str = "") -> CaseCost:
    """A cost of the case (court fee, lawyer's fee, preservation fee), CNY. Recorded on the case with its totals:
    the ledger has no account for legal costs, and ARMS invents none (docs/legal.md)."""
    choice_or_error(kind, CostKind, "kind")
    day(on, field="on", required=True)
    cost_amount = amount(amount_minor, field="amount_minor", positive=True)
    note = text(note, field="note", limit=500)
    case = _locked(case)
    cost = CaseCost.objects.create(case=case, kind=kind, on=on, amount_minor=cost_amount, note=note,
                                   created_by=user_or_none(actor))
    audit_record(actor=actor, action="legal_cost_recorded", subject=case, after={
        "kind": kind, "on": on, "amount_minor": cost_amount, "note": note})
    return cost


@transaction.atomic
def document_attach(*, actor: Actor, case: LegalCase, name: str, content: bytes) -> CaseDocument:
    name = text(name, field="file", limit=MAX_FILE_NAME, required=True)
    if not content:
        raise ValidationFailed(_("The file is empty."), field="file")
    case = _locked(case)
    stored = attachment_store(content=content, name=name)
    document = CaseDocument.objects.create(case=case, name=name, attachment=stored, created_by=user_or_none(actor))
    audit_record(actor=actor, action="legal_document_attached", subject=case, after={
        "name": name, "sha256": stored.sha256})
    return document
