"""Request and response bodies of /api/v1/handovers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from arms.common.api_types import InputSchema, ObjectId, QuerySchema, SearchText, username_of
from arms.common.bounds import MAX_NOTE
from arms.handover.enums import HandoverRole, HandoverStatus


class HandoverIn(InputSchema):
    role: HandoverRole
    from_user_id: ObjectId
    to_user_id: ObjectId
    customer_ids: list[ObjectId] = Field(default_factory=list, max_length=10_000,
                                         description="Empty: all of the person's customers in the role.")
    reason: str = Field("", max_length=MAX_NOTE)
    effective_on: date | None = Field(None, description="The successor's first day; today when empty.")


class NoteIn(InputSchema):
    note: str = Field("", max_length=MAX_NOTE)


class HandoverFilters(QuerySchema):
    status: HandoverStatus | None = None
    role: HandoverRole | None = None
    search: SearchText = ""


class KeyAccountFilters(QuerySchema):
    search: SearchText = ""


class HandoverOut(Schema):
    id: int
    reference: str
    role: str
    from_user_id: int
    from_user: str
    to_user_id: int
    to_user: str
    effective_on: date
    reason: str
    status: str
    customer_count: int
    item_count: int
    task_count: int
    sha256: str
    opened_by: str | None
    opened_at: datetime
    outgoing_ack_by: str | None
    outgoing_ack_at: datetime | None
    outgoing_note: str
    incoming_ack_by: str | None
    incoming_ack_at: datetime | None
    incoming_note: str
    completed_at: datetime | None
    moved: dict[str, Any]
    cancelled_at: datetime | None

    resolve_from_user = username_of("from_user")
    resolve_to_user = username_of("to_user")
    resolve_opened_by = username_of("opened_by")
    resolve_outgoing_ack_by = username_of("outgoing_ack_by")
    resolve_incoming_ack_by = username_of("incoming_ack_by")


class HandoverDetailOut(HandoverOut):
    snapshot: dict[str, Any]

    @staticmethod
    def resolve_snapshot(obj) -> dict[str, Any]:
        data: dict[str, Any] = obj.snapshot_data
        return data


class HandoverPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HandoverOut]


class KeyAccountOut(Schema):
    id: int
    code: str
    name: str
    collector_id: int | None
    collector: str | None
    collector_is_senior: bool

    resolve_collector = username_of("collector")


class KeyAccountPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[KeyAccountOut]


class RoutedOut(Schema):
    routed: int
    skipped: int
    assignments: list[dict[str, str]]
