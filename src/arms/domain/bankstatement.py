"""A bank statement as ARMS reads it, whatever file it came from (CAMT.053, MT940, a Chinese bank's export).

Amounts are signed integer minor units seen from the company's account: money in (a customer's receipt, 贷方 in a
Chinese export, CRDT in CAMT, C in MT940) is positive, money out negative. A statement may lack balances (many
exports carry only a running balance per line); where it has both, ``balance_problems`` checks that the lines
explain the difference. ``line_keys`` gives each line the identity an import is idempotent on: the account, the
bank's reference, the booking date, the amount and a sequence that tells identical lines apart.

The parsers live in ``arms.bank.parsers``; this module is plain Python so the rules are tested without a database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date


class StatementFileError(ValueError):
    """A statement file that cannot be read as a whole: a stable ``code``, where (``line``, ``column``) and
    ``params``. The edge says it in the user's words; ``str()`` is English for logs and tests."""

    EMPTY = "empty"  # the file holds no statement lines at all
    FORMAT = "format"  # params: hint — not a format ARMS knows
    NOT_STATEMENT = "not_statement"  # params: kind — a known format, but not an account statement
    SYNTAX = "syntax"  # params: detail — the file is broken (XML, SWIFT tags, CSV quoting)
    ENCODING = "encoding"  # the bytes are neither UTF-8 nor GB18030
    HEADER = "header"  # params: missing — no header row with the columns a layout needs
    DATE = "date"  # params: text
    AMOUNT = "amount"  # params: text
    DIRECTION = "direction"  # params: text — neither credit nor debit
    CURRENCY = "currency"  # params: text
    MISSING = "missing"  # a required value is empty
    TOO_BIG = "too_big"  # params: limit

    _ENGLISH = {
        EMPTY: "the file holds no statement lines",
        FORMAT: "not a bank statement ARMS can read ({hint})",
        NOT_STATEMENT: "this is {kind}, not an account statement",
        SYNTAX: "the file is broken: {detail}",
        ENCODING: "the text is neither UTF-8 nor GB18030",
        HEADER: "no header row with the columns {missing}",
        DATE: "'{text}' is not a date",
        AMOUNT: "'{text}' is not an amount",
        DIRECTION: "'{text}' is neither credit nor debit",
        CURRENCY: "'{text}' is not a currency",
        MISSING: "a required value is empty",
        TOO_BIG: "the file is larger than {limit}",
    }

    def __init__(self, code: str, *, line: int | None = None, column: str = "", **params: object) -> None:
        self.code, self.line, self.column, self.params = code, line, column, params
        where = "".join([f"line {line}: " if line else "", f"{column}: " if column else ""])
        super().__init__(where + self._ENGLISH[code].format(**params))


@dataclass(frozen=True)
class StatementLine:
    """One booked movement on the account."""

    booking_date: date
    amount: int  # signed minor units: + money in, - money out
    currency: str
    value_date: date | None = None
    bank_reference: str = ""  # CAMT AcctSvcrRef (else NtryRef), MT940 bank reference, 流水号
    end_to_end_id: str = ""  # the payer's own reference where the bank passes it on (CAMT EndToEndId)
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_bank: str = ""
    remittance: str = ""  # 摘要/用途/附言, CAMT Ustrd + structured references, MT940 :86:
    transaction_code: str = ""  # the bank's own code (BkTxCd, MT940 id, 交易类型)
    reversal: bool = False
    balance_after: int | None = None  # the running balance some exports print per line
    source_line: int | None = None  # where the line is in the file (1-based), for messages

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


@dataclass(frozen=True)
class Statement:
    """One statement of one account: CAMT <Stmt>, an MT940 message, or a whole export file."""

    format: str  # camt.053, mt940, cn:<profile>
    account: str  # as the bank writes it (IBAN, account number; may be masked in personal exports)
    currency: str
    lines: tuple[StatementLine, ...]
    statement_id: str = ""
    opening_balance: int | None = None
    opening_date: date | None = None
    closing_balance: int | None = None
    closing_date: date | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def first_date(self) -> date | None:
        return min((ln.booking_date for ln in self.lines), default=None)

    @property
    def last_date(self) -> date | None:
        return max((ln.booking_date for ln in self.lines), default=None)


@dataclass(frozen=True)
class BalanceProblem:
    code: str  # "open_close": opening + lines != closing; "running": a line's balance does not follow
    expected: int
    found: int
    line: int | None = None  # the position in the statement (1-based) for "running"


def balance_problems(statement: Statement) -> list[BalanceProblem]:
    """What does not add up inside one statement: the opening balance plus the lines against the closing balance,
    and each running balance against the one before it plus the line's amount. Balances in another currency than
    the statement's (some test files mix them) are not compared."""
    problems: list[BalanceProblem] = []
    total = sum(ln.amount for ln in statement.lines)
    if statement.opening_balance is not None and statement.closing_balance is not None:
        expected = statement.opening_balance + total
        if expected != statement.closing_balance:
            problems.append(BalanceProblem("open_close", expected, statement.closing_balance))
    previous = statement.opening_balance
    for position, ln in enumerate(statement.lines, start=1):
        if ln.balance_after is None:
            previous = None
            continue
        if previous is not None and previous + ln.amount != ln.balance_after:
            problems.append(BalanceProblem("running", previous + ln.amount, ln.balance_after, position))
        previous = ln.balance_after
    return problems


def continuity_gap(previous_closing: int | None, opening: int | None) -> int | None:
    """The difference between a statement's opening balance and the closing balance the account had before it:
    None when either is unknown or they agree (a gap is reported, never hidden)."""
    if previous_closing is None or opening is None or previous_closing == opening:
        return None
    return opening - previous_closing


LineKey = tuple[str, str, date, int, int]


def line_keys(account: str, lines: tuple[StatementLine, ...] | list[StatementLine]) -> list[LineKey]:
    """The identity of each line for idempotent import: (account, bank reference, booking date, amount, sequence).
    The sequence numbers lines that are otherwise identical (two equal transfers on one day without a reference),
    in file order, so that an overlapping statement re-imported yields the same keys for the lines it repeats
    (statements cover whole days, so a repeated day repeats all of its lines in the bank's order)."""
    seen: Counter[tuple[str, str, date, int]] = Counter()
    keys: list[LineKey] = []
    for ln in lines:
        base = (account, ln.bank_reference, ln.booking_date, ln.amount)
        seen[base] += 1
        keys.append((*base, seen[base]))
    return keys
