"""Ledger API shapes. Amounts go in and out as integer minor units (``*_minor``) beside the currency; every
amount out also comes as a formatted string (``"amount_open": "1,234.56"``) for people and spreadsheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from arms.common.api_types import (
    MAX_MINOR,
    CustomerRefOut,
    DocumentDate,
    InputSchema,
    MinorAmount,
    ObjectId,
    QuerySchema,
    SearchText,
    formatted_money,
    inline_choices,
    money_text,
    username_of,
)
from arms.common.bounds import MAX_NOTE
from arms.domain.discount import discount_amount
from arms.ledger.enums import ApprovalKind, ApprovalStatus, DeliveryChannel, PaymentMethod, ReceiptChannel

# ---------------------------------------------------------------- inputs


def _gross_within_bound(tax_minor: int, info: ValidationInfo) -> int:
    """net + tax is an amount too: the gross must stay within the bound every amount meets."""
    net = info.data.get("net_minor")
    if isinstance(net, int) and net + tax_minor > MAX_MINOR:
        raise ValueError(f"net_minor + tax_minor (the gross amount) must be at most {MAX_MINOR}")
    return tax_minor


class InvoiceIn(InputSchema):
    customer_id: int
    issue_date: DocumentDate
    net_minor: MinorAmount
    tax_minor: MinorAmount
    number: str | None = Field(None, max_length=60, description="Taken from the INV series when empty.")
    due_date: DocumentDate | None = Field(None, description="From the contract's or customer's terms when empty.")
    currency: str | None = Field(None, max_length=3, description="The contract's or customer's when empty.")
    contract_id: int | None = None
    vat_invoice_number: str = Field("", max_length=40)
    description: str = Field("", max_length=300)
    discount_bp: int | None = Field(None, ge=0, le=10_000, description="Early-payment discount in basis points of "
                                    "the gross (200 = 2%); with discount_until. Empty: the contract's, else the "
                                    "customer's credit policy's, else none.")
    discount_until: DocumentDate | None = Field(None, description="Last day on which paying earns the discount: "
                                                "from the issue date to the due date.")

    _gross = field_validator("tax_minor")(_gross_within_bound)


class CreditNoteIn(InputSchema):
    date: DocumentDate
    net_minor: MinorAmount
    tax_minor: MinorAmount
    reason: str = Field(max_length=300)
    number: str | None = Field(None, max_length=60, description="Taken from the CN series when empty.")

    _gross = field_validator("tax_minor")(_gross_within_bound)


class CreditNoteCreateIn(CreditNoteIn):
    invoice_id: int


class PaymentFields(InputSchema):
    """A payment's own fields: ``PaymentIn`` and an item of a payment batch."""

    customer_id: int
    received_date: DocumentDate
    amount_minor: MinorAmount
    currency: str | None = Field(None, max_length=3, description="The customer's currency when empty.")
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    number: str | None = Field(None, max_length=60, description="Taken from the RCV series when empty.")
    bill_number: str = Field("", max_length=60)
    bill_maturity_date: DocumentDate | None = None
    payer_name: str = Field("", max_length=200)
    bank_reference: str = Field("", max_length=100)
    contract_id: int | None = Field(
        None, description="The contract this money is the deposit for (same customer and currency): it counts towards "
                          "the deposit the contract's first invoice waits for.")


class PaymentIn(PaymentFields):
    auto_allocate: bool = Field(
        False, description="Settle at once: the open item equal to the amount, else the oldest open items.")


class AllocationLineIn(InputSchema):
    invoice_id: int
    amount_minor: MinorAmount


class AllocateIn(InputSchema):
    lines: list[AllocationLineIn]
    date: DocumentDate | None = Field(None, description="Today (or the payment date if later) when empty.")


class AutoAllocateIn(InputSchema):
    date: DocumentDate | None = None


class PaymentReverseIn(InputSchema):
    reason: str = Field(max_length=300)
    date: DocumentDate | None = Field(None, description="Today when empty.")


class AllocationReverseIn(InputSchema):
    reason: str = Field(min_length=1, max_length=500, description="Why the allocation is undone (stored, audited).")
    date: DocumentDate | None = None


class ApprovalDecisionIn(InputSchema):
    note: str = Field("", max_length=500, description="The approver's note; required to reject.")


class LedgerSettingsIn(InputSchema):
    four_eyes_minor: int = Field(ge=0, le=MAX_MINOR, strict=True,
        description="A manual allocation, reversal, credit note or invoice above this (CNY fen) needs a second "
                    "person.")


class ExchangeRateIn(InputSchema):
    currency: str = Field(max_length=3)
    date: DocumentDate
    rate: Decimal = Field(gt=0, max_digits=18, decimal_places=8, description="CNY per one unit, e.g. \"7.1234\".")
    source: str = Field("", max_length=60)


# ---------------------------------------------------------------- filters


class ApprovalFilters(QuerySchema):
    status: ApprovalStatus | None = None
    kind: ApprovalKind | None = None
    customer_id: ObjectId | None = None
    payment_id: ObjectId | None = None
    invoice_id: ObjectId | None = None


class InvoiceFilters(QuerySchema):
    customer_id: ObjectId | None = None
    open_only: bool = False
    overdue_on: dt.date | None = Field(None, description="Open and due before this day.")
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    search: SearchText = ""


class PaymentFilters(QuerySchema):
    customer_id: ObjectId | None = None
    unallocated_only: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    method: PaymentMethod | None = None
    search: SearchText = ""


class CreditNoteFilters(QuerySchema):
    customer_id: ObjectId | None = None


class AllocationFilters(QuerySchema):
    payment_id: ObjectId | None = None
    invoice_id: ObjectId | None = None


class ExchangeRateFilters(QuerySchema):
    currency: str = Field("", max_length=100)


class StatementQuery(QuerySchema):
    date_from: dt.date = Field(alias="from", description="First day, YYYY-MM-DD.")
    date_to: dt.date = Field(alias="to", description="Last day, YYYY-MM-DD; not before `from`.")


# ---------------------------------------------------------------- outputs


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


class AllocationOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    payment_id: int | None
    payment_number: str | None
    credit_note_id: int | None
    credit_note_number: str | None
    write_off_id: int | None = Field(description="Set on a write-off (核销坏账) and, with a negative amount, on a "
                                                 "recovery of one.")
    write_off_reference: str | None = Field(description="What authorised the write-off, e.g. WR-000004.")
    currency: str
    amount_minor: int
    amount: str
    date: dt.date
    reverses_id: int | None = Field(description="Set on a reversing row: the allocation it undoes.")
    reversed: bool = Field(description="True once a reversing row undoes this allocation.")
    reason: str = Field(description="On a reversing row: why it was undone.")
    created_at: dt.datetime

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number

    @staticmethod
    def resolve_payment_number(obj) -> str | None:
        return obj.payment.number if obj.payment_id else None

    @staticmethod
    def resolve_credit_note_number(obj) -> str | None:
        return obj.credit_note.number if obj.credit_note_id else None

    @staticmethod
    def resolve_write_off_reference(obj) -> str | None:
        return obj.write_off.reference if obj.write_off_id else None

    @staticmethod
    def resolve_currency(obj) -> str:
        return obj.invoice.currency

    resolve_amount = formatted_money("amount_minor", "invoice.currency")

    @staticmethod
    def resolve_reversed(obj) -> bool:
        return hasattr(obj, "reversed_by")


class CreditNoteOut(Schema):
    id: int
    number: str
    invoice_id: int
    invoice_number: str
    customer_id: int
    date: dt.date
    currency: str
    net_minor: int
    tax_minor: int
    gross_minor: int
    net: str
    tax: str
    gross: str
    reason: str
    kind: str = Field(description="standard (reverses revenue and VAT) or discount (an early-payment discount, "
                                  "a finance cost; VAT as invoiced).")
    posted_at: dt.datetime

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number

    resolve_net = formatted_money("net_minor")

    resolve_tax = formatted_money("tax_minor")

    resolve_gross = formatted_money("gross_minor")


class PostedDocumentOut(CustomerRefOut):
    """What every posted customer document shows: whose it is and who posted it."""

    id: int
    number: str
    posted_at: dt.datetime
    posted_by: str | None

    @staticmethod
    def resolve_posted_by(obj) -> str | None:
        return _username(obj.posted_by)


class InvoiceOut(PostedDocumentOut):
    contract_id: int | None
    vat_invoice_number: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    net_minor: int
    tax_minor: int
    gross_minor: int
    amount_open_minor: int
    net: str
    tax: str
    gross: str
    amount_open: str
    fx_rate: Decimal = Field(description="CNY per unit at posting; 1 for CNY.")
    gross_base_minor: int = Field(description="Gross in CNY fen at posting.")
    description: str
    discount_bp: int = Field(description="Early-payment discount fixed at posting, basis points of the gross "
                                         "(200 = 2%); 0 for none.")
    discount_until: dt.date | None = Field(description="Last day on which paying earns the discount.")
    discount_minor: int = Field(description="The discount in minor units: gross × discount_bp / 10000, half up.")

    @staticmethod
    def resolve_discount_minor(obj) -> int:
        return discount_amount(obj.gross_minor, obj.discount_bp)

    resolve_net = formatted_money("net_minor")

    resolve_tax = formatted_money("tax_minor")

    resolve_gross = formatted_money("gross_minor")

    resolve_amount_open = formatted_money("amount_open_minor")


class InvoiceDetailOut(InvoiceOut):
    allocations: list[AllocationOut]
    credit_notes: list[CreditNoteOut]

    @staticmethod
    def resolve_allocations(obj) -> list:
        return list(obj.allocations.select_related("invoice", "payment", "credit_note", "write_off", "reversed_by")
                    .order_by("date", "id"))

    @staticmethod
    def resolve_credit_notes(obj) -> list:
        return list(obj.credit_notes.select_related("invoice").order_by("date", "id"))


class PaymentOut(PostedDocumentOut):
    received_date: dt.date
    currency: str
    amount_minor: int
    amount_unallocated_minor: int
    charge_minor: int = Field(description="Part of amount_minor the payer's bank deducted (a bank charge, booked to "
                                          "6603): the bank received amount_minor - charge_minor")
    amount: str
    amount_unallocated: str
    method: str
    bill_number: str
    bill_maturity_date: dt.date | None
    payer_name: str
    bank_reference: str
    fx_rate: Decimal
    amount_base_minor: int
    status: str
    reversal_date: dt.date | None
    reversal_reason: str
    contract_id: int | None = Field(None, description="The contract this money is the deposit for, if any.")

    resolve_amount = formatted_money("amount_minor")

    resolve_amount_unallocated = formatted_money("amount_unallocated_minor")


class PaymentDetailOut(PaymentOut):
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj) -> list:
        return list(obj.allocations.select_related("invoice", "payment", "credit_note", "write_off", "reversed_by")
                    .order_by("date", "id"))


class AllocationResultOut(Schema):
    payment: PaymentOut
    allocations: list[AllocationOut]


class ApprovalOut(CustomerRefOut):
    """A manual allocation, reversal, credit note or invoice above the company's amount, waiting for (or decided
    by) a second person."""

    id: int
    kind: ApprovalKind
    status: ApprovalStatus
    currency: str
    amount_minor: int
    amount: str
    amount_base_minor: int = Field(description="In CNY fen, compared with the company's amount.")
    threshold_minor: int = Field(description="The company's amount (CNY fen) when it was asked for.")
    arguments: dict = Field(description="What the ledger service is called with on approval.")
    payment_id: int | None
    invoice_id: int | None
    allocation_id: int | None
    reason: str
    requested_by: str | None
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    result: dict = Field(description="Once approved: the allocation ids, or the document's id and number.")

    resolve_amount = formatted_money("amount_minor")

    resolve_requested_by = username_of("requested_by")

    resolve_decided_by = username_of("decided_by")


class ApprovalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ApprovalOut]


class LedgerSettingsOut(Schema):
    four_eyes_minor: int = Field(description="A manual action worth more than this (CNY fen) needs a second person.")
    four_eyes: str
    currency: str = Field(description="Always CNY: the amount is compared in the base currency.")

    resolve_four_eyes = formatted_money("four_eyes_minor")


class ExchangeRateOut(Schema):
    id: int
    currency: str
    date: dt.date
    rate: Decimal
    source: str


class LedgerOpenItemOut(Schema):
    id: int
    number: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    gross_minor: int
    amount_open_minor: int
    gross: str
    amount_open: str

    resolve_gross = formatted_money("gross_minor")

    resolve_amount_open = formatted_money("amount_open_minor")


class BalanceOut(Schema):
    currency: str
    open_minor: int = Field(description="Open invoices.")
    unapplied_minor: int = Field(description="Payments not yet allocated.")
    balance_minor: int = Field(description="open - unapplied: what the customer owes net.")
    open: str
    unapplied: str
    balance: str


class BalancesOut(Schema):
    customer_id: int
    balances: list[BalanceOut]


def balances_out(customer_id: int, balances: dict[str, dict[str, int]]) -> dict:
    """``customer_balances``' dict as a list sorted by currency, with formatted amounts beside."""
    rows = []
    for currency in sorted(balances):
        values = balances[currency]
        row = {"currency": currency}
        for name in ("open", "unapplied", "balance"):
            row[f"{name}_minor"] = values[name]
            row[name] = money_text(values[name], currency)
        rows.append(row)
    return {"customer_id": customer_id, "balances": rows}


class StatementLineOut(Schema):
    date: dt.date
    kind: str = Field(description="invoice, credit_note, payment or payment_reversal.")
    number: str
    description: str
    debit_minor: int
    credit_minor: int
    balance_minor: int = Field(description="Running balance after this line.")
    debit: str
    credit: str
    balance: str


class StatementOut(Schema):
    currency: str
    opening_minor: int
    debit_total_minor: int
    credit_total_minor: int
    closing_minor: int
    opening: str
    debit_total: str
    credit_total: str
    closing: str
    lines: list[StatementLineOut]


class StatementsOut(Schema):
    customer_id: int
    date_from: dt.date
    date_to: dt.date
    statements: list[StatementOut] = Field(description="One per currency the customer dealt in.")


def statements_out(customer_id: int, date_from: dt.date, date_to: dt.date, statements: list) -> dict:
    """``customer_statement``'s per-currency statements with formatted amounts beside the minor units."""
    result = []
    for st in statements:
        cur = st.currency
        totals = {"opening": st.opening_minor, "debit_total": st.debit_total_minor,
                  "credit_total": st.credit_total_minor, "closing": st.closing_minor}
        result.append({
            "currency": cur,
            **{f"{name}_minor": value for name, value in totals.items()},
            **{name: money_text(value, cur) for name, value in totals.items()},
            "lines": [
                {
                    "date": line.date, "kind": line.kind, "number": line.number, "description": line.description,
                    "debit_minor": line.debit_minor, "credit_minor": line.credit_minor,
                    "balance_minor": line.balance_minor, "debit": money_text(line.debit_minor, cur),
                    "credit": money_text(line.credit_minor, cur), "balance": money_text(line.balance_minor, cur),
                }
                for line in st.lines
            ],
        })
    return {"customer_id": customer_id, "date_from": date_from, "date_to": date_to, "statements": result}


class InvoicePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InvoiceOut]


class CreditNotePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CreditNoteOut]


class PaymentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PaymentOut]


class AllocationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AllocationOut]


class ExchangeRatePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ExchangeRateOut]


class OpenItemPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LedgerOpenItemOut]


# ---------------------------------------------------------------- invoice delivery proof (送达 / 签收确认)


class InvoiceDeliveryIn(InputSchema):
    channel: inline_choices(DeliveryChannel)
    delivered_on: DocumentDate | None = Field(None, description="Today when empty; not in the future, not before "
                                              "the invoice date.")
    carrier: str = Field("", max_length=60, description="Post: the carrier (EMS, SF Express ...); required.")
    tracking_no: str = Field("", max_length=60, description="Post: the waybill number; required.")
    recipient: str = Field("", max_length=200)
    note: str = Field("", max_length=MAX_NOTE)


class DeliveryBulkIn(InvoiceDeliveryIn):
    invoice_ids: list[ObjectId] = Field(min_length=1, max_length=500,
                                        description="The invoices delivered together (one envelope).")


class InvoiceReceiptIn(InputSchema):
    """The receipt's fields as multipart form fields; `scan` (the signed receipt) beside them for channel scan."""

    channel: inline_choices(ReceiptChannel)
    received_on: DocumentDate | None = Field(None, description="Today when empty.")
    contact_id: ObjectId | None = Field(None, description="The customer's contact who confirmed, if known.")
    note: str = Field("", max_length=MAX_NOTE)


class InvoiceSendIn(InputSchema):
    to: str = Field(max_length=1000, description="One or more e-mail addresses (comma or semicolon between).")
    message: str = Field("", max_length=MAX_NOTE)


class DeliveryOutstandingFilters(QuerySchema):
    state: Literal["undelivered", "unconfirmed"] = "undelivered"
    customer_id: ObjectId | None = None
    salesperson_id: ObjectId | None = None
    channel: inline_choices(DeliveryChannel) | None = Field(None, description="Unconfirmed: how they went out.")
    search: SearchText = ""


class InvoiceDeliveryOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    kind: str
    channel: str
    date: dt.date
    carrier: str
    tracking_no: str
    recipient: str
    contact_id: int | None
    confirmed_by: str
    note: str
    batch: str
    scan_name: str
    scan_sha256: str
    recorded_at: dt.datetime
    recorded_by: str

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number

    @staticmethod
    def resolve_date(obj) -> dt.date:
        return obj.occurred_on

    @staticmethod
    def resolve_scan_sha256(obj) -> str:
        return obj.scan.sha256 if obj.scan_id else ""

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        return obj.recorded_by_name


class DeliveryStatusOut(Schema):
    state: str
    delivered_on: dt.date | None
    delivered_channel: str
    carrier: str
    tracking_no: str
    confirmed_on: dt.date | None
    confirmed_channel: str


class InvoiceDeliveriesOut(Schema):
    invoice_id: int
    status: DeliveryStatusOut
    records: list[InvoiceDeliveryOut]


class DeliveryOutstandingOut(CustomerRefOut):
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
    salesperson: str | None
    delivery_state: str
    delivered_on: dt.date | None
    delivered_channel: str | None
    age_days: int = Field(description="Days since the invoice date (undelivered) or since delivery (unconfirmed).")

    resolve_gross = formatted_money("gross_minor")

    resolve_amount_open = formatted_money("amount_open_minor")

    @staticmethod
    def resolve_salesperson(obj) -> str | None:
        return _username(obj.customer.salesperson)

    @staticmethod
    def resolve_age_days(obj) -> int:
        return (timezone.localdate() - (obj.delivered_on or obj.issue_date)).days


class DeliveryOutstandingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DeliveryOutstandingOut]


class DeliveryBulkOut(Schema):
    batch: str
    records: list[InvoiceDeliveryOut]


# ---------------------------------------------------------------- batches (many documents, one call, all or none)

#: at most this many documents in one batch call
MAX_BATCH = 1000


class InvoiceBatchItemIn(InvoiceIn):
    idempotency_key: str | None = Field(None, max_length=200, description="This invoice's own key: sent again, it "
                                        "is not posted twice (counted in `skipped`).")


class InvoiceBatchIn(InputSchema):
    invoices: list[InvoiceBatchItemIn] = Field(min_length=1, max_length=MAX_BATCH)


class BatchAllocationIn(InputSchema):
    invoice_id: ObjectId
    amount_minor: MinorAmount | None = Field(None, description="Empty: as much as is open on the invoice and left "
                                             "of the payment at that point.")


class PaymentBatchItemIn(PaymentFields):
    allocations: list[BatchAllocationIn] = Field(default_factory=list, max_length=MAX_BATCH,
                                                 description="The invoices (核销) this payment settles, in order.")
    allocate_on: DocumentDate | None = Field(None, description="The allocations' date: the received date when empty.")
    idempotency_key: str | None = Field(None, max_length=200, description="This payment's own key: sent again, it "
                                        "is not recorded twice (counted in `skipped`).")


class PaymentBatchIn(InputSchema):
    payments: list[PaymentBatchItemIn] = Field(min_length=1, max_length=MAX_BATCH)


class BatchOut(Schema):
    created_ids: list[int] = Field(description="The documents posted, in the order sent (those answered by their "
                                   "idempotency key are not among them).")
    skipped: int = Field(description="Items already posted under their idempotency key.")
    allocations: int = 0
    audit_batch: int | None = Field(None, description="The audit sub-chain of this call "
                                    "(`/api/v1/audit/events?batch=`).")
