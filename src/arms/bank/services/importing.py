"""Importing bank statement files (银行流水导入): bytes in, statements and their new lines written, or nothing.

``statement_import`` reads the file with ``arms.bank.parsers`` (CAMT.053, MT940, Chinese CSV/XLS/XLSX exports),
finds the company's bank account of each statement in it (by the account number or IBAN the file names, or the
account the user chose; a file for another account is refused), and writes, in one transaction:

- only the lines not imported before: a line's identity is ``arms.domain.bankstatement.line_keys`` (account,
  bank reference, booking date, amount, sequence). The keys already stored for the statement's date range are read
  in one query and the new lines written with ``bulk_create``, so an overlapping statement adds only its new lines
  and importing the same file twice writes once. A statement that brings nothing new is not stored again;
- one ``BankStatement`` per statement that brings new lines, with its balances and the gap: the opening balance
  minus the closing balance of the account's statement that ended before it, where they differ. A gap is stored
  and reported, never hidden (missing statements, or a statement of another account);
- one ``bank_statement_imported`` audit event per stored statement.

A file that cannot be read, a line dated outside the dates ARMS accepts, a statement of an unknown account or of
another currency than its account's: the whole file is refused with the file, line and field, and nothing is
written. After the transaction commits, the new lines go to cash application (``matching.match_lines``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.bank.models import BankAccount, BankStatement, StatementLine
from arms.bank.parsers import BY_KEY, ColumnProfile, detect_format, parse_statement_file
from arms.bank.services import matching
from arms.common.actors import user_or_none
from arms.common.bounds import DATE_MAX, DATE_MIN, MAX_MINOR, date_in_range
from arms.common.errors import ErrorCode, ValidationFailed
from arms.common.locks import lock_one
from arms.common.uploads import xlsx_check
from arms.domain.bankstatement import Statement, StatementFileError, balance_problems, continuity_gap, line_keys
from arms.domain.bankstatement import StatementLine as ParsedLine
from arms.domain.money import format_money

if TYPE_CHECKING:
    from arms.common.typing import Actor


#: the profile value that means "the account's own column layout" (``BankAccount.column_profile``)
OWN_PROFILE = "own"
#: lines written per INSERT
BATCH = 2_000

Progress = Callable[[str, int, int | None], None]


class StatementRefused(ValidationFailed):
    """The file as a whole is refused: ``details`` carry ``file``, ``line``, ``column`` and ``reason``."""

    code = ErrorCode.STATEMENT_UNREADABLE


class StatementAccountUnknown(ValidationFailed):
    code = ErrorCode.STATEMENT_ACCOUNT_UNKNOWN


class StatementAccountMismatch(ValidationFailed):
    code = ErrorCode.STATEMENT_ACCOUNT_MISMATCH


@dataclass(frozen=True)
class StatementResult:
    """What one statement of the file did."""

    account_id: int
    account_number: str
    statement_id: int | None  # the stored BankStatement; None when it brought nothing new
    format: str
    first_date: date | None
    last_date: date | None
    lines_in_file: int
    lines_new: int
    lines_seen: int
    opening_balance: int | None
    closing_balance: int | None
    gap: int | None  # opening minus the previous closing, where they differ
    problems: tuple[str, ...] = ()  # what does not add up inside the statement (reported, not refused)


@dataclass
class ImportResult:
    filename: str
    sha256: str
    new_line_ids: list[int]
    lines_seen: int
    statements: list[StatementResult]
    matched: Any = None  # the MatchRun of cash application on the new lines, when it ran

    @property
    def gap(self) -> int | None:
        """The first gap any statement of the file has (each statement reports its own)."""
        return next((s.gap for s in self.statements if s.gap is not None), None)

    @property
    def lines_new(self) -> int:
        return len(self.new_line_ids)


# ---------------------------------------------------------------------------------------------- messages


def statement_error_message(exc: StatementFileError, *, filename: str) -> str:
    """A parser's refusal in the user's words, naming the file, the line and the column."""
    p = {k: str(v) for k, v in exc.params.items()}
    reasons = {
        StatementFileError.EMPTY: _("the file holds no statement lines"),
        StatementFileError.FORMAT: _("this is not a bank statement ARMS can read (%(hint)s)"),
        StatementFileError.NOT_STATEMENT: _("this is %(kind)s, not an account statement"),
        StatementFileError.SYNTAX: _("the file is broken: %(detail)s"),
        StatementFileError.ENCODING: _("the text is neither UTF-8 nor GB18030 (GBK)"),
        StatementFileError.HEADER: _("no header row with the columns %(missing)s; choose the bank's layout or "
                                     "map the columns of this layout"),
        StatementFileError.DATE: _("'%(text)s' is not a date"),
        StatementFileError.AMOUNT: _("'%(text)s' is not an amount"),
        StatementFileError.DIRECTION: _("'%(text)s' is neither credit (贷) nor debit (借)"),
        StatementFileError.CURRENCY: _("'%(text)s' is not a currency"),
        StatementFileError.MISSING: _("a required value is empty"),
        StatementFileError.TOO_BIG: _("the file is larger than %(limit)s"),
    }
    try:
        reason = reasons[exc.code] % p
    except (KeyError, ValueError):
        reason = str(exc)
    if exc.line and exc.column:
        where = _("%(file)s, line %(line)s, column %(column)s") % {"file": filename, "line": exc.line,
                                                                  "column": exc.column}
    elif exc.line:
        where = _("%(file)s, line %(line)s") % {"file": filename, "line": exc.line}
    else:
        where = filename
    return _("The statement file is refused, nothing was imported: %(where)s: %(reason)s.") % {
        "where": where, "reason": reason}


def _refused(exc: StatementFileError, filename: str) -> StatementRefused:
    return StatementRefused(statement_error_message(exc, filename=filename), field="file", file=filename,
                            line=exc.line, column=exc.column, reason=exc.code)


# ---------------------------------------------------------------------------------------------- accounts

_NOT_IN_NUMBER = re.compile(r"[\s\u3000-]+")
_MASK = re.compile(r"[*]")


def account_number_normalise(text: str) -> str:
    """An account number or IBAN as ARMS compares it: no spaces or dashes, upper case."""
    return _NOT_IN_NUMBER.sub("", str(text or "")).upper()


def account_matches(in_file: str, number: str) -> bool:
    """Whether the account a file names is ``number``. Personal exports mask digits (1234****5678, also with x);
    MT940 writes bank code / account (50880050/0194786200888) and may add the currency (… EUR)."""
    written, number = account_number_normalise(in_file), account_number_normalise(number)
    if not written or not number:
        return False
    candidates = {written, *written.split("/")}
    for candidate in list(candidates):
        if len(candidate) > 3 and candidate[-3:].isalpha() and not candidate.isalpha():
            candidates.add(candidate[:-3])  # "NL10BUNQ2290325473 EUR": the number, then its currency
    if number in candidates:
        return True
    if "*" in written:
        for candidate in candidates:
            if "*" not in candidate:
                continue
            pattern = "".join("." if ch in "*X" else re.escape(ch) for ch in candidate)
            if re.fullmatch(pattern, number) and sum(ch not in "*X" for ch in candidate) >= 4:
                return True
            parts = [p for p in _MASK.split(candidate) if p]
            if len(parts) == 2 and len(parts[0]) + len(parts[1]) >= 6 and \
                    number.startswith(parts[0]) and number.endswith(parts[1]):
                return True  # the bank masked a different number of digits than stars it wrote
    return False


def _account_for(statement: Statement, *, chosen: BankAccount | None, accounts: list[BankAccount],
                 filename: str) -> BankAccount:
    written = statement.account if re.search(r"\d", statement.account or "") else ""  # xxxx****xxxx says nothing
    if chosen is not None:
        if written and not account_matches(written, chosen.account_number):
            raise StatementAccountMismatch(
                _("%(file)s is a statement of the account %(written)s, not of %(account)s (%(number)s); nothing "
                  "was imported.") % {"file": filename, "written": written, "account": chosen.name,
                                      "number": chosen.account_number},
                field="account", file=filename, account_in_file=written)
        return chosen
    if not written:
        raise StatementAccountUnknown(
            _("%(file)s does not say which account it is for: choose the bank account.") % {"file": filename},
            field="account", file=filename)
    found = [a for a in accounts if account_matches(written, a.account_number)]
    if len(found) == 1:
        return found[0]
    if found:
        raise StatementAccountUnknown(
            _("%(file)s names the account %(written)s, which fits several bank accounts: choose the bank account.")
            % {"file": filename, "written": written}, field="account", file=filename, account_in_file=written)
    raise StatementAccountUnknown(
        _("%(file)s is a statement of the account %(written)s, which is not one of the company's bank accounts: "
          "add it first, or choose the bank account.") % {"file": filename, "written": written},
        field="account", file=filename, account_in_file=written)


# ---------------------------------------------------------------------------------------------- profiles


def column_profile_from_mapping(mapping: dict[str, Any], *, key: str = OWN_PROFILE, name: str = "") -> ColumnProfile:
    """A user's saved column mapping (``BankAccount.column_profile``: field -> list of header texts) as the
    parser's ``ColumnProfile``."""
    fields = {f.name for f in dataclasses.fields(ColumnProfile)} - {"key", "name", "signature", "name_then_account",
                                                                     "credit_marks", "debit_marks"}
    values: dict[str, Any] = {
        name_: tuple(str(v) for v in mapping.get(name_) or ()) for name_ in fields if mapping.get(name_)}
    return ColumnProfile(key=key, name=name or str(mapping.get("name") or _("Own layout")), signature=(),
                         name_then_account=bool(mapping.get("name_then_account")), **values)


def profile_resolve(profile: str | None, account: BankAccount | None) -> ColumnProfile | None:
    """The layout to read a CSV/Excel export with: the one asked for (a built-in key, ``own`` for the account's
    own mapping), else the account's own mapping or its chosen built-in layout, else None (recognised from the
    header)."""
    key = (profile or "").strip()
    if key in ("", "auto"):
        if account is not None and account.column_profile:
            return column_profile_from_mapping(account.column_profile)
        key = account.profile_key if account is not None else ""
        return BY_KEY.get(key) if key else None
    if key == OWN_PROFILE:
        if account is None or not account.column_profile:
            raise ValidationFailed(_("The account has no own column layout yet: map the columns first."),
                                   field="profile")
        return column_profile_from_mapping(account.column_profile)
    if key not in BY_KEY:
        raise ValidationFailed(_("Unknown export layout %(key)s.") % {"key": key[:40]}, field="profile")
    return BY_KEY[key]


# ---------------------------------------------------------------------------------------------- the import

_LIMITS: dict[str, int] = {
    name: int(StatementLine._meta.get_field(name).max_length or 0)  # type: ignore[union-attr]
    for name in ("bank_reference", "end_to_end_id", "counterparty_name", "counterparty_account", "counterparty_bank",
                 "remittance", "transaction_code")}


def _fitted(line: ParsedLine) -> ParsedLine:
    """The line with its texts cut to the columns' lengths (before its key is made, so the key is what is
    stored)."""
    long = {name: getattr(line, name)[:limit] for name, limit in _LIMITS.items()
            if len(getattr(line, name)) > limit}
    return dataclasses.replace(line, **long) if long else line


def _check_line(line: ParsedLine, position: int, currency: str, filename: str) -> None:
    where = line.source_line or position
    for value, column in ((line.booking_date, "booking_date"), (line.value_date, "value_date")):
        if value is not None and not date_in_range(value):
            raise StatementRefused(
                _("The statement file is refused, nothing was imported: %(file)s, line %(line)s: %(value)s is "
                  "outside the dates ARMS accepts (%(min)s to %(max)s).") % {
                    "file": filename, "line": where, "value": value.isoformat(), "min": DATE_MIN.isoformat(),
                    "max": DATE_MAX.isoformat()},
                field="file", file=filename, line=where, column=column, reason="date")
    if abs(line.amount) > MAX_MINOR or (line.balance_after is not None and abs(line.balance_after) > MAX_MINOR):
        raise StatementRefused(
            _("The statement file is refused, nothing was imported: %(file)s, line %(line)s: the amount is larger "
              "than any amount ARMS accepts.") % {"file": filename, "line": where},
            field="file", file=filename, line=where, column="amount", reason="amount")
    if line.currency and line.currency != currency:
        raise StatementRefused(
            _("The statement file is refused, nothing was imported: %(file)s, line %(line)s: the line is in "
              "%(found)s, the account in %(currency)s.") % {"file": filename, "line": where,
                                                             "found": line.currency, "currency": currency},
            field="file", file=filename, line=where, column="currency", reason="currency",
            code=ErrorCode.CURRENCY_MISMATCH)


def _balances(statement: Statement) -> tuple[int | None, int | None]:
    """Opening and closing balance: as the bank states them, else from the running balances of the first and
    last line (many exports print only those)."""
    opening, closing = statement.opening_balance, statement.closing_balance
    lines = statement.lines
    if opening is None and lines and lines[0].balance_after is not None:
        opening = lines[0].balance_after - lines[0].amount
    if closing is None and lines and lines[-1].balance_after is not None:
        closing = lines[-1].balance_after
    return opening, closing


def _previous_closing(account: BankAccount, first: date | None) -> int | None:
    """The closing balance of the account's last statement that ended before ``first`` (None: none known)."""
    if first is None:
        return None
    previous = (BankStatement.objects.filter(account=account, last_date__lt=first)
                .order_by("-last_date", "-id").values_list("closing_balance_minor", flat=True).first())
    return previous


def _next_gap_refresh(account: BankAccount, stored: BankStatement) -> dict[str, Any] | None:
    """A statement imported late (it fills the hole before one imported earlier) changes the gap of the account's
    next statement: computed again against the statement that now ends just before it. Returns the change."""
    if stored.last_date is None:
        return None
    following = (BankStatement.objects.filter(account=account, first_date__gt=stored.last_date)
                 .order_by("first_date", "id").first())
    if following is None:
        return None
    gap = continuity_gap(_previous_closing(account, following.first_date), following.opening_balance_minor)
    if gap == following.gap_minor:
        return None
    change = {"statement": following.pk, "before": following.gap_minor, "after": gap}
    following.gap_minor = gap
    following.save(update_fields=["gap_minor"])
    return change


def _problem_texts(statement: Statement) -> tuple[str, ...]:
    currency = statement.currency or "CNY"
    texts = []
    for problem in balance_problems(statement):
        values = {"expected": format_money(problem.expected, currency), "found": format_money(problem.found, currency),
                  "line": problem.line}
        if problem.code == "open_close":
            texts.append(_("the opening balance plus the lines is %(expected)s, the closing balance %(found)s")
                         % values)
        else:
            texts.append(_("line %(line)s: the running balance should be %(expected)s, it is %(found)s") % values)
    return tuple(texts)


def _tick(progress: Progress | None, stage: str, done: int, total: int | None) -> None:
    if progress is not None:
        progress(stage, done, total)


def statement_import(*, actor: Actor, data: bytes, filename: str, account: BankAccount | None = None,
                     profile: str | None = None, match: bool = True,
                     progress: Progress | None = None) -> ImportResult:
    """Import the statement file ``data`` (see the module docstring). ``account``: the account the file is for
    (else found from the number in the file); ``profile``: the layout of a CSV/Excel export (a built-in key,
    ``own``, or None to use the account's and else recognise it). ``match``: hand the new lines to cash
    application once they are stored. ``progress(stage, done, total)`` is told how far it got."""
    filename = (filename or "statement").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if account is not None and not account.active:
        raise ValidationFailed(_("The bank account %(account)s is closed: statements are no longer imported into "
                                 "it.") % {"account": account.name}, field="account")
    column_profile = profile_resolve(profile, account)
    if detect_format(data) == "xlsx":  # before openpyxl unpacks it: a zip bomb is refused by its directory
        xlsx_check(io.BytesIO(data))
    _tick(progress, "read", 0, None)
    try:
        statements = parse_statement_file(
            data, profile=column_profile, account="",
            default_currency=account.currency if account is not None else "CNY")
    except StatementFileError as exc:
        raise _refused(exc, filename) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    total = sum(len(s.lines) for s in statements)
    _tick(progress, "write", 0, total)
    result = _write(actor=actor, statements=statements, chosen=account, filename=filename, sha256=sha256,
                    total=total, progress=progress)
    _tick(progress, "write", total, total)
    if match and result.new_line_ids:
        result.matched = _match(actor=actor, line_ids=result.new_line_ids, progress=progress)
    return result


def _match(*, actor: Actor, line_ids: list[int], progress: Progress | None) -> Any:
    """Cash application on the new lines (``arms.bank.services.matching``), after the import committed: the
    import stands whatever matching makes of it, and ``arms cash apply`` can run it again."""

    _tick(progress, "match", 0, len(line_ids))
    run = matching.match_lines(actor=actor, line_ids=line_ids)
    _tick(progress, "match", len(line_ids), len(line_ids))
    return run


@transaction.atomic(durable=True)
def _write(*, actor: Actor, statements: list[Statement], chosen: BankAccount | None, filename: str, sha256: str,
           total: int, progress: Progress | None) -> ImportResult:
    accounts = [] if chosen is not None else list(
        BankAccount.objects.filter(active=True).order_by("pk"))
    user = user_or_none(actor)
    # which account each statement is for, and every line checked, before anything is written
    plan: list[tuple[Statement, BankAccount]] = []
    for statement in statements:
        if not statement.lines:
            continue  # a statement of balances only (an empty day): nothing to import
        target = _account_for(statement, chosen=chosen, accounts=accounts, filename=filename)
        if statement.currency and statement.currency != target.currency:
            raise StatementRefused(
                _("%(file)s is a statement in %(found)s, the account %(account)s is in %(currency)s; nothing was "
                  "imported.") % {"file": filename, "found": statement.currency, "account": target.name,
                                  "currency": target.currency},
                field="account", file=filename, code=ErrorCode.CURRENCY_MISMATCH)
        lines = tuple(_fitted(ln) for ln in statement.lines if ln.amount != 0)
        for position, ln in enumerate(lines, start=1):
            _check_line(ln, position, target.currency, filename)
        plan.append((dataclasses.replace(statement, lines=lines), target))

    # two imports of one account at once queue here: the second reads the keys the first wrote
    for pk in sorted({target.pk for _statement, target in plan}):
        lock_one(BankAccount.objects.all(), pk=pk)
    new_ids: list[int] = []
    seen_total = done = 0
    results: list[StatementResult] = []
    stored_keys: dict[int, set[tuple[Any, ...]]] = {}  # per account: keys written by earlier statements of this file
    for statement, target in plan:
        keys = line_keys(str(target.pk), statement.lines)
        first, last = statement.first_date, statement.last_date
        existing = stored_keys.setdefault(target.pk, set())
        if first is not None and last is not None:
            existing |= {(str(target.pk), *row) for row in StatementLine.objects.filter(
                account=target, booking_date__range=(first, last)).values_list(
                "bank_reference", "booking_date", "amount_minor", "sequence")}
        fresh = [(key, ln) for key, ln in zip(keys, statement.lines, strict=True) if key not in existing]
        seen = len(keys) - len(fresh)
        seen_total += seen
        opening, closing = _balances(statement)
        if not fresh:
            results.append(StatementResult(
                target.pk, target.account_number, None, statement.format, first, last, len(keys), 0, seen,
                opening, closing, None, _problem_texts(statement)))
            done += len(keys)
            continue
        gap = continuity_gap(_previous_closing(target, first), opening)
        stored = BankStatement.objects.create(
            account=target, format=statement.format[:40], statement_id=statement.statement_id[:100],
            filename=filename, sha256=sha256, first_date=first, last_date=last,
            opening_balance_minor=opening, closing_balance_minor=closing, gap_minor=gap,
            lines_in_file=len(keys), lines_new=len(fresh), lines_seen=seen, imported_by=user)
        rows = [StatementLine(
            account=target, statement=stored, booking_date=ln.booking_date, value_date=ln.value_date,
            amount_minor=ln.amount, currency=ln.currency or target.currency, bank_reference=ln.bank_reference,
            sequence=key[4], end_to_end_id=ln.end_to_end_id, counterparty_name=ln.counterparty_name,
            counterparty_account=ln.counterparty_account, counterparty_bank=ln.counterparty_bank,
            remittance=ln.remittance, transaction_code=ln.transaction_code, reversal=ln.reversal,
            balance_after_minor=ln.balance_after, source_line=ln.source_line) for key, ln in fresh]
        for start in range(0, len(rows), BATCH):
            StatementLine.objects.bulk_create(rows[start:start + BATCH], batch_size=BATCH)
            done += min(BATCH, len(rows) - start)
            _tick(progress, "write", done, total)
        done += seen
        existing |= {key for key, _ln in fresh}
        ids = _ids_of(stored, rows)
        new_ids.extend(ids)
        problems = _problem_texts(statement)
        later = _next_gap_refresh(target, stored)
        audit_record(actor=actor, action=AuditAction.BANK_STATEMENT_IMPORTED, subject=stored, after={
            "account": target.account_number, "format": stored.format, "file": filename, "sha256": sha256,
            "statement_id": stored.statement_id, "from": first, "to": last, "lines_in_file": len(keys),
            "lines_new": len(fresh), "lines_seen": seen, "opening_balance": opening, "closing_balance": closing,
            "gap": gap, "balance_problems": len(problems), "next_statement_gap": later})
        results.append(StatementResult(
            target.pk, target.account_number, stored.pk, stored.format, first, last, len(keys), len(fresh), seen,
            opening, closing, gap, problems))
    return ImportResult(filename=filename, sha256=sha256, new_line_ids=new_ids, lines_seen=seen_total,
                        statements=results)


def _ids_of(stored: BankStatement, rows: list[StatementLine]) -> list[int]:
    """The ids of the lines just written: bulk_create sets them on PostgreSQL and on SQLite ≥ 3.35; else they are
    the statement's lines (all of them are new: the statement row was made for them)."""
    if all(row.pk for row in rows):
        return [row.pk for row in rows]
    return list(StatementLine.objects.filter(statement=stored).order_by("pk").values_list("pk", flat=True))

