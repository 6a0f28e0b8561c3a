"""ISO 20022 CAMT.053 (bank-to-customer statement), versions 001.02 to 001.08, read with lxml.

Element paths are matched by local name, so one reader serves every version: v2 writes the debtor as
``RltdPties/Dbtr/Nm``, v8 as ``RltdPties/Dbtr/Pty/Nm``; both are found. The XML is parsed without entity
resolution or network access. One ``Statement`` per ``<Stmt>``; one line per ``<Ntry>`` (a batch entry with several
transaction details keeps the entry's amount, the first party and every detail's remittance text).
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from arms.domain.bankstatement import Statement, StatementFileError, StatementLine
from arms.domain.money import MoneyError, check_currency, parse_amount

# ISO 20022 balance type codes: opening booked / previously closed booked, closing booked.
_OPENING = ("OPBD", "PRCD")
_CLOSING = ("CLBD",)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el, *names):
    """The first descendant along the path of local names (each step a direct child), or None."""
    for name in names:
        if el is None:
            return None
        el = next((c for c in el if _local(c) == name), None)
    return el


def _children(el, name):
    return [c for c in el if _local(c) == name] if el is not None else []


def _text(el, *names) -> str:
    found = _child(el, *names)
    return (found.text or "").strip() if found is not None else ""


def _date(el, *names) -> date | None:
    """A CAMT date: ``<Dt>`` or ``<DtTm>`` under the element (the date part of a timestamp, as the bank wrote it)."""
    holder = _child(el, *names)
    if holder is None:
        return None
    raw = _text(holder, "Dt") or _text(holder, "DtTm")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise StatementFileError(
            StatementFileError.DATE, line=holder.sourceline, column=_local(holder), text=raw
        ) from None


def _amount(amt_el) -> tuple[int, str]:
    text = (amt_el.text or "").strip()
    currency = amt_el.get("Ccy", "")
    try:
        check_currency(currency)
    except MoneyError:
        raise StatementFileError(
            StatementFileError.CURRENCY, line=amt_el.sourceline, column="Amt", text=currency
        ) from None
    try:
        return parse_amount(text, currency), currency
    except MoneyError:
        raise StatementFileError(StatementFileError.AMOUNT, line=amt_el.sourceline, column="Amt", text=text) from None


def _signed(holder, amount: int) -> int:
    indicator = _text(holder, "CdtDbtInd")
    if indicator == "CRDT":
        return amount
    if indicator == "DBIT":
        return -amount
    raise StatementFileError(
        StatementFileError.DIRECTION, line=holder.sourceline, column="CdtDbtInd", text=indicator or "—"
    )


def _party(tx, role: str) -> tuple[str, str, str]:
    """(name, account, bank) of the debtor or creditor of a transaction, in either the v2 or the v8 shape."""
    parties = _child(tx, "RltdPties")
    party = _child(parties, role)
    name = _text(party, "Nm") or _text(party, "Pty", "Nm")
    account_el = _child(parties, role + "Acct", "Id")
    account = _text(account_el, "IBAN") or _text(account_el, "Othr", "Id")
    agent = _child(tx, "RltdAgts", role + "Agt", "FinInstnId")
    bank = _text(agent, "Nm") or _text(agent, "BICFI") or _text(agent, "BIC")
    if not name:
        ultimate = _child(parties, "Ultmt" + role)
        name = _text(ultimate, "Nm") or _text(ultimate, "Pty", "Nm")
    return name, account, bank


def _remittance(tx) -> list[str]:
    info = _child(tx, "RmtInf")
    parts = [(u.text or "").strip() for u in _children(info, "Ustrd")]
    for structured in _children(info, "Strd"):
        parts.append(_text(structured, "CdtrRefInf", "Ref"))
        for ref in _children(structured, "RfrdDocInf"):
            parts.append(_text(ref, "Nb"))
        parts.append(" ".join((a.text or "").strip() for a in _children(structured, "AddtlRmtInf")))
    parts.append(_text(tx, "AddtlTxInf"))
    return [p for p in parts if p]


def _entry(ntry, currency_of_account: str) -> StatementLine | None:
    status = _text(ntry, "Sts") or _text(ntry, "Sts", "Cd")
    if status and status not in ("BOOK",):
        return None  # pending and informational entries are not movements on the account yet
    amt_el = _child(ntry, "Amt")
    if amt_el is None:
        raise StatementFileError(StatementFileError.MISSING, line=ntry.sourceline, column="Ntry/Amt")
    amount, currency = _amount(amt_el)
    amount = _signed(ntry, amount)
    booked = _date(ntry, "BookgDt") or _date(ntry, "ValDt")
    if booked is None:
        raise StatementFileError(StatementFileError.MISSING, line=ntry.sourceline, column="Ntry/BookgDt")
    details = [tx for nd in _children(ntry, "NtryDtls") for tx in _children(nd, "TxDtls")]
    role = "Dbtr" if amount > 0 else "Cdtr"
    name = account = bank = end_to_end = ""
    texts: list[str] = []
    for tx in details:
        if not name:
            name, account, bank = _party(tx, role)
        end_to_end = end_to_end or _text(tx, "Refs", "EndToEndId").replace("NOTPROVIDED", "")
        texts.extend(_remittance(tx))
    texts.append(_text(ntry, "AddtlNtryInf"))
    code = _text(ntry, "BkTxCd", "Prtry", "Cd") or _text(ntry, "BkTxCd", "Domn", "Cd")
    reference = (
        _text(ntry, "AcctSvcrRef")
        or _text(ntry, "NtryRef")
        or next((_text(tx, "Refs", "AcctSvcrRef") for tx in details if _text(tx, "Refs", "AcctSvcrRef")), "")
    )
    return StatementLine(
        booking_date=booked,
        value_date=_date(ntry, "ValDt"),
        amount=amount,
        currency=currency or currency_of_account,
        bank_reference=reference,
        end_to_end_id=end_to_end,
        counterparty_name=name,
        counterparty_account=account,
        counterparty_bank=bank,
        remittance=" ".join(dict.fromkeys(t for t in texts if t)),
        transaction_code=code,
        reversal=_text(ntry, "RvslInd").lower() == "true",
        source_line=ntry.sourceline,
    )


def _balance(stmt, codes, currency: str) -> tuple[int | None, date | None]:
    for bal in _children(stmt, "Bal"):
        code = _text(bal, "Tp", "CdOrPrtry", "Cd") or _text(bal, "Tp", "CdOrPrtry", "Prtry")
        if code not in codes:
            continue
        amt_el = _child(bal, "Amt")
        if amt_el is None:
            continue
        amount, bal_currency = _amount(amt_el)
        if currency and bal_currency != currency:
            return None, None  # a balance in another currency than the account's says nothing about its lines
        return _signed(bal, amount), _date(bal, "Dt")
    return None, None


def parse_camt(data: bytes) -> list[Statement]:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise StatementFileError(StatementFileError.SYNTAX, line=exc.lineno, detail=exc.msg) from None
    namespace = etree.QName(root).namespace or ""
    message = next(iter(root), None)
    kind = _local(message) if message is not None else ""
    for other in ("camt.052", "camt.054"):  # an intraday report and a debit/credit notification, not statements
        if other in namespace or kind.startswith(("BkToCstmrAcctRpt", "BkToCstmrDbtCdtNtfctn")[other == "camt.054"]):
            raise StatementFileError(StatementFileError.NOT_STATEMENT, kind=other)
    if kind != "BkToCstmrStmt":
        raise StatementFileError(StatementFileError.FORMAT, hint=namespace or _local(root))
    statements = []
    for stmt in _children(message, "Stmt"):
        account_el = _child(stmt, "Acct")
        account = _text(account_el, "Id", "IBAN") or _text(account_el, "Id", "Othr", "Id")
        currency = _text(account_el, "Ccy")
        lines = tuple(ln for ln in (_entry(n, currency) for n in _children(stmt, "Ntry")) if ln is not None)
        if not currency and lines:
            currency = lines[0].currency
        opening, opening_date = _balance(stmt, _OPENING, currency)
        closing, closing_date = _balance(stmt, _CLOSING, currency)
        statements.append(
            Statement(
                format="camt.053",
                account=account,
                currency=currency,
                lines=lines,
                statement_id=_text(stmt, "Id"),
                opening_balance=opening,
                opening_date=opening_date,
                closing_balance=closing,
                closing_date=closing_date,
            )
        )
    if not statements:
        raise StatementFileError(StatementFileError.EMPTY)
    return statements
