from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.errors import ValidationFailed, money_message
from arms.domain.money import BASE_CURRENCY, MoneyError, check_currency, to_base_minor
from arms.ledger.errors import MissingExchangeRate
from arms.ledger.models import ExchangeRate

if TYPE_CHECKING:
    from arms.common.typing import Actor


def exchange_rate_on(currency: str, on: date) -> Decimal:
    """CNY per unit of ``currency`` on ``on``: the latest published rate on or before that day."""
    if currency == BASE_CURRENCY:
        return Decimal(1)
    rates = ExchangeRate.objects.filter(currency=currency, date__lte=on).order_by("-date")
    rate = rates.values_list("rate", flat=True).first()
    if rate is None:
        raise MissingExchangeRate(
            _("No exchange rate for %(currency)s on or before %(date)s.") % {"currency": currency, "date": on},
            field="currency",
        )
    return rate


def to_base(minor: int, currency: str, rate: Decimal) -> int:
    """``minor`` of ``currency`` in base minor units at ``rate``: the domain's one conversion (``to_base_minor``)."""
    return to_base_minor(minor, currency, rate)


@transaction.atomic
def exchange_rate_set(*, actor: Actor, currency: str, on: date, rate: Decimal, source: str = "") -> ExchangeRate:
    try:
        currency = check_currency(currency)
    except MoneyError as exc:
        raise ValidationFailed(money_message(exc), field="currency") from exc
    if currency == BASE_CURRENCY:
        raise ValidationFailed(_("The base currency needs no exchange rate."), field="currency")
    try:
        rate = Decimal(str(rate).strip())
    except ArithmeticError:
        raise ValidationFailed(_("An exchange rate is a number such as 7.1234."), field="rate") from None
    if not rate.is_finite() or rate <= 0:
        raise ValidationFailed(_("An exchange rate must be positive."), field="rate")
    before = ExchangeRate.objects.filter(currency=currency, date=on).first()
    obj, _created = ExchangeRate.objects.update_or_create(
        currency=currency, date=on, defaults={"rate": rate, "source": source}
    )
    audit_record(
        actor=actor, action=AuditAction.EXCHANGE_RATE_SET, subject=obj,
        before={"rate": before.rate} if before else None, after={"rate": rate, "source": source},
    )
    return obj
