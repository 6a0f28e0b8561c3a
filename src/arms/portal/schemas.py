"""Shapes of the portal's JSON API (/api/v1/portal): what a contact sees of their own customer."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from arms.cases.enums import DisputeReason
from arms.common.api_types import InputSchema, MinorAmount, formatted_money
from arms.domain.discount import discount_amount


class PortalBalanceOut(Schema):
    currency: str
    open_minor: int
    open: str
    unapplied_minor: int
    unapplied: str
    balance_minor: int
    balance: str
    overdue_minor: int
    overdue: str

    resolve_open = formatted_money("open_minor")
    resolve_unapplied = formatted_money("unapplied_minor")
    resolve_balance = formatted_money("balance_minor")
    resolve_overdue = formatted_money("overdue_minor")


class PortalMeOut(Schema):
    customer_code: str
    customer_name: str
    contact_name: str
    link_expires_at: dt.datetime
    balances: list[PortalBalanceOut]


class PortalInvoiceOut(Schema):
    id: int
    number: str
    vat_invoice_number: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    gross_minor: int
    gross: str
    amount_open_minor: int
    amount_open: str
    discount_bp: int = Field(description="Early-payment discount, basis points of the gross (200 = 2%); 0 for none.")
    discount_until: dt.date | None = Field(description="Last day on which paying earns the discount.")
    discount_minor: int = Field(description="The discount, minor units.")

    resolve_gross = formatted_money("gross_minor")
    resolve_amount_open = formatted_money("amount_open_minor")

    @staticmethod
    def resolve_discount_minor(obj) -> int:
        return discount_amount(obj.gross_minor, obj.discount_bp)


class PortalInvoicePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PortalInvoiceOut]


class PortalAllocationOut(Schema):
    invoice_id: int
    invoice_number: str
    date: dt.date
    amount_minor: int
    amount: str

    resolve_amount = formatted_money("amount_minor", "invoice.currency")

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number


class PortalPaymentOut(Schema):
    id: int
    number: str
    received_date: dt.date
    currency: str
    amount_minor: int
    amount: str
    amount_unallocated_minor: int
    amount_unallocated: str
    status: str
    allocations: list[PortalAllocationOut]

    resolve_amount = formatted_money("amount_minor")
    resolve_amount_unallocated = formatted_money("amount_unallocated_minor")

    @staticmethod
    def resolve_allocations(obj) -> list:
        return list(obj.allocations.all())


class PortalPaymentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PortalPaymentOut]


class PortalDisputeIn(InputSchema):
    amount_minor: MinorAmount
    reason_code: DisputeReason
    description: str = Field("", max_length=5000)


class PortalDisputeOut(Schema):
    id: int
    invoice_id: int
    currency: str
    amount_minor: int
    amount: str
    reason_code: str
    status: str
    raised_on: dt.date
    sla_due_on: dt.date

    resolve_amount = formatted_money("amount_minor")


class PortalConfirmationOut(Schema):
    id: int
    period_end: dt.date
    currency: str
    closing_minor: int
    closing: str
    status: str
    answer: str
    answered_on: dt.date | None

    resolve_closing = formatted_money("closing_minor")


class PortalConfirmationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PortalConfirmationOut]


class PortalDifferenceIn(InputSchema):
    invoice_id: int | None = None
    kind: str = Field(max_length=40, description="amount_differs, not_in_customer_books, not_in_our_books, other")
    amount_minor: MinorAmount
    description: str = Field("", max_length=5000)


class PortalReplyIn(InputSchema):
    answer: str = Field(max_length=20, description="confirmed or disputed")
    differences: list[PortalDifferenceIn] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=5000)


class PortalReceiptOut(Schema):
    invoice_id: int
    channel: str
    occurred_on: dt.date
