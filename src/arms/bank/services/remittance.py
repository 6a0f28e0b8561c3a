"""Remittance advice (付款明细): a customer's list of the invoices a lump sum pays, applied to a statement line.

The clerk uploads the customer's Excel (XLSX) or CSV file against the line. ARMS reads a column of invoice
numbers (the ARMS number or the 发票号码) and, if present, a column of amounts; it finds the header in the first
rows by its words (发票号/发票号码/单据号/invoice …, 金额/付款金额/amount …), or else takes column A as the number
and B as the amount.
Totals rows (合计/总计/total) and empty rows are passed over.

Every row must name an open invoice of the paying customer in the line's currency, once, and an amount no larger
than what is open (an empty amount pays the whole open amount); the amounts together may not exceed the line. The
first row that does not is refused with its row number and nothing is written. Then the line is applied through
``applying.line_apply`` (one share: the customer, the listed allocations; what is left of the line stays unapplied
cash), which locks the line, books through the ledger and learns the payer.

Bounded: the file is at most ``ARMS_UPLOAD_MAX_BYTES`` (and an XLSX passes ``xlsx_check``); at most
``MAX_ROWS`` rows are read.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from decimal import InvalidOperation
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db.models import Q
from django.utils.translation import gettext as _

from arms.bank.cash_errors import SharesDoNotFit
from arms.bank.parsers import detect_format, tabular
from arms.bank.services import applying
from arms.common.errors import ErrorCode, ValidationFailed
from arms.common.uploads import upload_check, xlsx_check
from arms.domain.bankstatement import StatementFileError
from arms.domain.money import MoneyError, parse_amount, to_decimal
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.bank.models import StatementLine
    from arms.common.typing import Actor
    from arms.customers.models import Customer
    from arms.ledger.models import Payment

#: a remittance advice lists a few dozen invoices; a file with more rows than this is not one
MAX_ROWS = 2_000
#: the header is looked for in the first rows
HEADER_ROWS = 10
NUMBER_WORDS = ("发票号码", "发票号", "发票编号", "单据号", "单据编号", "应收单号", "invoice", "inv no", "inv.")
AMOUNT_WORDS = ("本次付款", "付款金额", "核销金额", "支付金额", "金额", "amount", "paid")
TOTAL_WORDS = ("合计", "总计", "小计", "TOTAL")


class RemittanceUnreadable(ValidationFailed):
    code = ErrorCode.REMITTANCE_UNREADABLE


class RemittanceBadRow(ValidationFailed):
    code = ErrorCode.REMITTANCE_BAD_ROW


class RemittanceUnknownInvoice(ValidationFailed):
    code = ErrorCode.REMITTANCE_UNKNOWN_INVOICE


class RemittanceForeignInvoice(ValidationFailed):
    code = ErrorCode.REMITTANCE_FOREIGN_INVOICE


@dataclass(frozen=True)
class AdviceRow:
    """One row of the advice as read: its row number in the file, the invoice number, the amount text (or '')."""

    row: int
    number: str
    amount: str


def _cell(value: object) -> str:
    """A cell as text (the readers give spreadsheet numbers as the digits they show)."""
    return "" if value is None else unicodedata.normalize("NFKC", str(value)).strip()


def _raw_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet or the CSV, at most MAX_ROWS + HEADER_ROWS rows, read by the
    same readers as bank statements (``arms.bank.parsers.tabular``)."""
    limit = MAX_ROWS + HEADER_ROWS
    kind = detect_format(data)
    if kind == "xlsx":
        xlsx_check(io.BytesIO(data))
    reader = {"xlsx": tabular.xlsx_rows, "xls": tabular.xls_rows}.get(kind, tabular.csv_rows)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, values in enumerate(reader(data), start=1):
            if number > limit:
                raise _too_many()
            rows.append((number, [_cell(v) for v in values[:20]]))
    except StatementFileError as exc:
        if kind in ("xlsx", "xls"):
            message = _("The file is not an Excel workbook ARMS can read.")
        elif exc.code == StatementFileError.ENCODING:
            message = _("The file is neither an Excel workbook nor a CSV text file.")
        else:
            message = _("The CSV file cannot be read: %(reason)s") % {"reason": exc.params.get("detail", exc)}
        raise RemittanceUnreadable(message, field="file") from exc
    return rows


def _too_many() -> RemittanceUnreadable:
    return RemittanceUnreadable(_("A remittance advice has at most %(limit)s rows.") % {"limit": f"{MAX_ROWS:,}"},
                                field="file", limit=MAX_ROWS)


def _column(header: list[str], words: tuple[str, ...]) -> int | None:
    for word in words:
        for index, cell in enumerate(header):
            if word.lower() in cell.lower():
                return index
    return None


def read_advice(data: bytes) -> list[AdviceRow]:
    """The invoice rows of an advice file (numbers not yet resolved). Refuses a file with none."""
    rows = _raw_rows(data)
    number_col, amount_col, start = 0, 1, 0
    for position, (_row, cells) in enumerate(rows[:HEADER_ROWS]):
        found = _column(cells, NUMBER_WORDS)
        if found is not None:
            number_col, start = found, position + 1
            amount_col = _column([c if i != found else "" for i, c in enumerate(cells)], AMOUNT_WORDS)  # type: ignore[assignment]
            break
    result = []
    for row, cells in rows[start:]:
        number = cells[number_col] if number_col < len(cells) else ""
        amount = cells[amount_col] if amount_col is not None and amount_col < len(cells) else ""
        if not number and not amount:
            continue
        if any(word in number.upper() for word in TOTAL_WORDS):
            continue
        result.append(AdviceRow(row=row, number=number, amount=amount))
    if not result:
        raise RemittanceUnreadable(_("The file lists no invoice: put the invoice numbers in a column headed "
                                     "发票号 or 单据号, and the amounts in one headed 金额."), field="file")
    if len(result) > MAX_ROWS:
        raise _too_many()
    return result


def _key(number: str) -> str:
    return unicodedata.normalize("NFKC", number).strip().upper()


def resolve_advice(*, line: StatementLine, customer: Customer | None,
                   rows: list[AdviceRow]) -> tuple[int, tuple[tuple[int, int], ...]]:
    """(customer id, allocations) the advice asks for, every row checked; the first bad row is refused, naming it.
    Without ``customer`` the first listed invoice's customer is the payer."""
    keys = {_key(r.number) for r in rows if r.number}
    invoices = list(Invoice.objects.filter(company_id=line.account.company_id)
                    .filter(Q(number__in=keys) | Q(vat_invoice_number__in=keys))
                    .only("id", "number", "vat_invoice_number", "customer_id", "currency", "amount_open_minor"))
    by_key: dict[str, Invoice] = {}
    for invoice in invoices:
        by_key.setdefault(_key(invoice.number), invoice)
        if invoice.vat_invoice_number:
            by_key.setdefault(_key(invoice.vat_invoice_number), invoice)
    payer_id = customer.pk if customer is not None else None
    seen: dict[int, int] = {}
    allocations: list[tuple[int, int]] = []
    for r in rows:
        detail: dict[str, Any] = {"row": r.row, "number": r.number}
        field = f"rows[{r.row}]"
        if not r.number:
            raise RemittanceBadRow(_("Row %(row)s: no invoice number.") % {"row": r.row}, field=field, **detail)
        found = by_key.get(_key(r.number))
        if found is None or found.amount_open_minor <= 0:
            raise RemittanceUnknownInvoice(
                _("Row %(row)s: %(number)s is not an open invoice.") % {"row": r.row, "number": r.number},
                field=field, **detail)
        invoice = found
        if payer_id is None:
            payer_id = invoice.customer_id
        if invoice.customer_id != payer_id:
            raise RemittanceForeignInvoice(
                _("Row %(row)s: invoice %(number)s belongs to another customer.") % {"row": r.row,
                                                                                    "number": r.number},
                field=field, **detail)
        if invoice.currency != line.currency:
            raise RemittanceBadRow(
                _("Row %(row)s: invoice %(number)s is in %(currency)s, the bank line in %(line_currency)s.")
                % {"row": r.row, "number": r.number, "currency": invoice.currency, "line_currency": line.currency},
                field=field, **detail)
        if invoice.pk in seen:
            raise RemittanceBadRow(_("Row %(row)s: invoice %(number)s is listed twice (first in row %(first)s).")
                                   % {"row": r.row, "number": r.number, "first": seen[invoice.pk]},
                                   field=field, **detail)
        seen[invoice.pk] = r.row
        amount = invoice.amount_open_minor
        if r.amount:
            try:
                amount = parse_amount(r.amount.replace("¥", "").replace("￥", ""), line.currency)
            except (MoneyError, InvalidOperation):
                raise RemittanceBadRow(_("Row %(row)s: %(amount)s is not an amount like 1,234.56.")
                                       % {"row": r.row, "amount": r.amount}, field=field, **detail) from None
            if amount <= 0:
                raise RemittanceBadRow(_("Row %(row)s: the amount must be more than zero.") % {"row": r.row},
                                       field=field, **detail)
            if amount > invoice.amount_open_minor:
                raise RemittanceBadRow(
                    _("Row %(row)s: %(amount)s is more than the %(open)s open on invoice %(number)s.")
                    % {"row": r.row, "amount": r.amount, "number": invoice.number,
                       "open": to_decimal(invoice.amount_open_minor, invoice.currency)}, field=field, **detail)
        allocations.append((invoice.pk, amount))
    total = sum(amount for _id, amount in allocations)
    if total > line.amount_minor:
        raise SharesDoNotFit(_("The advice pays %(total)s, more than the %(amount)s the bank line brought.")
                             % {"total": to_decimal(total, line.currency),
                                "amount": to_decimal(line.amount_minor, line.currency)}, field="file")
    assert payer_id is not None
    return payer_id, tuple(allocations)


def remittance_apply(*, actor: Actor, line: StatementLine, file: BinaryIO, customer: Customer | None = None,
                     note: str = "") -> list[Payment]:
    """Apply ``line`` as the customer's remittance advice ``file`` lists it; refuses a bad file or row whole."""
    if hasattr(file, "size"):
        upload_check(file)
    data = file.read()
    rows = read_advice(data)
    customer_id, allocations = resolve_advice(line=line, customer=customer, rows=rows)
    share = applying.Share(customer_id=customer_id, allocations=allocations)
    return applying.line_apply(actor=actor, line=line, shares=[share],
                               note=note or _("As the customer's remittance advice lists it"), learn=True)
