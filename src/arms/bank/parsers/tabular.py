"""Chinese bank exports in CSV, legacy XLS (BIFF) or XLSX, read through a ``ColumnProfile``.

The header row is searched for in the first ``HEADER_SEARCH_ROWS`` rows (banks put a title, the account, the period
before it); the rows above it are searched for the account number. Every data row must give a date and an amount;
empty rows and the totals some banks append (合计, 总计 …) are skipped; anything else that does not read is refused
with its line and column, and the whole file with it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from arms.domain.bankstatement import Statement, StatementFileError, StatementLine
from arms.domain.money import MoneyError, exponent, parse_amount

from .profiles import BUILT_IN, GENERIC, ColumnProfile, normalise_header

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 200_000

_CELL_SPACE = re.compile(r"^[\s\u3000]+|[\s\u3000]+$")
_PLACEHOLDER = re.compile(r"^[-—_*/\s]*$")  # "-", "--", "----------", "/": the bank's way of writing nothing
_MASKED = re.compile(r"^[xyz,.\s]+$", re.IGNORECASE)  # "xx,yyyy.zz": an amount masked in a sample
_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:\b|[\sT]|$)")
_TOTAL = ("合计", "总计", "小计", "本页", "共计", "汇总", "总笔数", "交易笔数")
_ACCOUNT_LABEL = re.compile(r"^(?:卡号|账号|帐号|账户|帐户|账户号码|银行账号)[:：]?\s*(.*)$")
_ACCOUNT_VALUE = re.compile(r"[0-9*Xx]{6,}")
_NAME_THEN_ACCOUNT = re.compile(r"^(.*?)[\s]*([0-9*]{6,})$")
_CURRENCIES = {
    "人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "本币": "CNY",
    "美元": "USD", "USD": "USD", "港币": "HKD", "港元": "HKD", "HKD": "HKD",
    "欧元": "EUR", "EUR": "EUR", "日元": "JPY", "JPY": "JPY", "英镑": "GBP", "GBP": "GBP",
}  # fmt: skip


def clean(value) -> str:
    if value is None:
        return ""
    text = _CELL_SPACE.sub("", str(value)).replace("\t", "")
    return "" if _PLACEHOLDER.match(text) else text


# --- reading rows -------------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The file's text, UTF-8 or GB18030; bytes with a NUL in them are not text (a binary file, or UTF-16)."""
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise StatementFileError(StatementFileError.ENCODING)


def csv_rows(data: bytes) -> Iterator[list]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise StatementFileError(StatementFileError.SYNTAX, line=reader.line_num, detail=str(exc)) from None


def xls_rows(data: bytes) -> Iterator[list]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as exc:
        raise StatementFileError(StatementFileError.SYNTAX, detail=str(exc)) from None
    sheet = book.sheet_by_index(0)
    for r in range(sheet.nrows):
        row = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                row.append(_number_text(cell.value))
            else:
                row.append(cell.value)
        yield row


def xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors on a broken file
        raise StatementFileError(StatementFileError.SYNTAX, detail=type(exc).__name__) from None
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_number_text(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in row]
    finally:
        book.close()


def _number_text(value) -> str:
    """A spreadsheet number as the text it shows: spreadsheets store 16.78 as a binary double, and the shortest
    repr of that double is the decimal the bank wrote. Integers keep no decimal point."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


# --- the header ---------------------------------------------------------------------------------------------------


def _column(headers: dict[str, int], names: tuple[str, ...]) -> int | None:
    for name in names:
        index = headers.get(normalise_header(name))
        if index is not None:
            return index
    return None


def _fits(profile: ColumnProfile, headers: dict[str, int]) -> bool:
    if profile.signature:
        return all(normalise_header(h) in headers for h in profile.signature)
    has_date = _column(headers, profile.date) is not None
    has_split = _column(headers, profile.credit) is not None and _column(headers, profile.debit) is not None
    has_amount = _column(headers, profile.amount) is not None
    if profile is GENERIC:
        # an unsigned amount with nothing saying in or out would book every payment made as one received
        has_amount = has_amount and _column(headers, profile.direction) is not None
    return has_date and (has_split or has_amount)


def find_header(rows: list[list], profile: ColumnProfile | None) -> tuple[int, ColumnProfile, dict[str, int]]:
    candidates = [profile] if profile else [*BUILT_IN, GENERIC]
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = normalise_header(clean(cell))
            if name and name not in headers:
                headers[name] = position
        for candidate in candidates:
            if _fits(candidate, headers):
                return index, candidate, headers
    wanted = profile or GENERIC
    needed = wanted.signature or (
        wanted.date[0],
        f"{wanted.credit[0]}+{wanted.debit[0]}" if wanted.credit else wanted.amount[0],
        *((f"{wanted.amount[0]}+{wanted.direction[0]}",) if wanted.credit and wanted.direction else ()),
    )
    raise StatementFileError(StatementFileError.HEADER, missing="、".join(needed))


def _account_from_preamble(rows: list[list]) -> str:
    for row in rows:
        cells = [clean(c) for c in row]
        for position, cell in enumerate(cells):
            label = _ACCOUNT_LABEL.match(normalise_header(cell) if ":" not in cell else cell.replace(" ", ""))
            if not label:
                continue
            value = label.group(1) or next((c for c in cells[position + 1 :] if c), "")
            found = _ACCOUNT_VALUE.search(value.replace(" ", ""))
            if found:
                return found.group(0)
    return ""


# --- one line -----------------------------------------------------------------------------------------------------


def _date(value, line: int, column: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean(value)
    match = _DATE.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise StatementFileError(StatementFileError.DATE, line=line, column=column, text=text or "—")


def _minor(value, currency: str, line: int, column: str) -> int | None:
    text = clean(value).replace("¥", "").replace("￥", "").replace("元", "")
    if not text:
        return None
    try:
        return parse_amount(text, currency)
    except MoneyError:
        pass
    try:  # a spreadsheet double that carries float noise beyond the currency's decimals (0.30000000000000004)
        exact = Decimal(text)
        rounded = exact.quantize(Decimal(1).scaleb(-exponent(currency)))
        if abs(exact - rounded) < Decimal("1e-9"):
            return parse_amount(rounded, currency)
    except (InvalidOperation, MoneyError):
        pass
    raise StatementFileError(StatementFileError.AMOUNT, line=line, column=column, text=text)


def _currency(value, line: int, column: str) -> str:
    text = clean(value).upper() if clean(value).isascii() else clean(value)
    if not text:
        return ""
    if text in _CURRENCIES:
        return _CURRENCIES[text]
    raise StatementFileError(StatementFileError.CURRENCY, line=line, column=column, text=text)


def _direction(profile: ColumnProfile, value, line: int, column: str) -> int:
    text = clean(value).upper()
    first = text.split()[0] if text else ""
    for token in (text, first):
        if token in (m.upper() for m in profile.credit_marks):
            return 1
        if token in (m.upper() for m in profile.debit_marks):
            return -1
    if text.startswith("贷") or text.endswith("CR"):
        return 1
    if text.startswith("借") or text.endswith("DR"):
        return -1
    raise StatementFileError(StatementFileError.DIRECTION, line=line, column=column, text=text or "—")


def _is_total_or_blank(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return not filled or any(word in filled[0] for word in _TOTAL)


def parse_rows(
    rows_iter, *, profile: ColumnProfile | None = None, account: str = "", default_currency: str = "CNY"
) -> Statement:
    rows: list[list] = []
    for count, row in enumerate(rows_iter, start=1):
        if count > MAX_ROWS:
            raise StatementFileError(StatementFileError.TOO_BIG, limit=f"{MAX_ROWS} rows")
        rows.append(list(row))
    header_index, profile, headers = find_header(rows, profile)
    names = {position: name for name, position in headers.items()}

    def col(names_: tuple[str, ...]) -> int | None:
        return _column(headers, names_)

    date_col = col(profile.date)
    if date_col is None:  # a profile fitted by its signature alone, which did not name the date's column
        raise StatementFileError(StatementFileError.HEADER, missing="/".join(profile.date))
    credit_col, debit_col = col(profile.credit), col(profile.debit)
    amount_col, direction_col = col(profile.amount), col(profile.direction)
    if credit_col is None or debit_col is None:
        credit_col = debit_col = None
        if amount_col is None:
            raise StatementFileError(StatementFileError.HEADER, missing="/".join(profile.amount or profile.credit))
    balance_col, currency_col = col(profile.balance), col(profile.currency)
    name_col, account_col = col(profile.counterparty_name), col(profile.counterparty_account)
    bank_col, reference_col = col(profile.counterparty_bank), col(profile.reference)
    remittance_cols = [i for i in (col((h,)) for h in profile.remittance) if i is not None]

    lines: list[StatementLine] = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [clean(c) for c in row]

        def cell(index: int | None, row=row) -> object:
            return row[index] if index is not None and index < len(row) else None

        if _is_total_or_blank(cells):
            continue
        amount_cells = [clean(cell(i)) for i in (credit_col, debit_col, amount_col) if i is not None]
        if not any(amount_cells) and not _DATE.match(clean(cell(date_col))):
            continue  # a note under the table ("以上数据仅供参考"), not a movement
        when = _date(cell(date_col), offset, names[date_col])
        currency = _currency(cell(currency_col), offset, names[currency_col]) if currency_col is not None else ""
        currency = currency or default_currency
        if credit_col is not None and debit_col is not None:
            money_in = _minor(cell(credit_col), currency, offset, names[credit_col]) or 0
            money_out = _minor(cell(debit_col), currency, offset, names[debit_col]) or 0
            amount = abs(money_in) - abs(money_out)
        elif amount_col is not None:
            value = _minor(cell(amount_col), currency, offset, names[amount_col])
            if value is None:
                raise StatementFileError(StatementFileError.MISSING, line=offset, column=names[amount_col])
            amount = value
            if direction_col is not None:
                amount = abs(value) * _direction(profile, cell(direction_col), offset, names[direction_col])
        else:  # not reached: a header without either was refused above
            raise StatementFileError(StatementFileError.HEADER, missing="/".join(profile.amount or profile.credit))
        if amount == 0:
            continue  # no movement (a zero interest-tax line): nothing to apply, nothing to reconcile
        balance = None
        if balance_col is not None and not _MASKED.match(clean(cell(balance_col)) or "0"):
            balance = _minor(cell(balance_col), currency, offset, names[balance_col])
        name = clean(cell(name_col))
        counter_account = clean(cell(account_col))
        if profile.name_then_account and name and not counter_account:
            split = _NAME_THEN_ACCOUNT.match(name)
            if split:
                name, counter_account = split.group(1).strip(), split.group(2)
        remittance = " ".join(dict.fromkeys(t for t in (clean(cell(i)) for i in remittance_cols) if t))
        lines.append(
            StatementLine(
                booking_date=when,
                amount=amount,
                currency=currency,
                bank_reference=clean(cell(reference_col)),
                counterparty_name=name,
                counterparty_account=counter_account,
                counterparty_bank=clean(cell(bank_col)),
                remittance=remittance,
                balance_after=balance,
                source_line=offset,
            )
        )
    if not lines:
        raise StatementFileError(StatementFileError.EMPTY)
    currencies = {ln.currency for ln in lines}
    if len(currencies) > 1:
        raise StatementFileError(StatementFileError.CURRENCY, text="/".join(sorted(currencies)))
    # Exports list the newest first as often as the oldest first; the statement is kept in booking order, and a
    # running balance is only comparable in the bank's own order, so a reversed file is turned around whole.
    ordered = tuple(lines)
    if len(ordered) > 1 and ordered[0].booking_date > ordered[-1].booking_date:
        ordered = tuple(reversed(ordered))
    return Statement(
        format=f"cn:{profile.key}",
        account=account or _account_from_preamble(rows[:header_index]),
        currency=currencies.pop(),
        lines=ordered,
    )
