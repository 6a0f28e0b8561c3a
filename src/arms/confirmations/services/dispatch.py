"""Sending a confirmation letter: by e-mail (PDF attached, a personal link to the portal for each contact) or by
post (the clerk records the carrier, e.g. EMS, the tracking number and, when known, the delivery date)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import ActivityKind
from arms.cases.services.activities import activity_record
from arms.common.bounds import date_check
from arms.common.errors import ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.mail import new_message_id
from arms.confirmations.documents import file_stem, render_confirmation_pdf
from arms.confirmations.enums import AWAITING_REPLY, ConfirmationStatus, DispatchChannel
from arms.confirmations.errors import ConfirmationNotOpen
from arms.confirmations.models import Confirmation, ConfirmationDispatch, ConfirmationRun
from arms.confirmations.services.common import confirmation_audit
from arms.customers.portal_access import portal_link_issue
from arms.domain.money import format_money
from arms.dunning.selectors import customer_language

if TYPE_CHECKING:
    from arms.customers.models import Contact, Customer

log = logging.getLogger(__name__)


def recipients_for(customer: Customer) -> list[Contact]:
    """The contacts a letter is e-mailed to: the primary contacts with an address, else every contact with one."""
    with_email = [c for c in customer.contacts.order_by("-is_primary", "pk") if c.email]
    primary = [c for c in with_email if c.is_primary]
    return primary or with_email


def portal_link(*, contact: Contact, actor: Any) -> str:
    """A personal, expiring link to the customer portal for ``contact`` (only its hash is stored)."""
    return portal_link_issue(contact=contact, actor=actor, purpose="confirmation")


def email_text(*, confirmation: Confirmation, contact: Contact, link: str, language: str,
               reminder: bool = False) -> tuple[str, str]:
    """(subject, body) of the letter's e-mail in the customer's language."""
    data = confirmation.snapshot_data
    company, period = data["company"]["name"], confirmation.period_end.isoformat()
    balances = "; ".join(f"{b['currency']} {format_money(b['closing_minor'], b['currency'])}"
                         for b in confirmation.balances) or format_money(0, confirmation.currency)
    if language == "en":
        subject = f"{'Reminder: ' if reminder else ''}Balance confirmation as of {period} – {company}"
        lines = [f"Dear {contact.name},", "",
                 f"please find attached our balance confirmation for {confirmation.customer.name} as of {period}.",
                 f"Balance in our books: {balances}.", "",
                 "Please confirm the balance, or list each difference with its amount, by replying in the portal:"
                 if link else "Please return the signed and sealed reply slip, or list each difference with its "
                              "amount.",
                 link, "", f"{company}"]
    else:
        subject = f"{'【催复】' if reminder else ''}对账确认函（截至 {period}）– {company}"
        lines = [f"{contact.name} 您好：", "",
                 f"附件为我司与贵司（{confirmation.customer.name}）截至 {period} 的对账确认函。",
                 f"我司账面余额：{balances}。", "",
                 "请在客户门户中确认余额，或逐项列明差异及金额：" if link
                 else "请在回执上签字盖章后寄回，或逐项列明差异及金额。",
                 link, "", company]
    return subject, "\n".join(line for line in lines if line is not None)


def _language(confirmation: Confirmation) -> str:
    language = customer_language(confirmation.customer)
    return language if language in ("zh-hans", "en") else "zh-hans"


@transaction.atomic
def confirmation_send(*, confirmation: Confirmation, actor: Any, reminder: bool = False) -> list[ConfirmationDispatch]:
    """E-mail the letter (PDF attached) to each of the customer's e-mail contacts, each with a personal portal
    link. The messages leave when the transaction commits; each is recorded as a dispatch with its Message-ID."""
    customer = lock_customer(confirmation.customer_id)
    locked = qs_for_update(Confirmation.objects.all()).get(pk=confirmation.pk)
    if locked.status not in AWAITING_REPLY:
        raise ConfirmationNotOpen(_("This confirmation is %(status)s: it is not sent again.")
                                  % {"status": locked.get_status_display()}, field="confirmation")
    contacts = recipients_for(customer)
    if not contacts:
        raise ValidationFailed(_("The customer has no contact with an e-mail address: add one, or send by post."),
                               field="email")
    language = _language(locked)
    pdf = render_confirmation_pdf(locked)
    now = timezone.now()
    made, messages = [], []
    for contact in contacts:
        link = portal_link(contact=contact, actor=actor)
        with translation.override(language):
            subject, body = email_text(confirmation=locked, contact=contact, link=link, language=language,
                                       reminder=reminder)
        message_id = new_message_id(f"confirmation{locked.pk}")
        message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                               to=[contact.email], headers={"Message-ID": message_id})
        message.attach(f"{file_stem(locked)}.pdf", pdf, "application/pdf")
        messages.append(message)
        made.append(ConfirmationDispatch.objects.create(
            confirmation=locked, channel=DispatchChannel.EMAIL, to=contact.email[:300], sent_at=now,
            message_id=message_id, note=_("Reminder") if reminder else "",
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        ))
    before = confirmation_audit(locked)
    if locked.status == ConfirmationStatus.PREPARED:
        locked.status, locked.sent_at = ConfirmationStatus.SENT, now
        locked.save(update_fields=["status", "sent_at"])
    activity_record(customer=customer, kind=ActivityKind.EMAIL, outcome="sent", actor=actor,
                    source="confirmation", source_ref=f"confirmation:{locked.pk}:email:{made[0].pk}",
                    note="\n".join([str(messages[0].subject),
                                     *(f"To: {d.to} Message-ID: {d.message_id}" for d in made)]))
    if not reminder:
        audit_record(actor=actor, action="confirmation_sent", subject=locked, before=before,
                     after={**confirmation_audit(locked), "to": [d.to for d in made],
                            "message_ids": [d.message_id for d in made]})

    def send() -> None:
        for message in messages:
            try:
                message.send(fail_silently=False)
            except Exception:  # the dispatch is recorded; the clerk sees no reply and sends again or by post
                log.exception("confirmation %s: e-mail to %s failed", locked.pk, message.to)

    transaction.on_commit(send)
    return made


def run_send(*, run: ConfirmationRun, actor: Any,
             progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """E-mail every prepared letter of ``run`` whose customer has an e-mail contact (one transaction each);
    letters without an address are counted for the post."""
    counts = {"sent": 0, "no_email": 0}
    ids = list(Confirmation.objects.filter(run=run, status=ConfirmationStatus.PREPARED)
               .values_list("pk", flat=True).order_by("pk"))
    for index, pk in enumerate(ids):
        if progress is not None:
            progress(index, len(ids))
        confirmation = Confirmation.objects.select_related("customer").get(pk=pk)
        if not recipients_for(confirmation.customer):
            counts["no_email"] += 1
            continue
        confirmation_send(confirmation=confirmation, actor=actor)
        counts["sent"] += 1
    return counts


def _text(value: Any, *, field: str, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(_("Text is expected."), field=field)
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_("This field is required."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return str(value)


@transaction.atomic
def confirmation_post_record(*, confirmation: Confirmation, actor: Any, carrier: str, tracking_no: str,
                             sent_on: date, delivered_on: date | None = None, recipient: str = "",
                             note: str = "") -> ConfirmationDispatch:
    """The letter went by post (EMS or another traceable carrier): record carrier, tracking number, the day it
    was posted and, when known, delivered."""
    carrier = _text(carrier, field="carrier", limit=60, required=True)
    tracking_no = _text(tracking_no, field="tracking_no", limit=60, required=True)
    recipient = _text(recipient, field="recipient", limit=300)
    note = _text(note, field="note", limit=500)
    date_check(sent_on, field="sent_on")
    date_check(delivered_on, field="delivered_on")
    today = timezone.localdate()
    if not isinstance(sent_on, date):
        raise ValidationFailed(_("A date is needed."), field="sent_on")
    if sent_on > today:
        raise ValidationFailed(_("A letter cannot be posted in the future."), field="sent_on")
    if delivered_on is not None and (delivered_on < sent_on or delivered_on > today):
        raise ValidationFailed(_("Delivered between the day it was posted and today."), field="delivered_on")
    customer = lock_customer(confirmation.customer_id)
    locked = qs_for_update(Confirmation.objects.all()).get(pk=confirmation.pk)
    if locked.status == ConfirmationStatus.SUPERSEDED:
        raise ConfirmationNotOpen(_("This confirmation was superseded by a later period's."), field="confirmation")
    if sent_on < locked.period_end:
        raise ValidationFailed(_("The letter cannot be posted before the period it confirms has ended."),
                               field="sent_on")
    before = confirmation_audit(locked)
    dispatch = ConfirmationDispatch.objects.create(
        confirmation=locked, channel=DispatchChannel.POST, to=recipient, carrier=carrier, tracking_no=tracking_no,
        sent_on=sent_on, delivered_on=delivered_on, note=note, sent_at=timezone.now(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if locked.status == ConfirmationStatus.PREPARED:
        locked.status, locked.sent_at = ConfirmationStatus.SENT, timezone.now()
        locked.save(update_fields=["status", "sent_at"])
    activity_record(customer=customer, kind=ActivityKind.LETTER, outcome="sent", actor=actor,
                    source="confirmation", source_ref=f"confirmation:{locked.pk}:post:{dispatch.pk}",
                    note=_("Balance confirmation posted: %(carrier)s %(tracking)s") % {"carrier": carrier,
                                                                                       "tracking": tracking_no})
    audit_record(actor=actor, action="confirmation_posted", subject=locked, before=before,
                 after={**confirmation_audit(locked), "carrier": carrier, "tracking_no": tracking_no,
                        "sent_on": sent_on, "delivered_on": delivered_on})
    return dispatch


@transaction.atomic
def confirmation_delivery_record(*, dispatch: ConfirmationDispatch, actor: Any,
                                 delivered_on: date) -> ConfirmationDispatch:
    """The carrier says the posted letter was delivered on ``delivered_on`` (the signed receipt is kept by it)."""
    date_check(delivered_on, field="delivered_on")
    locked: ConfirmationDispatch = qs_for_update(ConfirmationDispatch.objects.all()).get(pk=dispatch.pk)
    if locked.channel != DispatchChannel.POST:
        raise ValidationFailed(_("Only a posted letter has a delivery date."), field="dispatch")
    if not isinstance(delivered_on, date) or delivered_on > timezone.localdate() or (
            locked.sent_on and delivered_on < locked.sent_on):
        raise ValidationFailed(_("Delivered between the day it was posted and today."), field="delivered_on")
    before = {"delivered_on": locked.delivered_on}
    locked.delivered_on = delivered_on
    locked.save(update_fields=["delivered_on"])
    audit_record(actor=actor, action="confirmation_delivered", subject=locked, before=before,
                 after={"delivered_on": delivered_on, "tracking_no": locked.tracking_no})
    return locked
