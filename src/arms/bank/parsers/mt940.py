"""SWIFT MT940 customer statements, read with the ``mt-940`` library.

A file may hold several messages (one per ``:20:``, some wrapped in SWIFT ``{1:}{2:}{4:`` blocks); each becomes one
``Statement`` with its own opening (``:60F:``/``:60M:``) and closing (``:62F:``/``:62M:``) balance. The ``:86:``
text is kept whole as the remittance; where a bank structures it (``/NAME/``, ``/IBAN/``, ``/REMI/``, ``/EREF/`` as
ING and Rabobank do, or the German ``?20``…``?32`` subfields) the payer's name and account are taken from it.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from decimal import Decimal

import mt940

from arms.domain.bankstatement import Statement, StatementFileError, StatementLine
from arms.domain.money import MoneyError, check_currency, parse_amount

# the library logs every tag it cannot read at ERROR, with its regular expression, before raising; the refusal
# ARMS raises says it in words (``_broken_tag``), so that log is noise on the command line and in the server log
logging.getLogger("mt940").setLevel(logging.CRITICAL)

_MESSAGE_START = re.compile(r"^:20:", re.MULTILINE)
_BLOCK_NOISE = re.compile(r"^(?:\{[1-5]:[^\n]*|-\}|-)\s*$", re.MULTILINE)
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_STATEMENT_NUMBER_WITHOUT_NUMBER = re.compile(r"^(:28C?:) */", re.MULTILINE)  # Zenith Bank writes ":28C: /1"
_SLASH_FIELDS = re.compile(r"/(NAME|IBAN|REMI|EREF|BENM|ORDP|CNTP|ADDR|BIC|ACCW)/", re.IGNORECASE)


class _StatementLineTag(mt940.tags.Statement):
    """``:61:`` as banks write it: ASN and others put the payer's IBAN (18+ characters) where SWIFT allows a
    16-character reference, with the payer's name on the next line."""

    pattern = mt940.tags.Statement.pattern.replace(
        "(?P<customer_reference>((?!//)[^\\n]){0,16})", "(?P<customer_reference>((?!//)[^\\n]){0,34})"
    )

    def __new__(cls, *args: object, **kwargs: object) -> _StatementLineTag:
        tag = super().__new__(cls, *args, **kwargs)
        # the library derives a tag's slug from its class name each time (here "statement_line_tag") and finds its
        # processors by slug: this one keeps the slug of the tag it stands in for
        cls.slug = "statement"
        return tag


_NO_CODE = "\x00"


def _always_a_code(transactions, tag, tag_dict, result):
    """The library opens a new transaction at ``:61:`` only if the last one has a transaction type code; Zenith
    Bank writes none, so every line would fold into one. A placeholder code keeps them apart (dropped in _line)."""
    result["id"] = result.get("id") or _NO_CODE
    return result


def decode(data: bytes) -> str:
    """SWIFT files are ASCII in principle; in practice UTF-8, GB18030 (Chinese banks) or a Western code page."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def looks_like_mt940(text: str) -> bool:
    return bool(re.search(r"^:(?:20|25):", text, re.MULTILINE) and re.search(r"^:6[01][FM]?:", text, re.MULTILINE))


def _minor(amount, currency: str, line: int | None) -> int:
    value = amount.amount if hasattr(amount, "amount") else amount
    try:
        return parse_amount(Decimal(value), currency)
    except (MoneyError, ArithmeticError):
        raise StatementFileError(StatementFileError.AMOUNT, line=line, column=":61:", text=str(value)) from None


def _structured(details: str) -> dict[str, str]:
    """The ``/CODE/value`` pairs some banks write into :86: (ING, Rabobank, ABN AMRO SEPA)."""
    parts = _SLASH_FIELDS.split(details.replace("\n", ""))
    if len(parts) < 3:
        return {}
    fields: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=False):
        fields.setdefault(code.upper(), value.strip().strip("/"))
    if "CNTP" in fields and "NAME" not in fields:  # Rabobank: /CNTP/account/BIC/name/city/
        bits = fields["CNTP"].split("/")
        fields["IBAN"], fields["NAME"] = bits[0], bits[2] if len(bits) > 2 else ""
    return fields


def _line(transaction, currency: str, position: int) -> StatementLine:
    data = transaction.data
    line_currency = data.get("currency") or currency
    try:
        check_currency(line_currency)
    except MoneyError:
        raise StatementFileError(
            StatementFileError.CURRENCY, line=position, column=":61:", text=line_currency
        ) from None
    amount = _minor(data["amount"], line_currency, position)
    booked = data.get("entry_date") or data.get("guessed_entry_date") or data.get("date")
    value = data.get("date")
    if booked is None:
        raise StatementFileError(StatementFileError.MISSING, line=position, column=":61:")
    details = (data.get("transaction_details") or "").strip()
    fields = _structured(details)
    customer_reference = (data.get("customer_reference") or "").strip()
    own_reference = "" if customer_reference == "NONREF" or _IBAN.match(customer_reference) else customer_reference
    name = data.get("applicant_name") or fields.get("NAME") or fields.get("ORDP") or fields.get("BENM") or ""
    account = data.get("applicant_iban") or fields.get("IBAN") or ""
    if _IBAN.match(customer_reference) and not account:  # ASN: the payer's IBAN in :61:, the name after it
        account, name = customer_reference, name or (data.get("extra_details") or "")
    remittance = fields.get("REMI") or data.get("purpose") or ""
    remittance = " ".join(p for p in (remittance, details.replace("\n", " ")) if p)
    return StatementLine(
        booking_date=date(booked.year, booked.month, booked.day),
        value_date=date(value.year, value.month, value.day) if value else None,
        amount=amount,
        currency=line_currency,
        bank_reference=(data.get("bank_reference") or "").strip(),
        end_to_end_id=fields.get("EREF", "") if fields.get("EREF", "") != "NOTPROVIDED" else own_reference,
        counterparty_name=name.strip(),
        counterparty_account=account.strip(),
        counterparty_bank=(data.get("applicant_bin") or fields.get("BIC") or "").strip(),
        remittance=remittance,
        transaction_code=(data.get("id") or "").replace(_NO_CODE, ""),
        reversal=str(data.get("status", "")).startswith("R"),
        source_line=position,
    )


def _balance(value, currency: str) -> tuple[int | None, date | None]:
    if value is None:
        return None, None
    amount = value.amount
    if amount.currency and amount.currency != currency:
        return None, None
    when = value.date
    return _minor(amount, currency, None), date(when.year, when.month, when.day) if when else None


def _message(text: str) -> Statement | None:
    line_tag = _StatementLineTag()
    transactions = mt940.models.Transactions(tags={line_tag.id: line_tag})
    # the library's own processors (date fix-ups, :86: subfields, statement data copied into each line), plus ours
    transactions.processors = {key: list(value) for key, value in transactions.processors.items()}
    transactions.processors["post_statement"].append(_always_a_code)
    try:
        transactions.parse(text)
    except Exception as exc:  # the library raises bare RuntimeError/ValueError/KeyError on broken tags
        raise StatementFileError(StatementFileError.SYNTAX, detail=_broken_tag(exc)) from None
    data = transactions.data
    opening = data.get("final_opening_balance") or data.get("intermediate_opening_balance")
    closing = data.get("final_closing_balance") or data.get("intermediate_closing_balance")
    currency = ""
    for candidate in (opening, closing):
        if candidate is not None and candidate.amount.currency:
            currency = candidate.amount.currency
            break
    if not currency and transactions.transactions:
        currency = transactions.transactions[0].data.get("currency") or ""
    if opening is None and closing is None and not transactions.transactions:
        return None
    lines = tuple(_line(t, currency, i) for i, t in enumerate(transactions.transactions, start=1))
    opening_balance, opening_date = _balance(opening, currency)
    closing_balance, closing_date = _balance(closing, currency)
    statement_id = "/".join(
        str(v) for v in (data.get("statement_number"), data.get("sequence_number")) if v not in (None, "")
    )
    return Statement(
        format="mt940",
        account=str(data.get("account_identification") or ""),
        currency=currency,
        lines=lines,
        statement_id=statement_id or str(data.get("transaction_reference") or ""),
        opening_balance=opening_balance,
        opening_date=opening_date,
        closing_balance=closing_balance,
        closing_date=closing_date,
    )


def parse_mt940(data: bytes) -> list[Statement]:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if not looks_like_mt940(text):
        raise StatementFileError(StatementFileError.FORMAT, hint="no :20:/:25: and :60: tags")
    if re.search(r"^:13D?:", text, re.MULTILINE) and not re.search(r"^:6[02][FM]:", text, re.MULTILINE):
        raise StatementFileError(StatementFileError.NOT_STATEMENT, kind="MT942")
    text = _STATEMENT_NUMBER_WITHOUT_NUMBER.sub(r"\g<1>0/", _BLOCK_NOISE.sub("", text))
    starts = [m.start() for m in _MESSAGE_START.finditer(text)] or [0]
    chunks = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    statements = [s for s in (_message(chunk) for chunk in chunks if chunk.strip()) if s is not None]
    if not any(s.lines for s in statements) and not statements:
        raise StatementFileError(StatementFileError.EMPTY)
    return statements


def _broken_tag(exc: Exception) -> str:
    """The library's error as a reader can act on it: which tag, and the text it could not read (its own message
    names a Python object: "Unable to parse <mt940.tags.StatementNumber object at 0x7f…> from '0000…'")."""
    tag = next((arg for arg in exc.args if hasattr(arg, "id") and hasattr(arg, "slug")), None)
    if tag is not None:
        text = next((arg for arg in exc.args[1:] if isinstance(arg, str)), "")
        shown = " ".join(text.split())[:60]
        return f":{tag.id}: ({tag.slug}) cannot be read" + (f": '{shown}'" if shown else "")
    return str(exc)[:200] or type(exc).__name__
