"""Turn one cell's text into a value, or raise CellError saying why it cannot be.

The readers hand every cell over as text (an Excel number as its exact decimal digits, an Excel date as
YYYY-MM-DD), so these parsers are the only place that decides what a date, an amount or a rate is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from arms.common.bounds import MAX_MINOR, date_in_range, date_range_message
from arms.common.errors import money_message
from arms.customers.uscc import uscc_message
from arms.domain.money import MoneyError, check_currency, parse_amount
from arms.domain.uscc import UsccError, validate_uscc


class CellError(ValueError):
    """The cell's text is not a valid value; the message is shown to the user beside line and column."""


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:00(?::00)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(text: str) -> date:
    """YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年MM月DD日 (a midnight time is allowed after the date)."""
    value = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_RES:
        match = pattern.match(value)
        if match:
            try:
                value = date(*(int(part) for part in match.groups()))
            except ValueError:
                break
            if not date_in_range(value):
                raise CellError(date_range_message(text))
            return value
    raise CellError(_("'%(value)s' is not a date (write it as YYYY-MM-DD)") % {"value": text})


def parse_money(text: str, currency: str, *, allow_zero: bool = False) -> int:
    """A human amount ("1,234.56", "¥1,234.56") as minor units of ``currency``; never through a float."""
    try:
        minor = parse_amount(unicodedata.normalize("NFKC", text), currency)
    except MoneyError as exc:
        raise CellError(money_message(exc)) from exc
    if minor < 0 or (minor == 0 and not allow_zero):
        raise CellError((_("'%(value)s' must not be negative") if allow_zero else
                         _("'%(value)s' must be greater than zero")) % {"value": text})
    if minor > MAX_MINOR:
        raise CellError(_("'%(value)s' is larger than any amount ARMS accepts") % {"value": text})
    return minor


def parse_currency(text: str) -> str:
    try:
        return check_currency(unicodedata.normalize("NFKC", text))
    except MoneyError as exc:
        raise CellError(money_message(exc)) from exc


def parse_days(text: str) -> int:
    """Payment terms: a whole number of days, 0 to 3650 ("30", "30天")."""
    value = unicodedata.normalize("NFKC", text).strip().removesuffix("天").strip()
    if not re.fullmatch(r"\d{1,4}", value) or int(value) > 3650:
        raise CellError(_("'%(value)s' is not a number of days from 0 to 3650") % {"value": text})
    return int(value)


_CHINESE_DIGITS = str.maketrans("零一二两三四五六七八九点", "01223456789.")
_RATE_RE = re.compile(r"^(万分之|千分之)?([0-9]+(?:\.[0-9]+)?)(%|‰|‱)?$")
_RATE_SCALE = {"万分之": 4, "‱": 4, "千分之": 3, "‰": 3, "%": 2, None: 0}


def parse_rate(text: str, places: int) -> Decimal:
    """A rate as a fraction: "0.0005", "0.05%", "0.5‰", "万分之5" and "万分之五" are all 0.0005.

    ``places`` is how many decimals the stored rate keeps; a rate that needs more is refused rather
    than rounded, because a rounded interest rate is a different contract term.
    """
    value = unicodedata.normalize("NFKC", text).replace(" ", "").translate(_CHINESE_DIGITS)
    match = _RATE_RE.match(value)
    if not match or (match.group(1) and match.group(3)):
        raise CellError(_("'%(value)s' is not a rate (write 0.05, 5%% or 万分之5)") % {"value": text})
    try:
        rate = Decimal(match.group(2)).scaleb(-_RATE_SCALE[match.group(1) or match.group(3)])
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a rate (write 0.05, 5%% or 万分之5)") % {"value": text}) from None
    if rate > 1:
        raise CellError(_("'%(value)s' is more than 100%%") % {"value": text})
    if rate != rate.quantize(Decimal(1).scaleb(-places)):
        raise CellError(_("'%(value)s' has more precision than ARMS keeps (%(places)s decimals)")
                        % {"value": text, "places": places})
    return rate.quantize(Decimal(1).scaleb(-places))


def parse_text(text: str, max_length: int | None) -> str:
    value = text.strip()
    if "\x00" in value:
        raise CellError(_("text must not contain NUL characters"))
    if max_length is not None and len(value) > max_length:
        raise CellError(_("is %(length)s characters long; at most %(max)s fit") % {"length": len(value),
                                                                                   "max": max_length})
    return value


def parse_uscc(text: str) -> str:
    try:
        return validate_uscc(unicodedata.normalize("NFKC", text))
    except UsccError as exc:
        raise CellError(uscc_message(exc)) from exc
