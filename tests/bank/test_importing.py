"""Importing statement files into the company's bank accounts: idempotent, overlap-safe, gaps reported, a bad file
refused whole with file, line and field and nothing written."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.bank.models import BankAccount, BankStatement, StatementLine
from arms.bank.services.accounts import bank_account_create, bank_account_update, column_profile_save
from arms.bank.services.importing import StatementRefused, account_matches, statement_import
from arms.common.errors import ArmsError, ErrorCode
from tests.bank.builders import ACCOUNT_NUMBER, closing_of, days_before, rows_for, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(db):
    """These tests write: the roles are back (tests/bank/conftest.py leaves them out for the parsers)."""
    from arms.accounts.roles import roles_present, roles_sync

    if not roles_present():
        roles_sync()


def _written() -> tuple[int, int, int]:
    return (BankStatement.objects.count(), StatementLine.objects.count(),
            AuditEvent.objects.filter(action="bank_statement_imported").count())


def test_a_corporate_export_is_imported_with_its_lines_balances_and_an_audit_event(bank_account, clerk, today):
    rows = rows_for(days_before(today, 5, 3))

    result = statement_import(actor=clerk, data=to_csv(rows), filename="icbc.csv", match=False)

    (stmt,) = result.statements
    stored = BankStatement.objects.get()
    assert (result.lines_new, result.lines_seen, result.gap) == (6, 0, None)
    assert (stmt.account_id, stmt.statement_id, stmt.format) == (bank_account.pk, stored.pk, "cn:generic")
    assert (stored.opening_balance_minor, stored.closing_balance_minor) == (100_000_00, closing_of(rows))
    assert (stored.lines_in_file, stored.lines_new, stored.lines_seen, stored.imported_by) == (6, 6, 0, clerk)
    assert (stored.first_date, stored.last_date) == (days_before(today, 5, 5)[0], days_before(today, 3, 3)[0])
    first = StatementLine.objects.order_by("booking_date", "pk").first()
    assert (first.counterparty_name, first.counterparty_account, first.currency, first.status, first.source_line) \
        == ("上海申联贸易1有限公司", "31001234567891", "CNY", "new", 5)
    assert sorted(result.new_line_ids) == sorted(StatementLine.objects.values_list("pk", flat=True))
    event = AuditEvent.objects.get(action="bank_statement_imported")
    assert (event.after["lines_new"], event.after["file"], event.actor) == (6, "icbc.csv", clerk)


def test_two_imports_of_the_same_file_write_once(bank_account, clerk, today):
    data = to_csv(rows_for(days_before(today, 5, 3)))
    statement_import(actor=clerk, data=data, filename="a.csv", match=False)
    before = _written()

    again = statement_import(actor=clerk, data=data, filename="a.csv", match=False)

    assert (again.new_line_ids, again.lines_seen) == ([], 6)
    assert again.statements[0].statement_id is None
    assert _written() == before == (1, 6, 1)


def test_an_overlapping_statement_adds_only_its_new_lines_and_continues_the_balance(bank_account, clerk, today):
    first = rows_for(days_before(today, 9, 5))
    statement_import(actor=clerk, data=to_csv(first), filename="week1.csv", match=False)
    # days 7..3 before today: days 7, 6 and 5 repeat (the same lines), days 4 and 3 are new
    whole = rows_for(days_before(today, 9, 3))
    dropped = {d.isoformat() for d in days_before(today, 9, 8)}
    overlapping = [r for r in whole if not r or r[0] not in dropped]

    result = statement_import(actor=clerk, data=to_csv(overlapping), filename="week2.csv", match=False)

    assert (result.lines_new, result.lines_seen) == (4, 6)
    assert StatementLine.objects.count() == 14
    assert StatementLine.objects.filter(pk__in=result.new_line_ids, booking_date__lt=days_before(today, 4, 4)[0]
                                        ).count() == 0
    assert result.gap is None


def test_a_gap_between_statements_is_stored_and_reported(bank_account, clerk, today):
    statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 20, 18))), filename="a.csv", match=False)
    closing = BankStatement.objects.get().closing_balance_minor
    # a later statement whose opening is 500.00 short of that closing: a statement (or lines) is missing
    later = rows_for(days_before(today, 10, 9), opening=closing - 500_00)

    result = statement_import(actor=clerk, data=to_csv(later), filename="b.csv", match=False)

    assert result.gap == -500_00
    assert BankStatement.objects.get(filename="b.csv").gap_minor == -500_00
    assert AuditEvent.objects.filter(action="bank_statement_imported").last().after["gap"] == -500_00


def test_a_statement_that_continues_the_previous_one_has_no_gap(bank_account, clerk, today):
    first = rows_for(days_before(today, 20, 18))
    statement_import(actor=clerk, data=to_csv(first), filename="a.csv", match=False)

    result = statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 17, 15),
                                                                opening=closing_of(first))),
                              filename="b.csv", match=False)

    assert result.gap is None and BankStatement.objects.get(filename="b.csv").gap_minor is None


def test_a_broken_amount_in_row_7_refuses_the_file_naming_file_line_and_column_and_writes_nothing(
        bank_account, clerk, today):
    rows = rows_for(days_before(today, 5, 3))
    rows[6][6] = "12,3x4.00"  # the 7th row of the file: the third line of the table
    statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 30, 29))), filename="ok.csv", match=False)
    before = _written()

    with pytest.raises(StatementRefused) as refused:
        statement_import(actor=clerk, data=to_csv(rows), filename="bad.csv", match=False)

    error = refused.value
    assert (error.code, error.field) == (ErrorCode.STATEMENT_UNREADABLE, "file")
    assert error.details == {"file": "bad.csv", "line": 7, "column": "贷方发生额", "reason": "amount"}
    assert "bad.csv" in error.message and "7" in error.message and "贷方发生额" in error.message
    assert _written() == before


def test_an_xlsx_statement_that_would_unpack_too_far_is_refused_before_openpyxl_opens_it(
        bank_account, clerk, today, settings, monkeypatch):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows_for(days_before(today, 5, 3)):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    settings.ARMS_XLSX_MAX_UNPACKED_BYTES = 4_000

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    before = _written()

    with pytest.raises(ArmsError) as refused:
        statement_import(actor=clerk, data=buffer.getvalue(), filename="流水.xlsx", match=False)

    assert refused.value.code == "import_too_large" and "4,000 B" in refused.value.message
    assert _written() == before


def test_a_statement_of_another_account_is_refused_when_an_account_is_chosen(bank_account, clerk, today):
    other = bank_account_create(actor=None, name="建行一般户", bank="中国建设银行",
                                account_number="31050161373600001234")
    data = to_csv(rows_for(days_before(today, 5, 3)))

    with pytest.raises(ArmsError) as refused:
        statement_import(actor=clerk, data=data, filename="a.csv", account=other, match=False)

    assert (refused.value.code, refused.value.field) == (ErrorCode.STATEMENT_ACCOUNT_MISMATCH, "account")
    assert _written() == (0, 0, 0)


def test_a_statement_of_an_unknown_account_is_refused(db, company, clerk, today):
    with pytest.raises(ArmsError) as refused:
        statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 5, 3))), filename="a.csv",
                         match=False)

    assert (refused.value.code, refused.value.field) == (ErrorCode.STATEMENT_ACCOUNT_UNKNOWN, "account")
    assert ACCOUNT_NUMBER in refused.value.message
    assert _written() == (0, 0, 0)


def test_a_statement_in_another_currency_than_its_account_is_refused(db, company, clerk, today):
    bank_account_create(actor=None, name="USD", bank="中国工商银行", account_number=ACCOUNT_NUMBER, currency="USD")

    with pytest.raises(ArmsError) as refused:
        statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 5, 3))), filename="a.csv",
                         match=False)

    assert refused.value.code == ErrorCode.CURRENCY_MISMATCH
    assert _written() == (0, 0, 0)


def test_an_unknown_layout_is_read_with_the_columns_the_user_mapped_for_the_account(bank_account, clerk, today):
    day = days_before(today, 3, 3)[0]
    rows = [["入账日", "收款金额", "付款人", "付款账号", "说明", "单号"],
            [day.isoformat(), "1,130.00", "杭州化工股份有限公司", "57100987654321", "3月货款", "Z001"],
            [day.isoformat(), "-20.00", "", "", "手续费", "Z002"]]
    with pytest.raises(StatementRefused) as unknown:
        statement_import(actor=clerk, data=to_csv(rows), filename="x.csv", account=bank_account, match=False)
    assert unknown.value.details["reason"] == "header"

    account = column_profile_save(actor=clerk, account=bank_account, mapping={
        "date": "入账日", "amount": ["收款金额"], "counterparty_name": "付款人", "counterparty_account": "付款账号",
        "remittance": "说明", "reference": "单号"})
    result = statement_import(actor=clerk, data=to_csv(rows), filename="x.csv", account=account, match=False)

    assert sorted(StatementLine.objects.values_list("amount_minor", "bank_reference", "counterparty_name")) == [
        (-2000, "Z002", ""), (113000, "Z001", "杭州化工股份有限公司")]
    assert result.statements[0].format == "cn:own"
    assert AuditEvent.objects.filter(action="bank_column_profile_saved").count() == 1


def test_a_column_mapping_needs_a_date_and_an_amount_and_nothing_is_stored_otherwise(bank_account, clerk):
    with pytest.raises(ArmsError) as refused:
        column_profile_save(actor=clerk, account=bank_account, mapping={"date": "日期", "credit": "收入"})

    assert refused.value.field == "amount"
    bank_account.refresh_from_db()
    assert bank_account.column_profile is None
    assert not AuditEvent.objects.filter(action="bank_column_profile_saved").exists()


def test_a_bank_account_number_is_unique_and_checked(db, company):
    bank_account_create(actor=None, name="A", bank="工行", account_number="6222 0212 3456 7890")

    with pytest.raises(ArmsError) as duplicate:
        bank_account_create(actor=None, name="B", bank="工行", account_number="6222021234567890")
    with pytest.raises(ArmsError) as bad:
        bank_account_create(actor=None, name="C", bank="工行", account_number="12")
    with pytest.raises(ArmsError) as ledger:
        bank_account_create(actor=None, name="D", bank="工行", account_number="12345678", ledger_account="1122")

    assert (duplicate.value.code, duplicate.value.field) == (ErrorCode.BANK_ACCOUNT_DUPLICATE, "account_number")
    assert (bad.value.field, ledger.value.field) == ("account_number", "ledger_account")
    assert list(BankAccount.objects.values_list("account_number", flat=True)) == ["6222021234567890"]
    assert AuditEvent.objects.filter(action="bank_account_created").count() == 1


def test_an_account_with_statements_keeps_its_number(bank_account, clerk, today):
    statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 5, 3))), filename="a.csv", match=False)

    with pytest.raises(ArmsError) as refused:
        bank_account_update(actor=clerk, account=bank_account, account_number="99998888777")
    renamed = bank_account_update(actor=clerk, account=bank_account, name="工行基本户（主）")

    assert refused.value.field == "account_number"
    assert (renamed.name, renamed.account_number) == ("工行基本户（主）", ACCOUNT_NUMBER)
    assert AuditEvent.objects.filter(action="bank_account_updated").count() == 1


@pytest.mark.parametrize(("in_file", "number", "same"), [
    ("1202 0012 0990 0123 456", "1202001209900123456", True),
    ("1234****5678", "1234000000005678", True),
    ("1234****5678", "1234000000005679", False),
    ("50880050/0194786200888", "0194786200888", True),
    ("NL10BUNQ2290325473 EUR", "NL10BUNQ2290325473", True),
    ("NL10BUNQ2290325473", "NL10BUNQ2290325474", False),
])
def test_the_account_a_file_names_is_compared_as_banks_write_it(in_file, number, same):
    assert account_matches(in_file, number) is same


def test_the_new_lines_go_to_cash_application_once_imported(bank_account, clerk, today):
    data = to_csv(rows_for(days_before(today, 5, 3)))

    result = statement_import(actor=clerk, data=data, filename="a.csv")
    again = statement_import(actor=clerk, data=data, filename="a.csv")

    assert result.matched.lines == 6  # nobody owes anything here: the receipts wait, unmatched
    assert not StatementLine.objects.filter(status="new").exists()
    assert again.matched is None


def test_the_missing_statement_imported_late_closes_the_gap_of_the_next_one(bank_account, clerk, today):
    week1 = rows_for(days_before(today, 21, 15))
    week2 = rows_for(days_before(today, 14, 8), opening=closing_of(week1))
    week3 = rows_for(days_before(today, 7, 1), opening=closing_of(week2))
    statement_import(actor=clerk, data=to_csv(week1), filename="w1.csv", match=False)
    assert statement_import(actor=clerk, data=to_csv(week3), filename="w3.csv", match=False).gap is not None

    filled = statement_import(actor=clerk, data=to_csv(week2), filename="w2.csv", match=False)

    assert filled.gap is None
    assert BankStatement.objects.get(filename="w3.csv").gap_minor is None
    event = AuditEvent.objects.filter(action="bank_statement_imported").last()
    assert event.after["next_statement_gap"]["after"] is None


def test_a_closed_account_takes_no_statements(bank_account, clerk, today):
    closed = bank_account_update(actor=clerk, account=bank_account, active=False)

    with pytest.raises(ArmsError) as refused:
        statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 5, 3))), filename="a.csv",
                         account=closed, match=False)
    with pytest.raises(ArmsError) as unknown:
        statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 5, 3))), filename="a.csv",
                         match=False)

    assert (refused.value.field, unknown.value.code) == ("account", ErrorCode.STATEMENT_ACCOUNT_UNKNOWN)
    assert _written() == (0, 0, 0)
