"""Checks every legal service uses: choices, texts, amounts, dates, the claims of one customer."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from arms.common.bounds import amount_check, date_check
from arms.common.errors import ValidationFailed
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.customers.models import Customer


def text(value: str | None, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("This field is required."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


def amount(value: int | None, *, field: str, positive: bool = False) -> int:
    value = int(value or 0)
    if value < 0 or (positive and value == 0):
        raise ValidationFailed(_("The amount must be more than zero.") if positive
                               else _("The amount cannot be negative."), field=field)
    return amount_check(value, field=field)


def day(value: date | None, *, field: str, required: bool = False, past: bool = True) -> date | None:
    if value is None:
        if required:
            raise ValidationFailed(_("A date is needed."), field=field)
        return None
    date_check(value, field=field)
    if past and value > timezone.localdate():
        raise ValidationFailed(_("The date cannot be in the future."), field=field)
    return value


def claims_of(customer: Customer, invoice_ids: list[int], *, field: str = "invoice_ids") -> list[Invoice]:
    """The invoices named, all of ``customer`` and of one currency, at least one."""
    ids = sorted({int(i) for i in invoice_ids or []})
    if not ids:
        raise ValidationFailed(_("Name at least one invoice."), field=field)
    invoices = list(Invoice.objects.filter(pk__in=ids, customer_id=customer.pk).order_by("pk"))
    if len(invoices) != len(ids):
        raise ValidationFailed(_("Every invoice must be one of the customer's."), field=field)
    if len({i.currency for i in invoices}) > 1:
        raise ValidationFailed(_("The invoices must be in one currency."), field=field)
    return invoices
