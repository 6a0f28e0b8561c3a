"""Every MT940 sample in ../shared/data reads, or is refused for the reason it deserves."""

from datetime import date

import pytest

from arms.bank.parsers import detect_format, parse_statement_file
from arms.domain.bankstatement import StatementFileError, balance_problems
from tests.bank.conftest import SHARED, shared

# Files that are not statements: one-tag snippets from parser test suites, MT942 interim reports, junk.
REFUSED = {
    **{f"mt940_wolph/betterplace/{n}.sta": StatementFileError.FORMAT for n in (
        "amount_formats", "currency_in_25", "empty_86", "empty_entry_date", "empty_line", "missing_crlf_at_end")},
    **{f"mt940_wolph/cmxl/{n}.sta": StatementFileError.FORMAT for n in (
        "account_balance_credit", "account_balance_debit", "account_identification_iban",
        "account_identification_legacy", "available_balance", "closing_balance", "reference", "statement_details",
        "statement_line", "statement_number")},
    "mt940_wolph/self-provided/empty_non_swift.sta": StatementFileError.HEADER,  # no SWIFT tag at all: read as
    "mt940_wolph/self-provided/invalid_statement.sta": StatementFileError.HEADER,  # a table that has no header
    "mt940_wolph/self-provided/sparkassen.sta": StatementFileError.FORMAT,
    "mt940_wolph/mBank/mt942.sta": StatementFileError.NOT_STATEMENT,
    "mt940_wolph/self-provided/mt942.sta": StatementFileError.NOT_STATEMENT,
}  # fmt: skip


def _samples():
    files = []
    for folder in ("mt940_wolph", "mt940_php_fruitl00p"):
        base = SHARED / folder
        if base.exists():
            files += [p for p in sorted(base.rglob("*")) if p.is_file() and "LICENSE" not in p.name]
    return files or [SHARED / "mt940_wolph"]


@pytest.mark.parametrize("path", _samples(), ids=lambda p: str(p.relative_to(SHARED)) if SHARED in p.parents else "x")
def test_every_sample_reads_or_is_refused_for_its_reason(path):
    if not path.exists():
        pytest.skip(f"the shared sample data is not at {path}")
    name = str(path.relative_to(SHARED))
    data = path.read_bytes()

    if name in REFUSED:
        with pytest.raises(StatementFileError) as refused:
            parse_statement_file(data)
        assert refused.value.code == REFUSED[name]
        return
    statements = parse_statement_file(data)
    assert detect_format(data) == "mt940"
    assert statements
    for statement in statements:
        assert statement.format == "mt940" and statement.currency
        assert {line.currency for line in statement.lines} <= {statement.currency}


def test_all_lines_of_the_samples_that_are_statements():
    total = 0
    for path in _samples():
        name = str(path.relative_to(SHARED))
        if path.exists() and name not in REFUSED:
            total += sum(len(s.lines) for s in parse_statement_file(path.read_bytes()))
    assert total == 478  # of the 486 :61: lines in both folders, 8 are in the snippets and MT942 files refused


def test_a_line_without_a_transaction_code_still_starts_a_new_line():
    """Zenith Bank writes :61: with no type code; folded into one line, the statement would not balance."""
    (statement,) = parse_statement_file(shared("mt940_php_fruitl00p", "Zetb", "sample").read_bytes())

    assert (statement.account, statement.currency, len(statement.lines)) == ("1014365930", "NGN", 8)
    assert statement.lines[0].amount == 22000000
    assert statement.lines[0].bank_reference == "19239782213"
    assert balance_problems(statement) == []


def test_a_payer_iban_in_the_reference_field_is_the_payers_account():
    statements = parse_statement_file(shared("mt940_php_fruitl00p", "Asn", "sample").read_bytes())
    line = next(ln for s in statements for ln in s.lines)

    assert (line.counterparty_account, line.counterparty_name) == ("NL29INGB0006475121", "j blom")
    assert (line.amount, line.booking_date) == (-200000, date(2020, 1, 2))


def test_structured_details_give_the_name_and_account():
    (statement,) = parse_statement_file(shared("mt940_php_fruitl00p", "Bunq", "sample").read_bytes())

    assert len(statement.lines) == 111
    assert balance_problems(statement) == []
    assert sum(1 for ln in statement.lines if ln.counterparty_name) > 0


def test_a_february_30_value_date_is_read_as_the_last_day_of_february():
    (statement,) = parse_statement_file(shared("mt940_wolph", "self-provided", "february_30.sta").read_bytes())

    assert statement.lines[0].value_date.month == 2


def test_a_broken_statement_line_is_refused_naming_the_tag():
    data = shared("mt940_php_fruitl00p", "Kbs", "sample").read_bytes()
    broken = data.replace(b":61:", b":61:XX", 1)

    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(broken)

    assert refused.value.code == StatementFileError.SYNTAX
