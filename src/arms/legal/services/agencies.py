"""Collection agency mandates: hand a customer's claims to an agency with a fee share; end the mandate."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.errors import Conflict, ErrorCode, ValidationFailed
from arms.common.locks import lock_customer, lock_one
from arms.legal.enums import MandateStatus
from arms.legal.models import AgencyMandate
from arms.legal.services.common import claims_of, day, text

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Customer


@transaction.atomic
def mandate_create(*, actor: Actor, customer: Customer, agency_name: str, handed_over_on: date, fee_share_bp: int,
                   invoice_ids: list[int], contact: str = "", licence: str = "", note: str = "") -> AgencyMandate:
    agency_name = text(agency_name, field="agency_name", limit=200, required=True)
    contact = text(contact, field="contact", limit=200)
    licence = text(licence, field="licence", limit=100)
    note = text(note, field="note", limit=1000)
    day(handed_over_on, field="handed_over_on", required=True)
    if not isinstance(fee_share_bp, int) or not 0 <= fee_share_bp <= 10_000:
        raise ValidationFailed(_("The fee share is between 0 and 10000 basis points (0–100%)."),
                               field="fee_share_bp")
    lock_customer(customer.pk)
    invoices = claims_of(customer, invoice_ids)
    mandate = AgencyMandate.objects.create(
        company=customer.company, customer=customer, currency=invoices[0].currency, agency_name=agency_name,
        contact=contact, licence=licence,
        handed_over_on=handed_over_on, fee_share_bp=fee_share_bp, note=note, created_by=user_or_none(actor))
    mandate.claims.set(invoices)
    audit_record(actor=actor, action="agency_mandate_created", subject=mandate, after={
        "customer": customer.pk, "agency": agency_name, "fee_share_bp": fee_share_bp,
        "handed_over_on": handed_over_on, "invoices": [i.pk for i in invoices]})
    return mandate


@transaction.atomic
def mandate_end(*, actor: Actor, mandate: AgencyMandate, ended_on: date, note: str = "") -> AgencyMandate:
    day(ended_on, field="ended_on", required=True)
    note = text(note, field="note", limit=1000)
    lock_customer(mandate.customer_id)
    mandate = lock_one(AgencyMandate.objects.all(), pk=mandate.pk)
    if mandate.status != MandateStatus.ACTIVE:
        raise Conflict(_("The mandate has ended."), code=ErrorCode.ALREADY_CLOSED)
    if ended_on < mandate.handed_over_on:
        raise ValidationFailed(_("A mandate cannot end before it began."), field="ended_on")
    mandate.status, mandate.ended_on = MandateStatus.ENDED, ended_on
    if note:
        mandate.note = f"{mandate.note}\n{note}".strip()[:1000]
    mandate.save(update_fields=["status", "ended_on", "note"])
    audit_record(actor=actor, action="agency_mandate_ended", subject=mandate, after={"ended_on": ended_on})
    return mandate
