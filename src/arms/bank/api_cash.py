"""REST API of cash application: statement lines, their matches, learned aliases, unapplied cash and the bank
reconciliation, mounted at /api/v1/cash."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["cash"])


# workbench
# The bank reconciliation (银行余额调节表) and remittance advice; the rest of this router is cash application's.

import datetime as _dt  # noqa: E402

from django.shortcuts import get_object_or_404  # noqa: E402
from ninja import File, Form, Query, UploadedFile  # noqa: E402
from ninja import Schema as _Schema  # noqa: E402
from pydantic import Field as _Field  # noqa: E402

from arms.bank import selectors as _selectors  # noqa: E402
from arms.bank.models import BankAccount as _BankAccount  # noqa: E402
from arms.bank.models import StatementLine as _StatementLine  # noqa: E402
from arms.bank.services.remittance import remittance_apply  # noqa: E402
from arms.common.access import require_perm as _require_perm  # noqa: E402
from arms.common.api_types import DocumentDate, InputSchema, ObjectId, QuerySchema, money_text  # noqa: E402
from arms.customers.selectors import customer_get as _customer_get  # noqa: E402

#: items of each side a reconciliation answer lists at most (the totals count every item)
RECONCILIATION_ITEMS = 500


class ReconciliationQuery(QuerySchema):
    account: ObjectId = _Field(description="The bank account's id.")
    date: DocumentDate = _Field(description="The day: balances at its close.")


class BankOnlyOut(_Schema):
    line_id: int
    booking_date: _dt.date
    amount_minor: int
    amount: str
    counterparty_name: str
    remittance: str
    bank_reference: str
    status: str


class BookOnlyOut(_Schema):
    date: _dt.date
    amount_minor: int
    amount: str
    memo: str
    customer_name: str
    payment_id: int | None


class ReconciliationOut(_Schema):
    account_id: int
    account_number: str
    ledger_account: str
    date: _dt.date
    currency: str
    opening_balance_known: bool = _Field(description="False when no statement gave an opening balance.")
    statement_balance_minor: int
    book_balance_minor: int = _Field(description="The account's book in the journal, CNY fen.")
    bank_only_minor: int = _Field(description="Lines in the bank not yet in the books.")
    bank_only_count: int
    book_only_minor: int = _Field(description="Receipts in the books no statement line explains yet.")
    book_only_count: int
    adjusted_statement_minor: int
    adjusted_book_minor: int
    unexplained_minor: int = _Field(description="What the items do not explain (often the opening balance).")
    statement_balance: str
    book_balance: str
    unexplained: str
    bank_only: list[BankOnlyOut] = _Field(description=f"The first {RECONCILIATION_ITEMS}, oldest first.")
    book_only: list[BookOnlyOut] = _Field(description=f"The first {RECONCILIATION_ITEMS}, oldest first.")


@router.get("/reconciliation", response=ReconciliationOut,
            summary="Bank reconciliation (银行余额调节表) of one account at the close of a day")
def reconciliation(request, query: Query[ReconciliationQuery]):
    _require_perm(request, "bank.view_statementline")
    account = get_object_or_404(_BankAccount, pk=query.account)
    rec = _selectors.bank_reconciliation(account=account, on=query.date)
    cur = rec.currency
    bank_only = _selectors.bank_only_lines(account, query.date)[:RECONCILIATION_ITEMS]
    book_only = _selectors.book_only_items(_selectors.book_only_entries(account, query.date)[:RECONCILIATION_ITEMS])
    return {
        "account_id": account.pk, "account_number": account.account_number, "ledger_account": account.ledger_account,
        "date": rec.on, "currency": cur, "opening_balance_known": rec.opening_known,
        "statement_balance_minor": rec.statement_balance_minor, "book_balance_minor": rec.book_balance_minor,
        "bank_only_minor": rec.bank_only_minor, "bank_only_count": rec.bank_only_count,
        "book_only_minor": rec.book_only_minor, "book_only_count": rec.book_only_count,
        "adjusted_statement_minor": rec.adjusted_statement_minor, "adjusted_book_minor": rec.adjusted_book_minor,
        "unexplained_minor": rec.unexplained_minor,
        "statement_balance": money_text(rec.statement_balance_minor, cur),
        "book_balance": money_text(rec.book_balance_minor, "CNY"),
        "unexplained": money_text(rec.unexplained_minor, cur),
        "bank_only": [{"line_id": line.pk, "booking_date": line.booking_date, "amount_minor": line.amount_minor,
                       "amount": money_text(line.amount_minor, line.currency),
                       "counterparty_name": line.counterparty_name, "remittance": line.remittance,
                       "bank_reference": line.bank_reference, "status": line.status} for line in bank_only],
        "book_only": [{"date": item.date, "amount_minor": item.amount_minor,
                       "amount": money_text(item.amount_minor, "CNY"), "memo": item.memo,
                       "customer_name": item.customer_name, "payment_id": item.payment_id} for item in book_only],
    }


class RemittanceIn(InputSchema):
    customer_id: ObjectId | None = _Field(None, description="The paying customer; by default the customer of the "
                                                            "first invoice listed.")
    note: str = _Field("", max_length=500)


class AppliedPaymentOut(_Schema):
    id: int
    number: str
    customer_code: str
    amount_minor: int
    amount: str
    amount_unallocated_minor: int


class RemittanceOut(_Schema):
    line_id: int
    status: str
    payments: list[AppliedPaymentOut]


@router.post("/lines/{line_id}/remittance", response=RemittanceOut,
             summary="Apply a line as the customer's remittance advice (multipart `file`: Excel or CSV of invoice "
                     "numbers and amounts) lists it; a bad row is refused by number and nothing is written")
def line_remittance(request, line_id: int, payload: Form[RemittanceIn], file: File[UploadedFile]):
    _require_perm(request, "bank.apply_cash")
    line = get_object_or_404(_StatementLine.objects.select_related("account"), pk=line_id)
    customer = _customer_get(user=request.user, customer_id=payload.customer_id) if payload.customer_id else None
    payments = remittance_apply(actor=request.user, line=line, file=file, customer=customer, note=payload.note)
    line.refresh_from_db()
    return {"line_id": line.pk, "status": line.status,
            "payments": [{"id": p.pk, "number": p.number, "customer_code": p.customer.code,
                          "amount_minor": p.amount_minor, "amount": money_text(p.amount_minor, p.currency),
                          "amount_unallocated_minor": p.amount_unallocated_minor} for p in payments]}
