"""Limit/offset pages with a total, the shape every list endpoint returns."""

from __future__ import annotations

from ninja import Field, Schema

from arms.common.errors import ValidationFailed

MAX_LIMIT = 500
MAX_OFFSET = 2**62  # beyond any table, and beyond PostgreSQL's bigint OFFSET (a 500 otherwise)


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


def paginate(queryset, *, limit: int, offset: int, max_limit: int = 500) -> dict:
    if not 1 <= limit <= max_limit:
        raise ValidationFailed(f"limit must be between 1 and {max_limit}", field="limit")
    if offset < 0:
        raise ValidationFailed("offset must not be negative", field="offset")
    if offset > 2**62:  # beyond any table, and beyond PostgreSQL's bigint OFFSET (a 500 otherwise)
        raise ValidationFailed("offset is too large", field="offset")
    items = list(queryset[offset : offset + limit])
    return {"count": queryset.count(), "limit": limit, "offset": offset, "items": items}
