"""What the confirmation services share: snapshots for audit events and periods."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from arms.common.errors import ValidationFailed
from arms.confirmations.enums import FREQUENCY_MONTHS, Frequency
from arms.confirmations.models import Confirmation, ConfirmationDifference
from arms.domain.terms import month_end


def period_end_of(text: str) -> date:
    """The month end of ``YYYY-MM`` (the years every date field takes); refused naming ``period``."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        end = month_end(date(year, month, 1))
    except (ValueError, TypeError):
        raise ValidationFailed(_("A month like 2026-10."), field="period") from None
    if not 1900 <= year <= 2999:
        raise ValidationFailed(_("A month like 2026-10."), field="period")
    return end


def period_for(period_end: date, frequency: str) -> date:
    """First day of the period of ``frequency`` that ends with ``period_end``'s month."""
    months = FREQUENCY_MONTHS[Frequency(frequency)]
    index = period_end.year * 12 + period_end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def period_is_due(period_end: date, frequency: str) -> bool:
    """A quarterly customer confirms at March, June, September and December ends; half-yearly at June and
    December; yearly at December; monthly every month."""
    return period_end.month % FREQUENCY_MONTHS[Frequency(frequency)] == 0


def confirmation_audit(confirmation: Confirmation) -> dict[str, Any]:
    return {
        "customer": confirmation.customer_id, "period_end": confirmation.period_end,
        "status": confirmation.status, "currency": confirmation.currency,
        "closing_minor": confirmation.closing_minor, "sha256": confirmation.sha256,
        "answer": confirmation.answer, "answer_channel": confirmation.answer_channel,
        "answered_contact": confirmation.answered_contact_id, "scan_sha256": confirmation.scan.sha256
        if confirmation.scan is not None else "", "reminder_count": confirmation.reminder_count,
    }


def difference_audit(difference: ConfirmationDifference) -> dict[str, Any]:
    return {
        "confirmation": difference.confirmation_id, "invoice": difference.invoice_id, "kind": difference.kind,
        "currency": difference.currency, "amount_minor": difference.amount_minor,
        "description": difference.description, "owner": difference.owner_id, "deadline": difference.deadline,
        "status": difference.status, "resolution": difference.resolution,
        "credit_note": difference.credit_note_id, "corrected_invoice": difference.corrected_invoice_id,
        "payment": difference.payment_id, "explanation": difference.explanation,
    }
