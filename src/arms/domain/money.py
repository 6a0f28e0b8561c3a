"""Money as integer minor units (分 for CNY) beside an ISO 4217 currency code.

Decimal appears only at the edges: ``parse_amount`` turns "1,234.56" into 123456 and ``format_amount``
turns 123456 back into "1,234.56". ``format_money`` adds the currency ("1,234.56 CNY"): every message, note and
error that names an amount uses it, so people never read minor units. A float never touches an amount.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: minor units per major unit for the currencies ARMS knows; everything else has 2 decimals.
CURRENCY_EXPONENT = {"CNY": 2, "USD": 2, "EUR": 2, "HKD": 2, "GBP": 2, "JPY": 0, "KRW": 0}
BASE_CURRENCY = "CNY"
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_SYMBOLS_RE = re.compile(r"[¥￥$€£元]|CNY|RMB")
_GROUP_RE = re.compile(r"[,，\s]")
#: digits grouped by three (comma, full-width comma or space) or not at all, then an optional fraction.
#: Strict on purpose: "1,50" (a European decimal comma), "1e3" and "1_000" are refused, not misread.
_AMOUNT_RE = re.compile(r"^[+-]?(?:\d{1,3}(?P<sep>[,，\s])\d{3}(?:(?P=sep)\d{3})*|\d+)(?:\.\d+)?$")


class MoneyError(ValueError):
    """An amount or currency that cannot be understood: a stable ``code`` and its ``params``. The domain speaks no
    language: the edge says it in the user's words (``arms.common.errors.money_message``); ``str()`` is an
    English sentence for logs and tests. FLOAT, NOT_INT, MIXED, WEIGHTS and RATE are programming errors
    (rates are checked where they are entered)."""

    CURRENCY = "currency"  # params: currency
    EMPTY = "empty"
    NOT_AMOUNT = "not_amount"  # params: text
    NOT_FINITE = "not_finite"  # params: text
    DECIMALS = "decimals"  # params: text, places, currency
    FLOAT = "float"
    NOT_INT = "not_int"  # params: kind
    MIXED = "mixed"  # params: first, second
    WEIGHTS = "weights"
    RATE = "rate"  # params: rate

    _ENGLISH = {
        CURRENCY: "'{currency}' is not a three-letter ISO 4217 currency code",
        EMPTY: "amount is empty",
        NOT_AMOUNT: "'{text}' is not an amount like 1,234.56",
        NOT_FINITE: "'{text}' is not a finite number",
        DECIMALS: "'{text}' has more than {places} decimal places for {currency}",
        FLOAT: "amounts are never floats; pass a string or a Decimal",
        NOT_INT: "Money takes integer minor units, not {kind}",
        MIXED: "cannot combine {first} with {second}",
        WEIGHTS: "weights must be non-negative and not all zero",
        RATE: "an exchange rate must be a positive finite number, not {rate}",
    }

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(self._ENGLISH[code].format(**params))


def exponent(currency: str) -> int:
    return CURRENCY_EXPONENT.get(currency, 2)


def check_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if not _CURRENCY_RE.match(code):
        raise MoneyError(MoneyError.CURRENCY, currency=currency)
    return code


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: ``minor`` units of ``currency``. Arithmetic refuses to mix currencies."""

    minor: int
    currency: str = BASE_CURRENCY

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise MoneyError(MoneyError.NOT_INT, kind=type(self.minor).__name__)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(MoneyError.MIXED, first=self.currency, second=other.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    @property
    def is_zero(self) -> bool:
        return self.minor == 0

    def __str__(self) -> str:
        return format_money(self.minor, self.currency)


def parse_amount(text: str | int | Decimal, currency: str = BASE_CURRENCY) -> int:
    """Parse a human amount ("1,234.56", "¥1 234.5", "1234.56元", 12) into minor units.

    Refuses floats, more decimals than the currency has, scientific notation and grouping that is
    not by thousands.

    >>> parse_amount("1,234.56")
    123456
    """
    if isinstance(text, bool) or isinstance(text, float):
        raise MoneyError(MoneyError.FLOAT)
    if isinstance(text, int):
        raw = Decimal(text)
    elif isinstance(text, Decimal):
        raw = text
    else:
        cleaned = _SYMBOLS_RE.sub("", str(text)).strip()
        if cleaned in ("", "-", "+"):
            raise MoneyError(MoneyError.EMPTY)
        if not _AMOUNT_RE.match(cleaned):
            raise MoneyError(MoneyError.NOT_AMOUNT, text=text)
        try:
            raw = Decimal(_GROUP_RE.sub("", cleaned))
        except InvalidOperation:
            raise MoneyError(MoneyError.NOT_AMOUNT, text=text) from None
    if not raw.is_finite():
        raise MoneyError(MoneyError.NOT_FINITE, text=text)
    exp = exponent(currency)
    scaled = raw.scaleb(exp)
    if scaled != scaled.to_integral_value():
        raise MoneyError(MoneyError.DECIMALS, text=text, places=exp, currency=currency)
    return int(scaled)


def format_amount(minor: int, currency: str = BASE_CURRENCY) -> str:
    """123456 -> '1,234.56' (grouped, exact)."""
    exp = exponent(currency)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exp) if exp else (abs(minor), 0)
    text = f"{whole:,}"
    if exp:
        text += "." + str(frac).rjust(exp, "0")
    return sign + text


def format_money(minor: int, currency: str = BASE_CURRENCY) -> str:
    """123456, "CNY" -> '1,234.56 CNY': an amount in a sentence (messages, errors, notes), in any language."""
    return f"{format_amount(minor, currency)} {currency}"


def to_decimal(minor: int, currency: str = BASE_CURRENCY) -> Decimal:
    """Minor units as a Decimal of major units, for exports (Excel cells, JSON 'amount' strings): 5000 fen is
    Decimal('50.00'), always with the currency's decimal places."""
    unit, zero = _unit_and_zero(exponent(currency))
    return Decimal(minor) * unit if minor else zero


def to_decimals(minors: Iterable[int], currency: str = BASE_CURRENCY) -> list[Decimal]:
    """``to_decimal`` of each amount of one currency, the exponent looked up once: a row of a large export."""
    unit, zero = _unit_and_zero(exponent(currency))
    return [Decimal(minor) * unit if minor else zero for minor in minors]


@functools.cache
def _unit_and_zero(places: int) -> tuple[Decimal, Decimal]:
    """One minor unit in major units (Decimal('0.01')) and zero with the same places (Decimal('0.00')): a product
    with the unit has exactly the unit's places, and costs a third of ``Decimal.scaleb``; zero, common in aging
    buckets, is one shared (immutable) value."""
    return Decimal(1).scaleb(-places), Decimal(0).scaleb(-places)


def divide_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, ties away from zero (``denominator > 0``): the one
    rounding of ARMS's integer arithmetic (conversions, allowance rates, financing costs)."""
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def _rate_ratio(rate: Decimal) -> tuple[int, int]:
    if isinstance(rate, bool) or isinstance(rate, float):
        raise MoneyError(MoneyError.FLOAT)
    rate = Decimal(rate)
    if not rate.is_finite() or rate <= 0:
        raise MoneyError(MoneyError.RATE, rate=rate)
    return rate.as_integer_ratio()


def to_base_minor(minor: int, currency: str, rate: Decimal, base: str = BASE_CURRENCY) -> int:
    """``minor`` units of ``currency`` in minor units of the base currency, at ``rate``.

    ``rate`` is quoted as exchange rates are: base major units per 1 major unit of ``currency`` (7.1234 CNY per
    USD, 0.048 CNY per JPY). The exponents of both currencies are taken into account, the arithmetic is exact
    (rational, no binary floating point, no Decimal context precision) and the result is rounded once, **half up**
    (a tie goes away from zero, so -0.5 becomes -1): the one rounding rule of every conversion (ADR 0001).

    >>> to_base_minor(100_000, "USD", Decimal("7.1234"))
    712340
    """
    if currency == base:
        return minor
    numerator, denominator = _rate_ratio(rate)
    shift = exponent(base) - exponent(currency)
    if shift >= 0:
        numerator *= 10**shift
    else:
        denominator *= 10**-shift
    return divide_half_up(minor * numerator, denominator)


def from_base_minor(base_minor: int, currency: str, rate: Decimal, base: str = BASE_CURRENCY) -> int:
    """Base-currency minor units in minor units of ``currency`` at ``rate`` (the inverse of ``to_base_minor``,
    same quotation and the same rounding: exact, once, half up)."""
    if currency == base:
        return base_minor
    numerator, denominator = _rate_ratio(rate)
    shift = exponent(currency) - exponent(base)
    if shift >= 0:
        denominator *= 10**shift
    else:
        numerator *= 10**-shift
    return divide_half_up(base_minor * denominator, numerator)


def proportional_part(total: int, whole: int, done: int) -> int:
    """The share of ``total`` that belongs to ``done`` out of ``whole``, rounded half up, exact at the end.

    Used to relieve base-currency amounts as a foreign-currency document is settled bit by bit:
    the cumulative part after each step is recomputed from the whole, so the parts always add up to
    ``total`` once ``done == whole``, whatever the order of the steps.
    """
    if whole == 0:
        return 0
    if done == whole:
        return total
    return divide_half_up(total * done, whole)


def split_largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` minor units in proportion to ``weights``; the parts always add up to ``total``."""
    if not weights or sum(weights) <= 0 or any(w < 0 for w in weights):
        raise MoneyError(MoneyError.WEIGHTS)
    whole = sum(weights)
    floors = [total * w // whole for w in weights]
    remainders = [(total * w) % whole for w in weights]
    short = total - sum(floors)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:short]:
        floors[index] += 1
    assert sum(floors) == total
    return floors
