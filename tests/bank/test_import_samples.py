"""Every statement sample in ../shared/data (SOURCES.md) either imports, twice writing once, or is refused whole
with a reason that names the file; the CAMT samples' stored lines agree with genkgo/camt's own parse."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from arms.audit.models import AuditEvent
from arms.bank.models import BankAccount, BankStatement, StatementLine
from arms.bank.parsers import parse_statement_file
from arms.bank.services.accounts import bank_account_create
from arms.bank.services.importing import StatementAccountUnknown, StatementRefused, statement_import
from arms.common.errors import ArmsError, ErrorCode
from arms.domain.bankstatement import StatementFileError
from tests.bank.conftest import SHARED, shared
from tests.bank.test_camt import CAMT053, _day, _entries

pytestmark = pytest.mark.django_db

STATEMENT_DIRS = ("camt_genkgo", "mt940_wolph", "mt940_php_fruitl00p", "cn_bank_statements_deb",
                  "oca_bank_statement_samples")
NOT_SAMPLES = (".json", ".xsd", ".md", ".mt940-library")  # genkgo's expected parses, the schema, licences

#: the samples ARMS refuses, and why (the parser's reason code)
REFUSED = {
    **{f"camt_genkgo/camt052.{v}.xml": "not_statement" for v in (
        "v1", "v2.other-account", "v2.with-account-name", "v2", "v4", "v6.Amt-zero", "v6", "v8")},
    **{f"camt_genkgo/camt054.{v}.xml": "not_statement" for v in (
        "v2.with-account-name", "v2", "v4", "v8-with-UETR", "v8-with-financial-institution", "v8")},
    "camt_genkgo/camt053.v2.wrong.xml": "empty",  # intentionally invalid
    # single tags of a statement, for the parsers' unit tests: no :20:/:25:/:60:
    **{f"mt940_wolph/betterplace/{n}.sta": "format" for n in (
        "amount_formats", "currency_in_25", "empty_86", "empty_entry_date", "empty_line", "missing_crlf_at_end")},
    **{f"mt940_wolph/cmxl/{n}.sta": "format" for n in (
        "account_balance_credit", "account_balance_debit", "account_identification_iban",
        "account_identification_legacy", "available_balance", "closing_balance", "reference", "statement_details",
        "statement_line", "statement_number")},
    "mt940_wolph/self-provided/sparkassen.sta": "format",
    "mt940_wolph/mBank/mt942.sta": "not_statement",
    "mt940_wolph/self-provided/mt942.sta": "not_statement",
    "mt940_wolph/self-provided/empty_non_swift.sta": "header",
    "mt940_wolph/self-provided/invalid_statement.sta": "header",
    # personal credit-card, wallet and foreign-bank layouts no built-in profile reads (a user maps them)
    **{f"cn_bank_statements_deb/{p}": "header" for p in (
        "bmo/credit/example-bmo-records.csv", "bmo/debit/example-bmo-records.csv",
        "boc/credit/example-boc-records.csv", "bocom_credit/example-bocom_credit-records.csv",
        "cgb_credit/example-cgb_credit-records.csv", "citic/credit/example-citic-records.xls",
        "cmb/credit/example-cmb-records.csv", "mt/example-mt-records.csv", "td/example-td-records.csv",
        "wechat/example-wechat-records.xlsx")},
    "cn_bank_statements_deb/alipay/example-alipay-records.csv": "direction",  # 不计收支
    "cn_bank_statements_deb/jd/example-jd-records.csv": "direction",
    "cn_bank_statements_deb/hsbchk/credit/example-hsbchk-credit-records.csv": "syntax",
    "cn_bank_statements_deb/hsbchk/debit/example-hsbchk-debit-records.csv": "syntax",
    "cn_bank_statements_deb/wechat/example-wechat-records.csv": "syntax",
    "oca_bank_statement_samples/camt/test-camt053.zip": "syntax",
    "oca_bank_statement_samples/camt/test-camt054": "not_statement",
    "oca_bank_statement_samples/mt940/nl_ing-test-ing-old.940": "syntax",
    "oca_bank_statement_samples/mt940/nl_ing-test-ing.940": "syntax",
    "oca_bank_statement_samples/mt940/test-ing.940": "syntax",
}


def _samples() -> list[str]:
    if not SHARED.exists():
        return []
    found = []
    for folder in STATEMENT_DIRS:
        for path in sorted((SHARED / folder).rglob("*")):
            if path.is_file() and not path.name.startswith("LICENSE") and not path.name.endswith(NOT_SAMPLES):
                found.append(path.relative_to(SHARED).as_posix())
    return found


SAMPLES = _samples()


@pytest.fixture(autouse=True)
def _roles(db):
    from arms.accounts.roles import roles_present, roles_sync

    if not roles_present():
        roles_sync()


def test_the_samples_are_found_and_every_refused_one_exists():
    if not SAMPLES:
        pytest.skip("the shared sample data is not there")
    assert len(SAMPLES) > 100
    assert set(REFUSED) <= set(SAMPLES)


def _counts() -> tuple[int, int, int]:
    return (BankStatement.objects.count(), StatementLine.objects.count(),
            AuditEvent.objects.filter(action="bank_statement_imported").count())


def _accounts_for(data: bytes) -> BankAccount | None:
    """The bank accounts the sample is for, made as a manager would. A personal export that masks the number
    (1234****9876) or names none gets one account that fits it, chosen at import; a number that is no account
    number at all gets none (the import refuses it)."""
    chosen = None
    for statement in parse_statement_file(data):
        written = statement.account
        if not statement.lines:
            continue
        if "*" in written or not any(ch.isdigit() for ch in written):
            if chosen is None:
                number = written.replace("*", "0") if any(ch.isdigit() for ch in written) else "1234000000005678"
                chosen = bank_account_create(actor=None, name="选定账户", bank="样本银行", account_number=number,
                                             currency=statement.currency)
            continue
        try:
            bank_account_create(actor=None, name=written[:20], bank="样本银行", account_number=written,
                                currency=statement.currency)
        except ArmsError as refused:  # the same account twice in one file; or no account number
            assert refused.code == ErrorCode.BANK_ACCOUNT_DUPLICATE or refused.field == "account_number"
    return chosen


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_imports_once_or_is_refused_with_its_reason(name, db, company):
    data = shared(name).read_bytes()
    filename = name.rsplit("/", 1)[-1]

    if name in REFUSED:
        with pytest.raises(StatementRefused) as refused:
            statement_import(actor=None, data=data, filename=filename, match=False)
        assert refused.value.details["reason"] == REFUSED[name]
        assert refused.value.details["file"] == filename and filename in refused.value.message
        assert " object at 0x" not in refused.value.message  # the reason in words, not a library's repr
        assert _counts() == (0, 0, 0)
        return

    lines = [ln for s in parse_statement_file(data) for ln in s.lines if ln.amount]
    chosen = _accounts_for(data)
    try:
        result = statement_import(actor=None, data=data, filename=filename, account=chosen, match=False)
    except StatementAccountUnknown as unknown:  # only a file whose account field is garbage (sepa_snippet_broken)
        assert name == "mt940_wolph/betterplace/sepa_snippet_broken.sta", unknown.message
        assert _counts() == (0, 0, 0)
        return
    assert result.lines_new + result.lines_seen == len(lines)
    assert StatementLine.objects.count() == result.lines_new
    stored = _counts()

    again = statement_import(actor=None, data=data, filename=filename, account=chosen, match=False)

    assert (again.lines_new, again.lines_seen) == (0, len(lines))
    assert _counts() == stored


@pytest.mark.parametrize("name", CAMT053)
def test_the_stored_lines_of_every_camt053_sample_agree_with_genkgo(name, db, company):
    data = shared("camt_genkgo", f"{name}.xml").read_bytes()
    expected = json.loads(shared("camt_genkgo", f"{name}.json").read_text())
    _accounts_for(data)

    statement_import(actor=None, data=data, filename=f"{name}.xml", match=False)

    stored = sorted((ln.amount_minor, ln.currency, ln.booking_date, ln.reversal)
                    for ln in StatementLine.objects.all())
    theirs = sorted(
        (int(e["getAmount"]["getAmount"]), e["getAmount"]["getCurrency"]["getCode"], _day(e["getBookingDate"]["0"]),
         bool(e.get("getReversalIndicator")))
        for e in _entries(expected, []) if int(e["getAmount"]["getAmount"]))
    # genkgo's dump writes an entry once, where it first met it: the multi-statement dump lacks the first one
    assert stored == theirs if name != "camt053.v2.multi.statement" else Counter(theirs) <= Counter(stored)
    assert len(stored) == len(parse_statement_file(data)[0].lines) * (2 if "multi" in name else 1)


def test_a_parser_refusal_names_the_file_line_and_column_in_the_users_words():
    from arms.bank.services.importing import statement_error_message

    text = statement_error_message(StatementFileError(StatementFileError.DATE, line=12, column="交易日期",
                                                      text="2026-13-01"), filename="工行.csv")

    assert "工行.csv" in text and "12" in text and "交易日期" in text and "2026-13-01" in text
