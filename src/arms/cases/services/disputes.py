"""Disputes (争议): raise one on an invoice, resolve it (credit note, corrected invoice, rejected), and warn the
owner when its SLA deadline (Chinese working days) is near or past."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import (
    DEFAULT_DEPARTMENT,
    DEFAULT_SLA_WORKING_DAYS,
    ActivityKind,
    Department,
    DisputeReason,
    DisputeResolution,
    DisputeStatus,
    Level,
)
from arms.cases.errors import AlreadyClosed, DisputeOpen
from arms.cases.models import Dispute, DisputeReasonSetting
from arms.cases.selectors import person_for_level
from arms.cases.services.activities import activity_record
from arms.cases.services.common import choice_or_error
from arms.cases.services.escalation import case_link
from arms.common.actors import user_or_none
from arms.common.errors import ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import invoices_qs_for_update, lock_customer, qs_for_update
from arms.common.notify import notify
from arms.common.services import idempotent
from arms.domain.money import format_money, proportional_part
from arms.domain.workdays import add_working_days, working_days_between
from arms.ledger.services import credit_note_post

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer
    from arms.ledger.models import Invoice

#: the owner is warned this many working days before the deadline
SLA_WARNING_WORKING_DAYS = 2


def dispute_snapshot(dispute: Dispute) -> JsonDict:
    return {
        "invoice": dispute.invoice_id, "customer": dispute.customer_id, "currency": dispute.currency,
        "amount_minor": dispute.amount_minor, "reason_code": dispute.reason_code, "department": dispute.department,
        "owner": dispute.owner_id, "status": dispute.status, "raised_on": dispute.raised_on,
        "sla_due_on": dispute.sla_due_on, "resolved_on": dispute.resolved_on, "resolution": dispute.resolution,
        "credit_note": dispute.credit_note_id, "corrected_invoice_ref": dispute.corrected_invoice_ref,
    }


def dispute_terms(reason_code: str) -> tuple[int, str]:
    """(SLA working days, default department) for a reason: its DisputeReasonSetting, else the defaults."""
    setting = DisputeReasonSetting.objects.filter(reason_code=reason_code).first()
    days = setting.sla_working_days if setting else DEFAULT_SLA_WORKING_DAYS
    department = (setting.department if setting else "") or DEFAULT_DEPARTMENT[DisputeReason(reason_code)]
    return days, str(department)


def default_owner(customer: Customer, department: str) -> User | None:
    """Who inside ARMS answers for a department's dispute: sales, quality and logistics through the
    salesperson; finance through the collector (else a finance manager); legal through legal."""
    if department == Department.FINANCE:
        return person_for_level(customer, Level.FINANCE)
    if department == Department.LEGAL:
        return person_for_level(customer, Level.CREDIT_LEGAL)
    return person_for_level(customer, Level.SALES) or person_for_level(customer, Level.FINANCE)


@transaction.atomic
def dispute_raise(
    *, invoice: Invoice, amount_minor: int, reason_code: str, actor: Actor, description: str = "", department: str = "",
    owner: User | None = None, raised_on: date | None = None, idempotency_key: str | None = None,
) -> Dispute:
    """The customer disputes (part of) an invoice. The amount is at most the invoice's open amount; one open
    dispute per invoice. The SLA deadline is ``raised_on`` + the reason's Chinese working days."""
    raised = raised_on or timezone.localdate()
    payload = {"invoice": invoice.pk, "amount": amount_minor, "reason": reason_code, "description": description,
               "department": department, "owner": getattr(owner, "pk", None), "raised_on": raised}

    def create() -> Dispute:
        customer = lock_customer(invoice.customer_id)
        locked = invoices_qs_for_update([invoice.pk]).get()
        choice_or_error(reason_code, DisputeReason, "reason_code")
        if department:
            choice_or_error(department, Department, "department")
        if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
            raise ValidationFailed(_("Must be greater than zero."), field="amount_minor")
        if amount_minor > locked.amount_open_minor:
            raise ValidationFailed(
                _("The disputed amount (%(amount)s) exceeds the invoice's open amount (%(open)s).")
                % {"amount": format_money(amount_minor, locked.currency),
                   "open": format_money(locked.amount_open_minor, locked.currency)},
                field="amount_minor", code=ErrorCode.EXCEEDS_OPEN_AMOUNT,
            )
        if raised < locked.issue_date:
            raise ValidationFailed(_("A dispute cannot predate its invoice."), field="raised_on")
        if raised > timezone.localdate():
            raise ValidationFailed(_("A dispute cannot be raised in the future."), field="raised_on")
        if Dispute.objects.filter(invoice=locked, status=DisputeStatus.OPEN).exists():
            raise DisputeOpen(_("Invoice %(number)s already has an open dispute.") % {"number": locked.number},
                              field="invoice_id")
        if owner is not None and not owner.is_active:
            raise ValidationFailed(_("The owner's account is disabled."), field="owner")
        days, default_department = dispute_terms(reason_code)
        dept = department or default_department
        dispute = Dispute.objects.create(
            customer=customer, invoice=locked, currency=locked.currency, amount_minor=amount_minor,
            reason_code=reason_code, description=description, department=dept,
            owner=owner or default_owner(customer, dept), raised_on=raised,
            sla_due_on=add_working_days(raised, days), raised_by=user_or_none(actor),
        )
        text = _("Dispute on %(invoice)s: %(amount)s, %(reason)s. %(description)s") % {
            "invoice": locked.number, "amount": format_money(amount_minor, locked.currency),
            "reason": dispute.get_reason_code_display(), "description": description}
        activity_record(customer=customer, kind=ActivityKind.NOTE, direction="in", outcome="disputed", note=text,
                        actor=actor, invoices=[locked], source="dispute", source_ref=f"dispute:{dispute.pk}")
        audit_record(actor=actor, action="dispute_raised", subject=dispute, after=dispute_snapshot(dispute))
        if dispute.owner is not None and dispute.owner != user_or_none(actor):
            notify([dispute.owner], subject=_("New dispute: %(invoice)s") % {"invoice": locked.number},
                   body=text + "\n" + _("Deadline: %(date)s") % {"date": dispute.sla_due_on.isoformat()},
                   link=case_link(customer), kind="collections.dispute_raised")
        return dispute

    dispute, _created = idempotent(scope="cases.dispute", key=idempotency_key, payload=payload, model=Dispute,
                                   create=create)
    return dispute


@transaction.atomic
def dispute_resolve(
    *, dispute: Dispute, resolution: str, actor: Actor, note: str = "", on: date | None = None,
    credit_minor: int | None = None, corrected_invoice_ref: str = "",
) -> Dispute:
    """Close a dispute.

    - ``credit_note``: post a credit note (the ledger's ``credit_note_post``) for ``credit_minor`` gross (default
      the disputed amount, at most the invoice's open amount), VAT in the invoice's proportion;
    - ``corrected_invoice``: a corrected invoice was issued; ``corrected_invoice_ref`` names it;
    - ``rejected``: the claim is refused and the amount goes back to dunning.
    """
    day = on or timezone.localdate()
    customer = lock_customer(dispute.customer_id)
    invoice = invoices_qs_for_update([dispute.invoice_id]).get()
    locked = qs_for_update(Dispute.objects.all()).get(pk=dispute.pk)
    choice_or_error(resolution, DisputeResolution, "resolution")
    if locked.status != DisputeStatus.OPEN:
        raise AlreadyClosed(_("The dispute is already %(status)s.") % {"status": locked.get_status_display()},
                            field="dispute")
    if day < locked.raised_on:
        raise ValidationFailed(_("A dispute cannot be resolved before it was raised."), field="on")
    before = dispute_snapshot(locked)
    if resolution == DisputeResolution.CREDIT_NOTE:
        user = user_or_none(actor)
        if user is None or not user.has_perm("ledger.add_creditnote"):
            raise Forbidden(_("Your role cannot post credit notes."), field="resolution")
        gross = min(locked.amount_minor, invoice.amount_open_minor) if credit_minor is None else credit_minor
        if isinstance(gross, bool) or not isinstance(gross, int) or gross <= 0:
            raise ValidationFailed(_("Must be greater than zero."), field="credit_minor")
        if gross > invoice.amount_open_minor:
            raise ValidationFailed(_("The credit (%(amount)s) exceeds the invoice's open amount (%(open)s).")
                                   % {"amount": format_money(gross, invoice.currency),
                                      "open": format_money(invoice.amount_open_minor, invoice.currency)},
                                   field="credit_minor", code=ErrorCode.EXCEEDS_OPEN_AMOUNT)
        tax = proportional_part(invoice.tax_minor, invoice.gross_minor, gross)
        locked.credit_note = credit_note_post(
            actor=actor, invoice=invoice, on=day, net_minor=gross - tax, tax_minor=tax,
            reason=(_("Dispute settled: %(reason)s") % {"reason": locked.get_reason_code_display()}
                    + (f" {note}" if note else ""))[:300],
        )
        locked.status = DisputeStatus.RESOLVED
    elif resolution == DisputeResolution.CORRECTED_INVOICE:
        ref = (corrected_invoice_ref or "").strip()
        if not ref:
            raise ValidationFailed(_("Name the corrected invoice."), field="corrected_invoice_ref")
        if len(ref) > 60:
            raise ValidationFailed(_("At most 60 characters."), field="corrected_invoice_ref")
        locked.corrected_invoice_ref = ref
        locked.status = DisputeStatus.RESOLVED
    else:
        locked.status = DisputeStatus.REJECTED
    locked.resolution, locked.resolution_note = resolution, note
    locked.resolved_on, locked.resolved_by = day, user_or_none(actor)
    locked.save(update_fields=["status", "resolution", "resolution_note", "resolved_on", "resolved_by",
                               "credit_note", "corrected_invoice_ref"])
    text = _("Dispute on %(invoice)s closed: %(resolution)s. %(note)s") % {
        "invoice": invoice.number, "resolution": locked.get_resolution_display(), "note": note}
    activity_record(customer=customer, kind=ActivityKind.NOTE, outcome=f"dispute_{resolution}", note=text,
                    actor=actor, invoices=[invoice], source="dispute", source_ref=f"dispute:{locked.pk}:closed")
    audit_record(actor=actor, action="dispute_rejected" if resolution == DisputeResolution.REJECTED
                 else "dispute_resolved", subject=locked, before=before, after=dispute_snapshot(locked))
    return locked


def disputes_sla_check(*, as_of: date) -> dict[str, int]:
    """Tell each open dispute's owner once when its deadline is within 2 working days, and once when it has
    passed (the overdue notice also to the finance level's person: the collector or a finance manager)."""
    counts = {"warned": 0, "overdue": 0}
    for pk in list(Dispute.objects.filter(status=DisputeStatus.OPEN, raised_on__lte=as_of)
                   .filter(sla_overdue_notified_on__isnull=True).order_by("sla_due_on", "pk")
                   .values_list("pk", flat=True)):
        with transaction.atomic(durable=True):
            dispute = (qs_for_update(Dispute.objects.all(), own_rows_only=True)
                       .select_related("invoice", "customer", "owner").get(pk=pk))
            if dispute.status != DisputeStatus.OPEN:
                continue
            left = working_days_between(as_of, dispute.sla_due_on)
            subject = None
            if as_of > dispute.sla_due_on and dispute.sla_overdue_notified_on is None:
                dispute.sla_overdue_notified_on = as_of
                dispute.save(update_fields=["sla_overdue_notified_on"])
                subject = _("Dispute past its deadline: %(invoice)s") % {"invoice": dispute.invoice.number}
                counts["overdue"] += 1
                people = [dispute.owner, person_for_level(dispute.customer, Level.FINANCE)]
            elif 0 <= left <= SLA_WARNING_WORKING_DAYS and dispute.sla_warned_on is None:
                dispute.sla_warned_on = as_of
                dispute.save(update_fields=["sla_warned_on"])
                subject = _("Dispute deadline near: %(invoice)s") % {"invoice": dispute.invoice.number}
                counts["warned"] += 1
                people = [dispute.owner]
            if subject is None:
                continue
            audit_record(actor=None, action="dispute_sla_notified", subject=dispute,
                         after={"as_of": as_of, "sla_due_on": dispute.sla_due_on, "subject": subject})
            notify([p for p in people if p is not None], subject=subject,
                   body=_("%(customer)s, %(amount)s, deadline %(date)s.") % {
                       "customer": dispute.customer.name,
                       "amount": format_money(dispute.amount_minor, dispute.currency),
                       "date": dispute.sla_due_on.isoformat()},
                   link=case_link(dispute.customer), kind="collections.dispute_sla")
    return counts
