"""The bounds every input meets, whichever way it enters (API schema, web form, import file, service call).

Defined once here; the API schemas (``arms.common.api_types``), the import parsers (``arms.imports.cells``),
the services and the database constraints read them, so a value one path refuses no other path accepts.

- **Dates** on documents and events lie in ``DATE_MIN`` .. ``DATE_MAX`` (1900-01-01 .. 2999-12-31): wide
  enough for any real receivable and any historic import, narrow enough that date arithmetic (due date =
  issue date + terms, a plan of monthly instalments) never overflows Python's year 9999, and that a
  mistyped 0001-01-01 or 9999-12-31 is refused instead of posted.
- **Amounts** are integer minor units of at most ``MAX_MINOR`` (10^15: ten trillion yuan), for every stored
  amount *and* every sum of two (gross = net + tax), so sums stay far inside a 64-bit column.
- **Free text** a person types (notes, descriptions, reasons) is at most ``MAX_NOTE`` characters; the longer
  text of a contract clause at most ``MAX_LONG_TEXT``. A CHECK constraint in the database says the same.
"""

from __future__ import annotations

from datetime import date
from typing import overload

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext as _

from arms.common.errors import ValidationFailed

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)

#: 10^15 minor units is ten trillion yuan: more than any receivable, far inside a BigIntegerField.
MAX_MINOR = 10**15

#: notes, descriptions, reasons: a page or two of text (the API schemas of notes already allowed 5,000)
MAX_NOTE = 5_000
#: clauses and scopes copied from a contract or a register
MAX_LONG_TEXT = 20_000


def date_in_range(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def date_range_message(value) -> str:
    return _("%(value)s is outside the dates ARMS accepts (%(min)s to %(max)s).") % {
        "value": value, "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


@overload
def date_check(value: date, *, field: str) -> date: ...
@overload
def date_check(value: None, *, field: str) -> None: ...
def date_check(value: date | None, *, field: str) -> date | None:
    """``value`` if it is None or inside the date range, else a ValidationFailed naming ``field``."""
    if value is not None and not date_in_range(value):
        raise ValidationFailed(date_range_message(value.isoformat()), field=field)
    return value


def amount_check(value: int, *, field: str) -> int:
    """Refuse an amount (or a sum of amounts) beyond ``MAX_MINOR``, naming ``field``."""
    if abs(value) > MAX_MINOR:
        raise ValidationFailed(_("The amount is larger than any amount ARMS accepts (at most %(max)s minor units).")
                               % {"max": f"{MAX_MINOR:,}"}, field=field)
    return value


def text_length_constraint(field: str, limit: int, *, name: str):
    """A named CHECK that ``field`` holds at most ``limit`` characters: Django enforces a TextField's
    ``max_length`` in no database, and a CharField's not on SQLite, so the database says it itself."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def amount_bound_constraint(fields: tuple[str, ...], *, name: str):
    """A named CHECK that every one of ``fields`` is at most ``MAX_MINOR`` (and at least -``MAX_MINOR``)."""
    condition = models.Q()
    for field in fields:
        condition &= models.Q(**{f"{field}__lte": MAX_MINOR, f"{field}__gte": -MAX_MINOR})
    return models.CheckConstraint(condition=condition, name=name)


def text_check(value: str | None, *, field: str, limit: int = MAX_NOTE) -> str | None:
    """Refuse text longer than ``limit`` characters, naming ``field``."""
    if value is not None and len(value) > limit:
        raise ValidationFailed(_("The text is %(length)s characters long; at most %(max)s are accepted.")
                               % {"length": f"{len(value):,}", "max": f"{limit:,}"}, field=field)
    return value
