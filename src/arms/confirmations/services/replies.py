"""confirmation_reply: the customer's answer to a confirmation letter (信息无误 / 信息不符，差异如下), recorded by a
clerk (with the signed and sealed scan) or given by the customer's contact in the portal.

A confirmed answer freezes the confirmation for good: it is the customer's written acknowledgement of the debt.
A disputed answer lists the differences; each becomes work for its owner (the collector, else the salesperson)
with a deadline in China's working days and a collection task, and a difference on an invoice that is still open
also opens a dispute in collections (so the amount leaves dunning while it is checked).
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import ActivityKind, DisputeReason, DisputeStatus, Level, TaskKind
from arms.cases.models import Dispute
from arms.cases.selectors import person_for_level
from arms.cases.services.activities import activity_record
from arms.cases.services.disputes import dispute_raise
from arms.cases.services.tasks import task_create_or_get
from arms.common.bounds import MAX_MINOR, MAX_NOTE
from arms.common.errors import ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.notify import notify
from arms.common.uploads import FileTooLarge, upload_max_bytes, upload_too_large_message
from arms.confirmations.enums import AWAITING_REPLY, Answer, ConfirmationStatus, DifferenceKind, ReplyChannel
from arms.confirmations.errors import ConfirmationAnswered, ConfirmationNotOpen
from arms.confirmations.models import Confirmation, ConfirmationDifference
from arms.confirmations.services.common import confirmation_audit, difference_audit
from arms.confirmations.services.settings import confirmation_settings_for
from arms.domain.money import format_money
from arms.domain.workdays import add_working_days
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.customers.models import Contact, Customer

MAX_DIFFERENCES = 200
#: what a signed and sealed scan may be
SCAN_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".webp"}
#: kinds of difference that say an invoice of ours is wrong or unknown to the customer: they open a dispute
DISPUTING_KINDS = {DifferenceKind.AMOUNT_DIFFERS, DifferenceKind.NOT_IN_CUSTOMER_BOOKS}


def _scan_read(scan: Any) -> tuple[str, bytes]:
    """(file name, bytes) of ``scan``: an uploaded file (``name`` and ``read()``) or a (name, bytes) pair."""
    if isinstance(scan, tuple) and len(scan) == 2:
        name, content = scan
    else:
        name = getattr(scan, "name", "") or ""
        size = getattr(scan, "size", None)
        if size is not None and size > upload_max_bytes():
            raise FileTooLarge(upload_too_large_message(), field="scan", limit=upload_max_bytes())
        content = scan.read()
    name = PurePath(str(name or "")).name.strip()
    if not isinstance(content, bytes | bytearray):
        raise ValidationFailed(_("The scan is not a file."), field="scan")
    if not name:
        raise ValidationFailed(_("Name the attached file."), field="scan")
    if len(name) > 200:
        raise ValidationFailed(_("At most 200 characters."), field="scan")
    if PurePath(name).suffix.lower() not in SCAN_SUFFIXES:
        raise ValidationFailed(_("The scan must be a PDF or an image (JPEG, PNG, TIFF)."), field="scan")
    if not content:
        raise ValidationFailed(_("The attached file is empty."), field="scan")
    if len(content) > upload_max_bytes():
        raise FileTooLarge(upload_too_large_message(), field="scan", limit=upload_max_bytes())
    return name, bytes(content)


def _differences_checked(*, customer: Customer, currency: str, differences: Any) -> list[dict[str, Any]]:
    """Each difference as the model will hold it; refuses the first bad field with its index."""
    if isinstance(differences, dict | str | bytes) or not hasattr(differences, "__iter__"):
        raise ValidationFailed(_("A list of differences is expected."), field="differences")
    items = list(differences)
    if len(items) > MAX_DIFFERENCES:
        raise ValidationFailed(_("At most %(n)s differences.") % {"n": MAX_DIFFERENCES}, field="differences")
    checked = []
    for index, item in enumerate(items):
        field = f"differences[{index}]"
        if not isinstance(item, dict):
            raise ValidationFailed(_("A difference is an object with kind, amount_minor, description."),
                                   field=field)
        kind = item.get("kind")
        if kind not in DifferenceKind.values:
            raise ValidationFailed(_("One of: %(choices)s.") % {"choices": ", ".join(DifferenceKind.values)},
                                   field=f"{field}.kind")
        amount = item.get("amount_minor")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValidationFailed(_("Must be greater than zero."), field=f"{field}.amount_minor")
        if amount > MAX_MINOR:
            raise ValidationFailed(_("The amount is too large."), field=f"{field}.amount_minor")
        description = item.get("description") or ""
        if not isinstance(description, str):
            raise ValidationFailed(_("Text is expected."), field=f"{field}.description")
        description = description.strip()
        if len(description) > MAX_NOTE:
            raise ValidationFailed(_("At most %(n)s characters.") % {"n": MAX_NOTE}, field=f"{field}.description")
        invoice = None
        invoice_id = item.get("invoice_id")
        if invoice_id not in (None, ""):
            if isinstance(invoice_id, bool) or not isinstance(invoice_id, int):
                raise ValidationFailed(_("An invoice id is a number."), field=f"{field}.invoice_id")
            invoice = Invoice.objects.filter(pk=invoice_id, customer=customer).first()
            if invoice is None:
                raise ValidationFailed(_("Invoice %(id)s is not one of this customer's.") % {"id": invoice_id},
                                       field=f"{field}.invoice_id")
        elif kind == DifferenceKind.AMOUNT_DIFFERS and not description:
            raise ValidationFailed(_("Name the invoice, or describe the item whose amount differs."),
                                   field=f"{field}.invoice_id")
        if kind == DifferenceKind.NOT_IN_OUR_BOOKS and not description:
            raise ValidationFailed(_("Describe the item missing from our books (its number and date)."),
                                   field=f"{field}.description")
        checked.append({"kind": kind, "amount_minor": amount, "description": description, "invoice": invoice,
                        "currency": invoice.currency if invoice else currency})
    return checked


def difference_owner(customer: Customer) -> Any:
    """The collector, else the salesperson, else whoever holds the finance level."""
    for person in (customer.collector, customer.salesperson):
        if person is not None and person.is_active:
            return person
    return person_for_level(customer, Level.FINANCE)


def confirmation_reply(*, confirmation: Confirmation, actor: Any, answer: str, channel: str,
                       differences: Any = (), note: str = "", scan: Any = None,
                       contact: Contact | None = None) -> Confirmation:
    """Record the customer's answer to ``confirmation``.

    ``answer`` is ``confirmed`` or ``disputed``; ``channel`` how it came (``portal``, ``scan``, ``email``, ``post``,
    ``other``). A dispute lists ``differences``, each ``{"invoice_id": int | None, "kind": str, "amount_minor":
    int, "description": str}`` with ``kind`` one of ``amount_differs``, ``not_in_customer_books`` (missing from
    the customer's books), ``not_in_our_books``, ``other``. ``scan`` (an uploaded file, or a (name, bytes) pair)
    is the signed and sealed reply, required for the ``scan`` channel. ``contact`` is the customer's contact who
    answered (required from the portal). ``actor`` is the clerk, or the contact as
    ``ExternalActor(kind="portal", ...)``.

    Refused with nothing written: a second answer (``confirmation_answered``), a superseded letter
    (``confirmation_not_open``), and any bad field, named (``differences[2].amount_minor``).
    """
    with transaction.atomic():
        return _reply(confirmation=confirmation, actor=actor, answer=answer, channel=channel,
                      differences=differences, note=note, scan=scan, contact=contact)


def _reply(*, confirmation: Confirmation, actor: Any, answer: str, channel: str, differences: Any, note: Any,
           scan: Any, contact: Contact | None) -> Confirmation:
    if answer not in Answer.values:
        raise ValidationFailed(_("One of: %(choices)s.") % {"choices": ", ".join(Answer.values)}, field="answer")
    if channel not in ReplyChannel.values:
        raise ValidationFailed(_("One of: %(choices)s.") % {"choices": ", ".join(ReplyChannel.values)},
                               field="channel")
    note = note or ""
    if not isinstance(note, str):
        raise ValidationFailed(_("Text is expected."), field="note")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(_("At most %(n)s characters.") % {"n": MAX_NOTE}, field="note")
    customer = lock_customer(confirmation.customer_id)
    locked: Confirmation = qs_for_update(Confirmation.objects.all()).get(pk=confirmation.pk)
    if locked.status in (ConfirmationStatus.CONFIRMED, ConfirmationStatus.DISPUTED):
        raise ConfirmationAnswered(
            _("This confirmation was already answered (%(answer)s) on %(date)s.")
            % {"answer": locked.get_answer_display(), "date": locked.answered_on}, field="confirmation")
    if locked.status not in AWAITING_REPLY:
        raise ConfirmationNotOpen(_("This confirmation was superseded by a later period's."), field="confirmation")
    if contact is not None and contact.customer_id != customer.pk:
        raise ValidationFailed(_("The contact is not one of this customer's."), field="contact")
    if channel == ReplyChannel.PORTAL and contact is None:
        raise ValidationFailed(_("An answer in the portal names the contact who gave it."), field="contact")
    checked = _differences_checked(customer=customer, currency=locked.currency, differences=differences or ())
    if answer == Answer.CONFIRMED and checked:
        raise ValidationFailed(_("A confirmed balance has no differences; answer 'disputed' to list them."),
                               field="differences")
    if answer == Answer.DISPUTED and not checked:
        raise ValidationFailed(_("List at least one difference (item and amount)."), field="differences")
    scan_name, scan_bytes = _scan_read(scan) if scan is not None else ("", None)
    if channel == ReplyChannel.SCAN and scan_bytes is None:
        raise ValidationFailed(_("Attach the signed and sealed reply."), field="scan")

    now = timezone.now()
    today = timezone.localdate()
    before = confirmation_audit(locked)
    outcome = "balance_confirmed" if answer == Answer.CONFIRMED else "balance_disputed"
    text = _("Balance confirmation for %(period)s answered: %(answer)s (%(channel)s). %(note)s") % {
        "period": locked.period_end.isoformat(), "answer": Answer(answer).label, "channel": ReplyChannel(channel).label,
        "note": note}
    activity = activity_record(
        customer=customer, kind=ActivityKind.LETTER if channel in (ReplyChannel.SCAN, ReplyChannel.POST)
        else ActivityKind.EMAIL if channel == ReplyChannel.EMAIL else ActivityKind.NOTE,
        direction="in", outcome=outcome, note=text.strip(), actor=actor, source="confirmation",
        source_ref=f"confirmation:{locked.pk}:answer", attachment_name=scan_name, attachment_bytes=scan_bytes,
        invoices=[item["invoice"] for item in checked if item["invoice"] is not None],
    )
    locked.status = ConfirmationStatus(answer)
    locked.answer, locked.answer_channel, locked.answer_note = answer, channel, note
    locked.answered_at, locked.answered_on = now, today
    locked.answered_contact = contact
    locked.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    if activity.attachment_id:
        locked.scan, locked.scan_name = activity.attachment, activity.attachment_name
    locked.save(update_fields=["status", "answer", "answer_channel", "answer_note", "answered_at", "answered_on",
                               "answered_contact", "answered_by", "scan", "scan_name"])
    audit_record(actor=actor, action="confirmation_answered", subject=locked, before=before,
                 after=confirmation_audit(locked))
    if checked:
        _differences_create(confirmation=locked, customer=customer, checked=checked, actor=actor, today=today)
    return locked


def _differences_create(*, confirmation: Confirmation, customer: Customer, checked: list[dict[str, Any]], actor: Any,
                        today: date) -> list[ConfirmationDifference]:
    settings = confirmation_settings_for(confirmation.company)
    deadline = add_working_days(today, settings.difference_working_days)
    owner = difference_owner(customer)
    made = []
    for item in checked:
        invoice = item["invoice"]
        dispute = None
        if (invoice is not None and item["kind"] in DISPUTING_KINDS and invoice.amount_open_minor > 0
                and not Dispute.objects.filter(invoice=invoice, status=DisputeStatus.OPEN).exists()):
            dispute = dispute_raise(
                invoice=invoice, amount_minor=min(item["amount_minor"], invoice.amount_open_minor),
                reason_code=DisputeReason.OTHER, actor=actor, owner=owner, raised_on=today,
                description=(_("Balance confirmation %(period)s: %(description)s")
                             % {"period": confirmation.period_end.isoformat(),
                                "description": item["description"]})[:MAX_NOTE],
            )
        difference = ConfirmationDifference.objects.create(
            confirmation=confirmation, customer=customer, invoice=invoice, kind=item["kind"],
            currency=item["currency"], amount_minor=item["amount_minor"], description=item["description"],
            owner=owner, raised_on=today, deadline=deadline, dispute=dispute,
        )
        label = invoice.number if invoice is not None else DifferenceKind(item["kind"]).label
        task, _created = task_create_or_get(
            customer=customer, kind=TaskKind.FOLLOW_UP, level=Level.FINANCE, due_on=deadline, assignee=owner,
            title=(_("Check the confirmation difference: %(item)s, %(amount)s")
                   % {"item": label, "amount": format_money(item["amount_minor"], item["currency"])})[:200],
            source="confirmation", source_ref=f"difference:{difference.pk}", actor=actor,
        )
        difference.task = task
        difference.save(update_fields=["task"])
        audit_record(actor=actor, action="confirmation_difference_raised", subject=difference,
                     after=difference_audit(difference))
        made.append(difference)
    if owner is not None:
        notify([owner], subject=_("Balance confirmation disputed: %(customer)s") % {"customer": customer.name},
               body=_("%(n)s difference(s) to settle by %(date)s.") % {"n": len(made), "date": deadline.isoformat()},
               link=f"/confirmations/{confirmation.pk}/", kind="confirmations.disputed")
    return made
