"""REST API of cash application: statement lines, their matches, learned aliases, unapplied cash and the bank
reconciliation, mounted at /api/v1/cash.

    POST   /match                   match open lines: a few named lines at once (200), else a job (202)
    GET    /lines?status=&account_id=&date_from=&date_to=   statement lines, newest first, paginated
    GET    /lines/{id}              one line with its match: customer, allocations, charge, confidence, reasons
    POST   /lines/{id}/accept       apply the suggestion unchanged (and learn the payer)
    POST   /lines/{id}/apply        apply as the clerk decides: shares per customer, allocations, charge
    POST   /lines/{id}/ignore       set aside: not a customer receipt (kind, note)
    POST   /lines/{id}/reset        undo: reverse its payment(s) through the ledger (reason)
    GET    /aliases?customer_id=&kind=                       learned payers
    DELETE /aliases/{id}            forget one (what was applied stays applied)

Reading needs ``bank.view_statementline`` (aliases: ``bank.view_payeralias``); matching and applying
``bank.apply_cash``; forgetting an alias ``bank.delete_payeralias``. The services refuse what does not fit on locked
rows (``line_already_applied``, ``shares_do_not_fit`` ...), naming the field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.bank import cash_selectors as selectors
from arms.bank.cash_jobs import match_job_start
from arms.bank.cash_schemas import (
    INLINE_LINES,
    AliasFilters,
    AliasPage,
    ApplyIn,
    IgnoreIn,
    LineDetailOut,
    LineFilters,
    LinePage,
    MatchIn,
    MatchRunOut,
    ResetIn,
)
from arms.bank.models import BankAccount, StatementLine
from arms.bank.services.applying import Share, alias_remove, line_accept, line_apply, line_ignore, line_reset
from arms.bank.services.matching import match_lines
from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import NotFound, ValidationFailed
from arms.common.pagination import PageParams, paginate

router = Router(tags=["cash"])


def _line(line_id: int) -> StatementLine:
    line = StatementLine.objects.filter(pk=line_id).first()
    if line is None:
        raise NotFound(_("Statement line %(id)s not found.") % {"id": line_id}, field="line_id")
    return line


def _detail(line_id: int) -> StatementLine:
    return selectors.line_list().prefetch_related("applications").get(pk=line_id)


@router.post("/match", response={200: MatchRunOut, **ACCEPTED},
             summary="Match open statement lines and apply what is sure enough")
def match(request, payload: MatchIn):
    """A few named lines (up to 20) are matched at once and the run's counts answered (200); otherwise a
    background job does it (202 with the job and ``Location``)."""
    require_perm(request, "bank.apply_cash")
    account = None
    if payload.account_id is not None:
        account = BankAccount.objects.filter(pk=payload.account_id).first()
        if account is None:
            raise ValidationFailed(_("No such bank account."), field="account_id")
    if payload.line_ids:
        missing = set(payload.line_ids) - set(StatementLine.objects.filter(pk__in=payload.line_ids)
                                              .values_list("pk", flat=True))
        if missing:
            raise ValidationFailed(_("No statement line %(id)s.") % {"id": min(missing)}, field="line_ids")
        if len(payload.line_ids) <= INLINE_LINES:
            run = match_lines(actor=request.user, line_ids=payload.line_ids, account=account, on=payload.date,
                              auto=payload.auto)
            return Status(200, run.__dict__)
    job, _created = match_job_start(actor=request.user, line_ids=payload.line_ids or None,
                                    account_id=payload.account_id, on=payload.date, auto=payload.auto)
    return job_accepted(request, job)


@router.get("/lines", response=LinePage, summary="Statement lines, newest first")
def lines(request, filters: Query[LineFilters], page: Query[PageParams]):
    require_perm(request, "bank.view_statementline")
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise ValidationFailed(_("The end is before the start."), field="date_to")
    return paginate(selectors.line_list(**filters.model_dump()), limit=page.limit, offset=page.offset)


@router.get("/lines/{line_id}", response=LineDetailOut, summary="One statement line with its match and reasons")
def line_detail(request, line_id: int):
    require_perm(request, "bank.view_statementline")
    return _detail(_line(line_id).pk)


@router.post("/lines/{line_id}/accept", response=LineDetailOut, summary="Apply the suggestion unchanged")
def accept(request, line_id: int):
    require_perm(request, "bank.apply_cash")
    line_accept(actor=request.user, line=_line(line_id))
    return _detail(line_id)


@router.post("/lines/{line_id}/apply", response=LineDetailOut,
             summary="Apply as the clerk decides (customers, invoices, amounts, bank charge)")
def apply(request, line_id: int, payload: ApplyIn):
    require_perm(request, "bank.apply_cash")
    shares = [
        Share(customer_id=share.customer_id,
              allocations=tuple((a.invoice_id, a.amount_minor) for a in share.allocations),
              charge_minor=share.charge_minor, amount_minor=share.amount_minor)
        for share in payload.shares
    ]
    line_apply(actor=request.user, line=_line(line_id), shares=shares, note=payload.note, learn=payload.learn)
    return _detail(line_id)


@router.post("/lines/{line_id}/ignore", response=LineDetailOut, summary="Set aside: not a customer receipt")
def ignore(request, line_id: int, payload: IgnoreIn):
    require_perm(request, "bank.apply_cash")
    line_ignore(actor=request.user, line=_line(line_id), kind=payload.kind, note=payload.note)
    return _detail(line_id)


@router.post("/lines/{line_id}/reset", response=LineDetailOut,
             summary="Undo: reverse the line's payment(s) and put it back for review")
def reset(request, line_id: int, payload: ResetIn):
    require_perm(request, "bank.apply_cash")
    line_reset(actor=request.user, line=_line(line_id), reason=payload.reason)
    return _detail(line_id)


@router.get("/aliases", response=AliasPage, summary="Learned payers (account numbers and names per customer)")
def aliases(request, filters: Query[AliasFilters], page: Query[PageParams]):
    require_perm(request, "bank.view_payeralias")
    return paginate(selectors.alias_list(**filters.model_dump()), limit=page.limit, offset=page.offset)


@router.delete("/aliases/{alias_id}", response={204: None}, summary="Forget a learned payer")
def alias_delete(request, alias_id: int):
    require_perm(request, "bank.delete_payeralias")
    alias = selectors.alias_list().filter(pk=alias_id).first()
    if alias is None:
        raise NotFound(_("Learned payer %(id)s not found.") % {"id": alias_id}, field="alias_id")
    alias_remove(actor=request.user, alias=alias)
    return Status(204, None)


# workbench
# The bank reconciliation (银行余额调节表) and remittance advice; the rest of this router is cash application's.

import datetime as _dt  # noqa: E402

from django.shortcuts import get_object_or_404  # noqa: E402
from ninja import File, Form, UploadedFile  # noqa: E402
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
