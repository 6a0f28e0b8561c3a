"""Small helpers the ledger services share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, Sum
from django.utils.translation import gettext as _

from arms.common.errors import ValidationFailed, money_message
from arms.domain.money import MoneyError, check_currency, format_money, proportional_part
from arms.ledger.errors import DuplicateNumber

if TYPE_CHECKING:

    from arms.customers.models import Company
    from arms.ledger.models import Invoice

M = TypeVar("M", bound=Model)



def currency_or_error(value: str, field: str = "currency") -> str:
    try:
        return check_currency(value)
    except MoneyError as exc:
        raise ValidationFailed(money_message(exc), field=field) from exc


def positive_or_error(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("Amounts are whole minor units (分)."), field=field)
    if value <= 0:
        raise ValidationFailed(_("Must be greater than zero."), field=field)
    return value


def not_negative_or_error(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("Amounts are whole minor units (分)."), field=field)
    if value < 0:
        raise ValidationFailed(_("Must not be negative."), field=field)
    return value


def duplicate_number(model: type[Model], *, company: Company, number: str, label: str) -> None:
    if model._default_manager.filter(company=company, number=number).exists():
        raise DuplicateNumber(
            _("%(label)s number %(number)s already exists.") % {"label": label, "number": number}, field="number"
        )


def is_unique_violation(exc: IntegrityError, constraint: str) -> bool:
    return constraint in str(exc) or "UNIQUE constraint failed" in str(exc)


def create_numbered(model: type[M], *, constraint: str, label: str, **fields: Any) -> M:
    """Insert a numbered document in a savepoint. ``duplicate_number`` has looked already, but postings for
    two customers hold different locks and can race for the same explicit number on PostgreSQL: the loser
    gets DuplicateNumber, not a 500."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError as exc:
        if is_unique_violation(exc, constraint):
            raise DuplicateNumber(
                _("%(label)s number %(number)s already exists.") % {"label": label, "number": fields["number"]},
                field="number",
            ) from exc
        raise


def bookable_or_error(base_minor: int, *, minor: int, currency: str, field: str) -> int:
    """Refuse a document whose CNY amount rounds to nothing: there would be no journal entry to post."""
    if base_minor == 0:
        raise ValidationFailed(
            _("%(amount)s is worth less than one fen; too small to book.")
            % {"amount": format_money(minor, currency)},
            field=field,
        )
    return base_minor


def receivable_relieved(invoice: Invoice, *, open_after: int, so_far: int | None = None) -> int:
    """Base-currency receivable to relieve when the invoice's open amount falls to ``open_after``.

    What was relieved so far is the sum of the invoice's allocations; what should be relieved after is
    the gross base in proportion to what is settled, so the invoice reaches exactly zero when it is paid.
    """
    if so_far is None:  # the bulk path passes what it relieved so far itself
        so_far = invoice.allocations.aggregate(total=Sum("receivable_base_minor"))["total"] or 0
    target = proportional_part(invoice.gross_base_minor, invoice.gross_minor, invoice.gross_minor - open_after)
    return relief_step(target, so_far)


def relief_step(target: int, so_far: int) -> int:
    """What a settling step relieves: ``target - so_far``, never below zero.

    A reversal gives back exactly what its allocation relieved, not the proportional amount of the
    state it returns to, so after a reversal ``so_far`` can sit a fen or two above the proportional
    target. Where a minor unit of the currency is worth about a fen or less (HKD, KRW), the next
    small allocation would then relieve a negative amount, which no journal line can carry. Taking
    nothing instead keeps every step >= 0; ``so_far`` never exceeds the total (each step only raises
    it up to a target <= total, each reversal lowers it), so the final step still lands exactly on it.
    """
    return max(0, target - so_far)
