"""What every API schema shares: strict inputs, integer minor units, formatted amounts, the idempotency header.

Inputs refuse unknown fields (a misspelt field is a 422 naming it, not silently ignored) and NUL characters
(PostgreSQL cannot store them). Amounts are ``MinorAmount``: a JSON integer of minor units; ``1.5`` or
``"150"`` is refused, because a float must never reach an amount. The bound keeps every sum of amounts
inside a 64-bit integer column on both databases. ``DocumentDate`` does the same for dates.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Header, Schema
from pydantic import ConfigDict, Field, StrictInt, field_validator

from arms.common.bounds import DATE_MAX, DATE_MIN, MAX_MINOR
from arms.domain.money import format_amount

__all__ = ["MAX_MINOR"]  # re-exported: schemas import the bound from here

MinorAmount = Annotated[
    StrictInt,
    Field(ge=-MAX_MINOR, le=MAX_MINOR, description="Integer minor units (分 for CNY); never a float."),
]


def _no_nul_characters(value):
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value

#: A date on a document, in the one date range of every entry path (``arms.common.bounds``), so year 9999
#: is a 422 naming the field, not an overflow, and the API refuses what an import would refuse.
DocumentDate = Annotated[date, Field(ge=DATE_MIN, le=DATE_MAX)]


class InputSchema(Schema):
    """A request body: unknown fields are refused, enums arrive as their plain values."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    _text_without_nul = field_validator("*", mode="after")(_no_nul_characters)


class QuerySchema(Schema):
    """Query-string filters of a list; a search for NUL would be a 500 on PostgreSQL, so it is a 422."""

    _text_without_nul = field_validator("*", mode="after")(_no_nul_characters)


def money_text(minor: int | None, currency: str) -> str | None:
    """123456, "CNY" -> "1,234.56": the convenience string beside every ``*_minor`` field."""
    return None if minor is None else format_amount(minor, currency)


def idempotency_header():
    return Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Any unique string per intended write; a retry with the same key and body returns the "
        "first result instead of writing twice; the same key with a different body is 409.",
    )


class CustomerRefOut(Schema):
    """Whose document this is: the customer's id, code and name (the query must select_related it)."""

    customer_id: int
    customer_code: str
    customer_name: str

    @staticmethod
    def resolve_customer_code(obj) -> str:
        return obj.customer.code

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name
