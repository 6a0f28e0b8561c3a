"""What every API schema shares: strict inputs, integer minor units, formatted amounts, the idempotency header.

Inputs refuse unknown fields (a misspelt field is a 422 naming it, not silently ignored) and NUL characters
(PostgreSQL cannot store them). Amounts are ``MinorAmount``: a JSON integer of minor units; ``1.5`` or
``"150"`` is refused, because a float must never reach an amount. The bound keeps every sum of amounts
inside a 64-bit integer column on both databases. ``DocumentDate`` does the same for dates.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from ninja import Header, Schema
from pydantic import ConfigDict, Field, StrictInt, WithJsonSchema, field_validator

from arms.common.bounds import DATE_MAX, DATE_MIN, MAX_MINOR
from arms.common.errors import ErrorCode
from arms.domain.money import format_amount

__all__ = ["MAX_MINOR"]  # re-exported: schemas import the bound from here

MinorAmount = Annotated[
    StrictInt,
    Field(ge=-MAX_MINOR, le=MAX_MINOR, description="Integer minor units (分 for CNY); never a float."),
]


#: The largest primary key both databases store (a 64-bit signed integer); a bigger id in a query is a 422.
MAX_ID = 2**63 - 1
#: An object's id in a query filter.
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: Free text searched for in a list (names, numbers, references).
SearchText = Annotated[str, Field(max_length=200, description="Text to look for (case-insensitive).")]


def _no_nul_characters(value):
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value

#: A date on a document, in the one date range of every entry path (``arms.common.bounds``), so year 9999
#: is a 422 naming the field, not an overflow, and the API refuses what an import would refuse.
DocumentDate = Annotated[date, Field(ge=DATE_MIN, le=DATE_MAX)]


def inline_choices(choices):
    """An enum field whose values are written out where it is used, not as a shared named schema.

    OpenAPI names a shared schema after the class, and two apps have enums of the same name with other values
    (``cases.TaskKind`` and ``dunning.TaskKind``; ``cases.DisputeResolution`` and ``contracts.DisputeResolution``):
    a shared name would describe one with the other's values. tests/api/test_openapi.py finds any such name."""
    return Annotated[choices, WithJsonSchema({"type": "string", "enum": [str(c.value) for c in choices],
                                              "title": choices.__name__})]


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


def _read(obj, path: str):
    for name in path.split("."):
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name)
    return obj


def formatted_money(minor: str, currency: str = "currency"):
    """The resolver of an amount's display string: ``resolve_gross = formatted_money("gross_minor")`` gives
    ``"gross": "1,130.00"`` beside ``"gross_minor": 113000``. ``minor`` and ``currency`` name attributes (or
    dict keys) of the object, dotted to follow a relation (``"invoice.currency"``). The one money formatter of
    every API schema."""

    def resolve(obj) -> str | None:
        return money_text(_read(obj, minor), _read(obj, currency))

    return staticmethod(resolve)


def username_of(user: str):
    """The resolver of the user a row names: ``resolve_decided_by = username_of("decided_by")`` gives the
    username, or None when the row names nobody (the system acted). Reads ``<user>_id`` first, so an empty
    relation costs no query."""

    def resolve(obj) -> str | None:
        return getattr(obj, user).get_username() if getattr(obj, f"{user}_id") else None

    return staticmethod(resolve)


def idempotency_header() -> Any:
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


class FieldErrorOut(Schema):
    field: str = Field(description="The input at fault, list items as lines[0].amount_minor.")
    message: str


class ErrorDetailOut(Schema):
    code: ErrorCode = Field(description="Stable, for programs: the catalogue in docs/api.md.")
    message: str = Field(description="For people, in the request's language.")
    field: str | None = Field(None, description="The input at fault, where one is.")
    fields: list[FieldErrorOut] | None = Field(None, description="Every bad field of a schema error (422 invalid).")
    details: dict | None = Field(None, description="More for programs, e.g. the reasons of credit_blocked.")


class ErrorOut(Schema):
    """The one error shape of every /api/ response that is not a success."""

    error: ErrorDetailOut
