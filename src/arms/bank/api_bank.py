"""REST API of the company's bank accounts, imported statements and column profiles, mounted at /api/v1/bank.

    GET   /accounts                    the bank accounts (limit/offset)
    POST  /accounts                    add one (finance manager)
    PATCH /accounts/{id}               change the fields sent; ``column_profile`` maps the columns of an own layout
    POST  /statements                  upload a statement file (multipart ``file``; ``account_id``, ``profile``)
    GET   /statements                  imported statements, newest first (``account_id``, ``date_from``,
                                       ``date_to``, ``gaps_only``; limit/offset)
    GET   /statements/{id}             one statement with its lines (limit/offset over the lines)
    GET   /profiles                    the built-in layouts of Chinese bank exports

    curl -H "Authorization: Bearer $TOKEN" -F file=@icbc-2026-03.csv -F account_id=1 "$ARMS/api/v1/bank/statements"

A file up to 256 KB is imported at once: 201 with what was imported (``lines_new``, ``lines_seen``, the gap of
each statement). A larger one is imported in the background: 202 with the job and ``Location: /api/v1/jobs/{id}``.
A file that is refused is 422 ``statement_unreadable`` with ``details.file``, ``details.line``,
``details.column`` and ``details.reason``; a statement of an unknown or another account 422
``statement_account_unknown`` / ``statement_account_mismatch``; nothing of the file is imported.
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from arms.bank import selectors
from arms.bank.jobs import is_big, statement_import_job_start
from arms.bank.parsers import BUILT_IN, GENERIC
from arms.bank.services.accounts import (
    MAPPING_FIELDS,
    bank_account_create,
    bank_account_update,
    column_mapping_clean,
    column_profile_save,
)
from arms.bank.services.importing import statement_import
from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.api_types import DocumentDate, InputSchema, ObjectId, QuerySchema
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check

router = Router(tags=["bank"])

class ColumnMappingIn(InputSchema):
    """For each field, the header text(s) of the column that holds it; a date, and an amount or both credit and
    debit, are required."""

    name: str = Field("", max_length=60)
    date: list[str] = Field(max_length=5)
    amount: list[str] = Field([], max_length=5)
    direction: list[str] = Field([], max_length=5)
    credit: list[str] = Field([], max_length=5)
    debit: list[str] = Field([], max_length=5)
    counterparty_name: list[str] = Field([], max_length=5)
    counterparty_account: list[str] = Field([], max_length=5)
    counterparty_bank: list[str] = Field([], max_length=5)
    remittance: list[str] = Field([], max_length=5)
    reference: list[str] = Field([], max_length=5)
    balance: list[str] = Field([], max_length=5)
    currency: list[str] = Field([], max_length=5)
    name_then_account: bool = False


class BankAccountIn(InputSchema):
    name: str = Field(max_length=100)
    bank: str = Field(max_length=100)
    branch: str = Field("", max_length=200)
    account_number: str = Field(max_length=64, description="As the bank writes it; spaces and dashes are dropped.")
    currency: str = Field("CNY", max_length=3)
    ledger_account: str = Field("1002", max_length=20, description="1002 or a sub-account, e.g. 100201.")
    profile_key: str = Field("", max_length=40, description="A built-in layout (GET /profiles), or empty.")


class BankAccountPatch(InputSchema):
    name: str = Field(None, max_length=100)
    bank: str = Field(None, max_length=100)
    branch: str = Field(None, max_length=200)
    account_number: str = Field(None, max_length=64)
    currency: str = Field(None, max_length=3)
    ledger_account: str = Field(None, max_length=20)
    profile_key: str = Field(None, max_length=40)
    active: bool = None
    column_profile: ColumnMappingIn | None = Field(None, description="The own column layout; null removes it.")


class BankAccountOut(Schema):
    id: int
    name: str
    bank: str
    branch: str
    account_number: str
    currency: str
    ledger_account: str
    profile_key: str
    column_profile: dict | None
    active: bool
    created_at: datetime


class BankAccountPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BankAccountOut]


class BankStatementOut(Schema):
    id: int
    account_id: int
    format: str
    statement_id: str
    filename: str
    sha256: str
    first_date: date | None
    last_date: date | None
    opening_balance_minor: int | None
    closing_balance_minor: int | None
    gap_minor: int | None
    lines_in_file: int
    lines_new: int
    lines_seen: int
    imported_at: datetime
    currency: str = Field(description="The account's currency (of every amount here).")


class BankStatementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BankStatementOut]


class BankLineOut(Schema):
    id: int
    booking_date: date
    value_date: date | None
    amount_minor: int
    currency: str
    bank_reference: str
    sequence: int
    end_to_end_id: str
    counterparty_name: str
    counterparty_account: str
    counterparty_bank: str
    remittance: str
    transaction_code: str
    reversal: bool
    balance_after_minor: int | None
    source_line: int | None
    status: str
    confidence: int
    customer_id: int | None


class BankLinePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BankLineOut]


class BankStatementDetailOut(BankStatementOut):
    lines: BankLinePage


class StatementImportedOut(Schema):
    account_id: int
    account_number: str
    statement_id: int | None
    format: str
    first_date: date | None
    last_date: date | None
    lines_in_file: int
    lines_new: int
    lines_seen: int
    opening_balance: int | None
    closing_balance: int | None
    gap: int | None
    problems: list[str]


class StatementImportOut(Schema):
    filename: str
    sha256: str
    lines_new: int
    lines_seen: int
    new_line_ids: list[int]
    statements: list[StatementImportedOut]


class BankProfileOut(Schema):
    key: str
    name: str
    columns: dict[str, list[str]]


class StatementFilters(QuerySchema):
    account_id: ObjectId | None = None
    date_from: DocumentDate | None = Field(None, description="Statements that end on or after this day.")
    date_to: DocumentDate | None = Field(None, description="Statements that begin on or before this day.")
    gaps_only: bool = Field(False, description="Only statements whose opening balance does not continue the "
                                               "previous closing balance.")


@router.get("/accounts", response=BankAccountPage, summary="The company's bank accounts")
def account_list(request, page: Query[PageParams]):
    require_perm(request, "bank.view_bankaccount")
    return paginate(selectors.bank_account_list(), limit=page.limit, offset=page.offset)


@router.post("/accounts", response={201: BankAccountOut}, summary="Add a bank account")
def account_create(request, payload: BankAccountIn):
    require_perm(request, "bank.add_bankaccount")
    return Status(201, bank_account_create(actor=request.user, **payload.model_dump()))


@router.patch("/accounts/{account_id}", response=BankAccountOut, summary="Change a bank account or its layout")
def account_update(request, account_id: ObjectId, payload: BankAccountPatch):
    require_perm(request, "bank.change_bankaccount")
    account = selectors.bank_account_get(account_id=account_id)
    data = payload.model_dump(exclude_unset=True)
    has_mapping = "column_profile" in data
    mapping = data.pop("column_profile", None)
    if mapping is not None:
        column_mapping_clean(mapping)  # a bad mapping refuses the whole request before anything is written
    if data:
        account = bank_account_update(actor=request.user, account=account, **data)
    if has_mapping:
        account = column_profile_save(actor=request.user, account=account, mapping=mapping)
    return account


@router.post("/statements", response={201: StatementImportOut, **ACCEPTED},
             summary="Import a statement file (CAMT.053, MT940, Chinese bank CSV/XLS/XLSX)")
def statement_upload(request, file: File[UploadedFile], account_id: int | None = Form(None, ge=1, le=2**63 - 1),
                     profile: str = Form("", max_length=40)):
    require_perm(request, "bank.import_statement")
    upload_check(file, field="file")
    account = selectors.bank_account_get(account_id=account_id) if account_id else None
    data = file.read()
    name = file.name or "statement"
    if is_big(data):
        job, _created = statement_import_job_start(data=data, filename=name, account=account,
                                                   profile=profile or None, actor=request.user)
        return job_accepted(request, job)
    result = statement_import(actor=request.user, data=data, filename=name, account=account,
                              profile=profile or None)
    return Status(201, {"filename": result.filename, "sha256": result.sha256, "lines_new": result.lines_new,
                        "lines_seen": result.lines_seen, "new_line_ids": result.new_line_ids,
                        "statements": [{**s.__dict__, "problems": list(s.problems)} for s in result.statements]})


@router.get("/statements", response=BankStatementPage, summary="Imported statements, newest first")
def statement_list(request, filters: Query[StatementFilters], page: Query[PageParams]):
    require_perm(request, "bank.view_bankstatement")
    return paginate(selectors.statement_list(**filters.model_dump()), limit=page.limit, offset=page.offset)


@router.get("/statements/{statement_id}", response=BankStatementDetailOut, summary="One statement with its lines")
def statement_detail(request, statement_id: ObjectId, page: Query[PageParams]):
    require_perm(request, "bank.view_bankstatement")
    statement = selectors.statement_get(statement_id=statement_id)
    statement.lines_page = paginate(selectors.statement_lines(statement), limit=page.limit, offset=page.offset)
    return {**BankStatementOut.model_validate(statement).model_dump(), "lines": statement.lines_page}


@router.get("/profiles", response=list[BankProfileOut], summary="Built-in layouts of Chinese bank exports")
def profile_list(request):
    require_perm(request, "bank.view_bankaccount")
    return [{"key": p.key, "name": p.name,
             "columns": {f: list(getattr(p, f)) for f in MAPPING_FIELDS if getattr(p, f)}}
            for p in (*BUILT_IN, GENERIC)]
