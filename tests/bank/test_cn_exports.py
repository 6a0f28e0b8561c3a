"""Chinese bank exports: the samples in ../shared/data (personal accounts, real layouts) and 对公 layouts built here."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook

from arms.bank.parsers import ColumnProfile, detect_format, parse_statement_file
from arms.domain.bankstatement import StatementFileError, balance_problems
from tests.bank.conftest import shared

SAMPLES = "cn_bank_statements_deb"


def _csv(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


CORPORATE = [
    ["中国工商银行 对公账户明细"],
    ["账号:", "1202 0012 0990 0123 456"],
    ["起止日期:", "2026-03-01 至 2026-03-31"],
    [],
    ["交易日期", "流水号", "对方户名", "对方账号", "对方开户行", "借方发生额", "贷方发生额", "余额", "用途"],
    ["2026-03-02", "HX0001", "上海申联贸易有限公司", "31001234567890", "建设银行上海分行", "", "113,000.00",
     "1,113,000.00", "INV-000123 货款"],
    ["2026-03-03", "HX0002", "国网上海电力", "", "", "2,350.40", "", "1,110,649.60", "电费"],
    ["2026-03-03", "HX0003", "杭州（中国）化工股份有限公司", "57100987654321", "招商银行杭州分行", "", "50,000.00",
     "1,160,649.60", "3月货款"],
    ["合计", "", "", "", "", "2,350.40", "163,000.00", "", ""],
]  # fmt: skip


def test_a_corporate_statement_in_gbk_with_a_preamble_and_a_totals_row():
    data = _csv(CORPORATE, "gb18030")

    (statement,) = parse_statement_file(data)

    assert detect_format(data) == "csv"
    assert (statement.format, statement.account, statement.currency) == ("cn:generic", "1202001209900123456", "CNY")
    assert [(ln.booking_date, ln.amount, ln.bank_reference) for ln in statement.lines] == [
        (date(2026, 3, 2), 11300000, "HX0001"),
        (date(2026, 3, 3), -235040, "HX0002"),
        (date(2026, 3, 3), 5000000, "HX0003"),
    ]
    first = statement.lines[0]
    assert (first.counterparty_name, first.counterparty_account, first.counterparty_bank) == (
        "上海申联贸易有限公司", "31001234567890", "建设银行上海分行")
    assert first.remittance == "INV-000123 货款"
    assert first.source_line == 6
    assert balance_problems(statement) == []


def test_the_same_statement_as_xlsx():
    book = Workbook()
    for row in CORPORATE:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)

    (statement,) = parse_statement_file(out.getvalue())

    assert [ln.amount for ln in statement.lines] == [11300000, -235040, 5000000]


def test_a_signed_amount_needs_a_direction_column_in_the_generic_layout():
    rows = [["交易日期", "交易金额", "借贷标志", "对方户名"],
            ["2026-03-02", "100.00", "贷", "甲公司"], ["2026-03-02", "30.00", "借", "乙公司"]]  # fmt: skip
    (statement,) = parse_statement_file(_csv(rows))
    assert [ln.amount for ln in statement.lines] == [10000, -3000]

    without_direction = [[c for i, c in enumerate(r) if i != 2] for r in rows]
    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(_csv(without_direction))
    assert refused.value.code == StatementFileError.HEADER  # in or out cannot be guessed


@pytest.mark.parametrize(("path", "profile", "lines", "account"), [
    ("icbc/debit-v1/example-icbc-debit-v1-records.csv", "cn:icbc", 11, "1234****9876"),
    ("icbc/debit-v2/example-icbc-debit-v2-records.csv", "cn:icbc", 11, "1234****9876"),
    ("boc/debit/example-boc-records.csv", "cn:boc", 17, ""),
    ("bocom_debit/example-bocom_debit-records.csv", "cn:bocom", 6, ""),
    ("abc_debit/example-abc_debit-records.csv", "cn:abc", 4, ""),
    ("cmb/debit/example-cmb-records.csv", "cn:cmb", 5, ""),
    ("ccb/交易明细_xxxx_2025xxxx_2025xxxx.xls", "cn:ccb", 6, "xxxxx*********xxxx"),
    ("spdb_debit/example-spdb_debit-records.xls", "cn:spdb", 4, "6200000000001230"),
])  # fmt: skip
def test_the_big_banks_exports_read_with_their_profile(path, profile, lines, account):
    (statement,) = parse_statement_file(shared(SAMPLES, *path.split("/")).read_bytes())

    assert (statement.format, len(statement.lines), statement.account) == (profile, lines, account)
    assert all(ln.amount != 0 for ln in statement.lines)


def test_a_newest_first_export_is_turned_around_and_its_running_balance_follows():
    (statement,) = parse_statement_file(shared(SAMPLES, "boc", "debit", "example-boc-records.csv").read_bytes())

    dates = [ln.booking_date for ln in statement.lines]
    assert dates == sorted(dates)
    assert balance_problems(statement) == []  # 17 running balances, each the one before plus the line


def test_bocom_writes_credit_and_debit_as_words():
    (statement,) = parse_statement_file(shared(SAMPLES, "bocom_debit", "example-bocom_debit-records.csv").read_bytes())

    interest = next(ln for ln in statement.lines if ln.booking_date == date(2025, 1, 1))
    assert (interest.amount, interest.counterparty_name) == (123, "应付个人活期储蓄存款利息")  # "贷 Cr": money in


def test_cmb_splits_the_counterparty_into_name_and_account():
    (statement,) = parse_statement_file(shared(SAMPLES, "cmb", "debit", "example-cmb-records.csv").read_bytes())

    fund = statement.lines[0]
    assert (fund.counterparty_name, fund.counterparty_account, fund.amount) == (
        "北京住房公积金管理中心", "1111111111", 123400)


def test_icbc_padded_cells_and_masked_balances():
    (statement,) = parse_statement_file(
        shared(SAMPLES, "icbc", "debit-v1", "example-icbc-debit-v1-records.csv").read_bytes())

    assert all(ln.balance_after is None for ln in statement.lines)  # "xx,yyyy.zz" in the sample: unknown, not 0
    assert statement.lines[-1].counterparty_name == "深圳市财付通支付科技有限公司"


@pytest.mark.parametrize("path", [
    "alipay/example-alipay-records.csv", "jd/example-jd-records.csv", "mt/example-mt-records.csv",
    "wechat/example-wechat-records.csv", "wechat/example-wechat-records.xlsx", "td/example-td-records.csv",
    "bmo/debit/example-bmo-records.csv", "hsbchk/debit/example-hsbchk-debit-records.csv",
    "cmb/credit/example-cmb-records.csv", "citic/credit/example-citic-records.xls",
])  # fmt: skip
def test_payment_apps_card_bills_and_foreign_layouts_are_refused_with_a_reason(path):
    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(shared(SAMPLES, *path.split("/")).read_bytes())

    assert refused.value.code in (StatementFileError.HEADER, StatementFileError.DIRECTION, StatementFileError.SYNTAX)


def test_a_users_own_layout():
    profile = ColumnProfile(
        key="user-7", name="宁波银行（自定义）", signature=("记账时间", "发生额(元)"), date=("记账时间",),
        amount=("发生额(元)",), counterparty_name=("付款人",), remittance=("附加信息",),
    )
    rows = [["记账时间", "付款人", "发生额(元)", "附加信息"],
            ["2026/03/05 10:22", "宁波甲公司", "+2,000.00", "合同 HT-9"]]  # fmt: skip

    (statement,) = parse_statement_file(_csv(rows), profile=profile, account="NB-001")

    line = statement.lines[0]
    assert (statement.format, statement.account) == ("cn:user-7", "NB-001")
    assert (line.booking_date, line.amount, line.counterparty_name, line.remittance) == (
        date(2026, 3, 5), 200000, "宁波甲公司", "合同 HT-9")


def test_a_profile_must_say_where_the_amount_is():
    with pytest.raises(ValueError):
        ColumnProfile(key="x", name="x", signature=(), date=("日期",), credit=("收入",))


@pytest.mark.parametrize(("mutate", "code", "line", "column"), [
    (lambda rows: rows[5].__setitem__(0, "2026-02-30"), StatementFileError.DATE, 6, "交易日期"),
    (lambda rows: rows[6].__setitem__(5, "2,350.4O"), StatementFileError.AMOUNT, 7, "借方发生额"),
    (lambda rows: rows[7].__setitem__(6, "50,000.001"), StatementFileError.AMOUNT, 8, "贷方发生额"),
    (lambda rows: rows[5].__setitem__(0, ""), StatementFileError.DATE, 6, "交易日期"),
])  # fmt: skip
def test_one_bad_cell_refuses_the_whole_file_naming_line_and_column(mutate, code, line, column):
    rows = [list(r) for r in CORPORATE]
    mutate(rows)

    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(_csv(rows))

    assert (refused.value.code, refused.value.line, refused.value.column) == (code, line, column)


def test_an_unterminated_quote_is_refused_with_its_line():
    data = _csv(CORPORATE) + b'2026-03-04,HX9,"unterminated,,,,,1.00,,\n'

    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(data)

    assert refused.value.code == StatementFileError.SYNTAX


def test_a_header_without_lines_is_an_empty_file():
    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(_csv(CORPORATE[:5]))
    assert refused.value.code == StatementFileError.EMPTY

    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(b"  \n")
    assert refused.value.code == StatementFileError.EMPTY


def test_bytes_that_are_no_chinese_text_are_refused():
    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(b"\x81\x20\xff\xfe\x00garbage," * 10)
    assert refused.value.code == StatementFileError.ENCODING


def test_two_currencies_in_one_export_are_refused():
    rows = [["交易日期", "币种", "借方发生额", "贷方发生额"],
            ["2026-03-02", "人民币", "", "1.00"], ["2026-03-02", "美元", "", "1.00"]]  # fmt: skip
    with pytest.raises(StatementFileError) as refused:
        parse_statement_file(_csv(rows))
    assert refused.value.code == StatementFileError.CURRENCY
