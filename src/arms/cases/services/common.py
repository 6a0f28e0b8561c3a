"""Helpers the case services share: the actor, visibility-free lookups, validation of codes and invoices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from arms.common.errors import ValidationFailed
from arms.common.locks import invoices_qs_for_update
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from django.db.models import TextChoices

    from arms.customers.models import Customer

_CODE_RE = re.compile(r"^[a-z0-9_]{0,40}$")



def choice_or_error(value: str, choices: type[TextChoices], field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(
            _("%(value)s is not one of: %(choices)s.") % {"value": value, "choices": ", ".join(choices.values)},
            field=field,
        )
    return value


def code_or_error(value: str, field: str) -> str:
    if not _CODE_RE.match(value or ""):
        raise ValidationFailed(_("Use a short lower-case code (letters, digits, _)."), field=field)
    return value or ""


def invoice_ids(invoices: Iterable[Invoice | int]) -> list[int]:
    """Invoices given as objects or ids, as a sorted list of distinct ids."""
    return sorted({inv.pk if isinstance(inv, Invoice) else inv for inv in invoices})


def customer_invoices_locked(*, customer: Customer, invoices: Iterable[Invoice | int], field: str = "invoices",
                             open_only: bool = False, lock: bool = True) -> list[Invoice]:
    """Lock the named invoices (by pk, the fixed order; the caller holds the customer's lock) and check they
    are the customer's (and open). ``lock=False`` only reads them (an activity merely names invoices)."""
    ids = invoice_ids(invoices)
    if not ids:
        return []
    if any(isinstance(pk, bool) or not isinstance(pk, int) for pk in ids):
        raise ValidationFailed(_("Name invoices by their id."), field=field)
    locked = list(invoices_qs_for_update(ids) if lock else Invoice.objects.filter(pk__in=ids).order_by("pk"))
    found = {inv.pk for inv in locked}
    for pk in ids:
        if pk not in found:
            raise ValidationFailed(_("Invoice %(id)s not found.") % {"id": pk}, field=field)
    for inv in locked:
        if inv.customer_id != customer.pk:
            raise ValidationFailed(_("Invoice %(number)s belongs to another customer.") % {"number": inv.number},
                                   field=field)
        if open_only and inv.amount_open_minor <= 0:
            raise ValidationFailed(_("Invoice %(number)s is already settled.") % {"number": inv.number}, field=field)
    return locked
