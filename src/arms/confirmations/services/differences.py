"""difference_resolve: a difference the customer listed is settled — by a credit note, a corrected invoice, a
payment found and applied, or rejected with an explanation that is e-mailed back to the customer's contacts."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import ActivityKind, DisputeResolution, DisputeStatus, TaskStatus
from arms.cases.services.activities import activity_record
from arms.cases.services.disputes import dispute_resolve
from arms.cases.services.tasks import task_complete
from arms.common.bounds import MAX_NOTE
from arms.common.errors import Forbidden, ValidationFailed
from arms.common.locks import invoices_qs_for_update, lock_customer, qs_for_update
from arms.confirmations.enums import DifferenceStatus, Resolution
from arms.confirmations.errors import DifferenceResolved
from arms.confirmations.models import ConfirmationDifference
from arms.confirmations.services.common import difference_audit
from arms.confirmations.services.dispatch import recipients_for
from arms.domain.money import proportional_part
from arms.ledger.models import CreditNote, Invoice, Payment
from arms.ledger.services import credit_note_post

if TYPE_CHECKING:
    from arms.customers.models import Customer

log = logging.getLogger(__name__)


def _may_credit(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("ledger.add_creditnote")):
        raise Forbidden(_("Your role cannot post credit notes."), field="resolution")


def _credit_note(*, locked: ConfirmationDifference, customer: Customer, actor: Any, credit_note_id: Any, today: date,
                 explanation: str) -> CreditNote:
    """The credit note that settles the difference: the one named, else one posted now (through the open
    dispute on the invoice when there is one) for the difference, at most the invoice's open amount."""
    if credit_note_id not in (None, ""):
        note = CreditNote.objects.filter(pk=credit_note_id, customer=customer).first() if isinstance(
            credit_note_id, int) and not isinstance(credit_note_id, bool) else None
        if note is None:
            raise ValidationFailed(_("Credit note %(id)s is not one of this customer's.") % {"id": credit_note_id},
                                   field="credit_note_id")
        if locked.dispute is not None and locked.dispute.status == DisputeStatus.OPEN:
            dispute_resolve(dispute=locked.dispute, resolution=DisputeResolution.REJECTED, actor=actor,
                            note=_("Settled by credit note %(number)s.") % {"number": note.number}, on=today)
        return note
    _may_credit(actor)
    if locked.dispute is not None and locked.dispute.status == DisputeStatus.OPEN:
        resolved = dispute_resolve(dispute=locked.dispute, resolution=DisputeResolution.CREDIT_NOTE, actor=actor,
                                   note=explanation, on=today)
        assert resolved.credit_note is not None
        return resolved.credit_note
    if locked.invoice_id is None:
        raise ValidationFailed(_("Name the credit note (the difference is on no invoice)."), field="credit_note_id")

    invoice = invoices_qs_for_update([locked.invoice_id]).get()
    gross = min(locked.amount_minor, invoice.amount_open_minor)
    if gross <= 0:
        raise ValidationFailed(_("The invoice is settled: name the credit note."), field="credit_note_id")
    tax = proportional_part(invoice.tax_minor, invoice.gross_minor, gross)
    return credit_note_post(actor=actor, invoice=invoice, on=today, net_minor=gross - tax, tax_minor=tax,
                            reason=(_("Balance confirmation difference: %(text)s")
                                    % {"text": locked.description or locked.get_kind_display()})[:300])


def _rejection_mail(*, customer: Customer, difference: ConfirmationDifference, explanation: str) -> None:
    addresses = [c.email for c in recipients_for(customer)]
    if not addresses:
        return
    period = difference.confirmation.period_end.isoformat()
    subject = _("Your balance confirmation %(period)s: our answer on a difference") % {"period": period}
    body = "\n".join([
        _("About the difference you listed: %(text)s") % {"text": difference.description
                                                          or difference.get_kind_display()},
        "", explanation])
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=addresses)

    def send() -> None:
        try:
            message.send(fail_silently=False)
        except Exception:
            log.exception("confirmation difference %s: rejection e-mail failed", difference.pk)

    transaction.on_commit(send)


@transaction.atomic
def difference_resolve(*, difference: ConfirmationDifference, actor: Any, resolution: str, explanation: str = "",
                       credit_note_id: int | None = None, corrected_invoice_id: int | None = None,
                       payment_id: int | None = None) -> ConfirmationDifference:
    """Settle ``difference``:

    - ``credit_note``: the credit note ``credit_note_id``, or one posted now for the difference (at most the
      invoice's open amount; needs the right to post credit notes);
    - ``corrected_invoice``: the corrected invoice ``corrected_invoice_id`` (the customer's) was issued;
    - ``payment_applied``: the payment ``payment_id`` (the customer's) was found and applied;
    - ``rejected``: our books are right; ``explanation`` is required and e-mailed to the customer's contacts.

    An open dispute opened with the difference is closed with it; the owner's task is completed.
    """
    if resolution not in Resolution.values:
        raise ValidationFailed(_("One of: %(choices)s.") % {"choices": ", ".join(Resolution.values)},
                               field="resolution")
    if not isinstance(explanation or "", str):
        raise ValidationFailed(_("Text is expected."), field="explanation")
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_NOTE:
        raise ValidationFailed(_("At most %(n)s characters.") % {"n": MAX_NOTE}, field="explanation")
    if resolution == Resolution.REJECTED and not explanation:
        raise ValidationFailed(_("Explain to the customer why our books are right."), field="explanation")
    customer = lock_customer(difference.customer_id)
    related = ConfirmationDifference.objects.select_related("dispute", "confirmation", "task")
    locked: ConfirmationDifference = qs_for_update(related, own_rows_only=True).get(pk=difference.pk)
    if locked.status != DifferenceStatus.OPEN:
        raise DifferenceResolved(_("This difference was already resolved."), field="difference")
    today = timezone.localdate()
    before = difference_audit(locked)
    if resolution == Resolution.CREDIT_NOTE:
        locked.credit_note = _credit_note(locked=locked, customer=customer, actor=actor,
                                          credit_note_id=credit_note_id, today=today, explanation=explanation)
    elif resolution == Resolution.CORRECTED_INVOICE:
        invoice = Invoice.objects.filter(pk=corrected_invoice_id, customer=customer).first() if isinstance(
            corrected_invoice_id, int) and not isinstance(corrected_invoice_id, bool) else None
        if invoice is None:
            raise ValidationFailed(_("Name the corrected invoice (one of this customer's)."),
                                   field="corrected_invoice_id")
        locked.corrected_invoice = invoice
        if locked.dispute is not None and locked.dispute.status == DisputeStatus.OPEN:
            dispute_resolve(dispute=locked.dispute, resolution=DisputeResolution.CORRECTED_INVOICE, actor=actor,
                            note=explanation, corrected_invoice_ref=invoice.number[:60], on=today)
    elif resolution == Resolution.PAYMENT_APPLIED:
        payment = Payment.objects.filter(pk=payment_id, customer=customer).first() if isinstance(
            payment_id, int) and not isinstance(payment_id, bool) else None
        if payment is None:
            raise ValidationFailed(_("Name the payment found (one of this customer's)."), field="payment_id")
        locked.payment = payment
        if locked.dispute is not None and locked.dispute.status == DisputeStatus.OPEN:
            dispute_resolve(dispute=locked.dispute, resolution=DisputeResolution.REJECTED, actor=actor,
                            note=_("Payment %(number)s found and applied.") % {"number": payment.number},
                            on=today)
    else:
        if locked.dispute is not None and locked.dispute.status == DisputeStatus.OPEN:
            dispute_resolve(dispute=locked.dispute, resolution=DisputeResolution.REJECTED, actor=actor,
                            note=explanation, on=today)
        _rejection_mail(customer=customer, difference=locked, explanation=explanation)
    locked.status, locked.resolution, locked.explanation = DifferenceStatus.RESOLVED, resolution, explanation
    locked.resolved_at = timezone.now()
    locked.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save(update_fields=["status", "resolution", "explanation", "resolved_at", "resolved_by", "credit_note",
                               "corrected_invoice", "payment"])
    text = _("Confirmation difference settled: %(resolution)s. %(explanation)s") % {
        "resolution": locked.get_resolution_display(), "explanation": explanation}
    if locked.task is not None and locked.task.status == TaskStatus.OPEN:
        task_complete(task=locked.task, actor=actor, outcome=f"difference_{resolution}", note=text.strip())
    else:
        activity_record(customer=customer, kind=ActivityKind.NOTE, outcome=f"difference_{resolution}",
                        note=text.strip(), actor=actor, source="confirmation",
                        source_ref=f"difference:{locked.pk}:resolved")
    audit_record(actor=actor, action="confirmation_difference_resolved", subject=locked, before=before,
                 after=difference_audit(locked))
    return locked
