"""CAMT.053 against genkgo/camt's own parse of the same files (the .json beside each sample), and refusals."""

import json
from datetime import date

import pytest

from arms.bank.parsers import detect_format, parse_statement_file
from arms.domain.bankstatement import StatementFileError, balance_problems
from tests.bank.conftest import shared

CAMT053 = [
    "camt053.v2.all-balance-types", "camt053.v2.five.decimals", "camt053.v2.minimal", "camt053.v2.minimal.ultimate",
    "camt053.v2.multi.statement", "camt053.v2.with-account-name", "camt053.v2.with-party-ids", "camt053.v3",
    "camt053.v4", "camt053.v8", "camt53.only-Dt-with-DtTm",
]  # fmt: skip


def _entries(node, found):
    """Every Entry object in genkgo's dump (records refer back to entries, which it writes once)."""
    if isinstance(node, dict):
        if node.get("__CLASS__", "").endswith("\\Entry"):
            found.append(node)
        for value in node.values():
            _entries(value, found)
    elif isinstance(node, list):
        for value in node:
            _entries(value, found)
    return found


def _day(stamp: str) -> date:
    return date.fromisoformat(stamp[:10])


@pytest.mark.parametrize("name", CAMT053)
def test_every_camt053_sample_reads_as_genkgo_reads_it(name):
    data = shared("camt_genkgo", f"{name}.xml").read_bytes()
    expected = json.loads(shared("camt_genkgo", f"{name}.json").read_text())

    statements = parse_statement_file(data)

    assert detect_format(data) == "camt"
    lines = [line for statement in statements for line in statement.lines]
    entries = _entries(expected, [])
    ours = [(ln.amount, ln.currency, ln.booking_date, ln.reversal, ln.bank_reference) for ln in lines]
    for entry in entries:  # genkgo's dump holds each entry once, wherever it first met it
        theirs = (
            int(entry["getAmount"]["getAmount"]),  # genkgo keeps minor units, signed
            entry["getAmount"]["getCurrency"]["getCode"],
            _day(entry["getBookingDate"]["0"]),
            entry["getReversalIndicator"],
            entry["getAccountServicerReference"] or "",
        )
        assert theirs in ours
    records = [r for r in expected["getRecords"] if isinstance(r, dict)]
    for record, statement in zip(records, statements, strict=False):
        assert statement.account == record["getAccount"]["getIdentification"]
        balances = {b["getType"]: b for b in record["getBalances"]}
        opening = balances.get("opening")
        if opening and opening["getAmount"]["getCurrency"]["getCode"] == statement.currency:
            assert statement.opening_balance == int(opening["getAmount"]["getAmount"])
            assert statement.opening_date == _day(opening["getDate"]["0"])


def test_the_minimal_statement_in_full():
    (statement,) = parse_statement_file(shared("camt_genkgo", "camt053.v2.minimal.xml").read_bytes())

    assert (statement.format, statement.account, statement.currency) == ("camt.053", "NL26VAYB8060476890", "EUR")
    assert (statement.opening_balance, statement.opening_date) == (1815, date(2014, 12, 30))
    assert statement.closing_balance is None  # the sample closes in SEK: another currency says nothing of the lines
    (line,) = statement.lines
    assert (line.amount, line.booking_date, line.value_date) == (885, date(2014, 12, 31), date(2015, 1, 2))
    assert line.counterparty_name == "NAME NAME"  # the debtor of a credit, not the creditor
    assert "4654654654654654" in line.remittance


def test_version_8_names_the_party_one_level_deeper():
    (statement,) = parse_statement_file(shared("camt_genkgo", "camt053.v8.xml").read_bytes())

    assert statement.lines[0].counterparty_name == "NAME NAME"
    assert statement.lines[0].bank_reference == "AAAASESS-FP-CN_98765/01"


def test_a_multi_statement_file_gives_one_statement_each_and_they_balance():
    statements = parse_statement_file(shared("camt_genkgo", "camt053.v2.multi.statement.xml").read_bytes())

    assert [s.statement_id for s in statements] == ["253EURNL26VAYB8060476890", "254EURNL26VAYB8060476890"]
    assert statements[1].lines[0].amount == -700
    assert balance_problems(statements[1]) == []


@pytest.mark.parametrize(("name", "code"), [
    ("camt052.v2", StatementFileError.NOT_STATEMENT),
    ("camt052.v1", StatementFileError.NOT_STATEMENT),
    ("camt054.v8", StatementFileError.NOT_STATEMENT),
    ("camt053.v2.wrong", StatementFileError.EMPTY),
])  # fmt: skip
def test_reports_notifications_and_an_empty_statement_are_refused_with_the_reason(name, code):
    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(shared("camt_genkgo", f"{name}.xml").read_bytes())
    assert refused.value.code == code


def test_broken_xml_is_refused_with_its_line():
    data = shared("camt_genkgo", "camt053.v2.minimal.xml").read_bytes().replace(b"</Ntry>", b"</Ntr>", 1)

    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(data)

    assert refused.value.code == StatementFileError.SYNTAX
    assert refused.value.line and refused.value.line > 100


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = shared("camt_genkgo", "camt053.v2.minimal.xml").read_bytes()
    data = data.replace(
        b"<Document", f'<!DOCTYPE Document [<!ENTITY x SYSTEM "file://{secret}">]><Document'.encode(), 1
    ).replace(b"<Ustrd>", b"<Ustrd>&x;", 1)

    (statement,) = parse_statement_file(data)

    assert statement.lines[0].remittance == "4654654654654654"  # the entity stays unresolved: no file is read


def test_an_amount_with_more_decimals_than_the_currency_has_is_refused():
    data = shared("camt_genkgo", "camt053.v2.minimal.xml").read_bytes().replace(b">8.85<", b">8.851<", 1)

    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(data)

    assert (refused.value.code, refused.value.params["text"]) == (StatementFileError.AMOUNT, "8.851")
