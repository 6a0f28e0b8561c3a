"""Importing contracts: through contract_create, with rates as Chinese contracts write them."""

from datetime import date
from decimal import Decimal

from arms.audit.models import AuditEvent
from arms.contracts.models import Contract
from tests import factories
from tests.imports.support import counts, refused, run, write_csv, write_xlsx

HEADER = ["合同号", "客户编码", "合同名称", "签订日期", "开始日期", "结束日期", "合同金额", "币种", "账期天数",
          "违约金比例", "逾期利率（日）", "担保方式", "争议解决", "管辖地"]


def test_a_csv_creates_contracts_with_their_terms(db, clerk, tmp_path):
    factories.customer("C001", payment_terms_days=45)
    path = write_csv(tmp_path / "contracts.csv", [
        HEADER,
        ["HT-2026-001", "C001", "钢材供货", "2026年1月5日", "2026-01-10", "2026-12-31", "¥1,200,000.00", "", "60",
         "5%", "万分之五", "抵押", "仲裁", "上海仲裁委员会"],
        ["HT-2026-002", "C001", "", "2026/02/01", "", "", "88,000.50", "CNY", "", "", "", "", "", ""],
    ])

    result = run("contracts", path, actor=clerk)

    assert (result.rows, result.created, result.skipped) == (2, 2, 0)
    first = Contract.objects.get(number="HT-2026-001")
    assert (first.customer.code, first.title, first.signed_date, first.start_date, first.end_date, first.amount_minor,
            first.currency, first.payment_terms_days, first.penalty_rate, first.late_interest_rate_daily,
            first.guarantee_type, first.dispute_resolution, first.dispute_venue) == (
        "C001", "钢材供货", date(2026, 1, 5), date(2026, 1, 10), date(2026, 12, 31), 120_000_000, "CNY", 60,
        Decimal("0.0500"), Decimal("0.0005000"), "mortgage", "arbitration", "上海仲裁委员会")
    second = Contract.objects.get(number="HT-2026-002")
    assert (second.amount_minor, second.payment_terms_days, second.guarantee_type) == (8_800_050, 45, "none")
    assert AuditEvent.objects.filter(action="contract_created").count() == 2


def test_an_xlsx_with_number_and_date_cells(db, tmp_path):
    factories.customer("C001")
    path = write_xlsx(tmp_path / "contracts.xlsx", [
        ["contract_number", "customer_code", "signed_date", "amount", "penalty_rate"],
        ["HT-1", "C001", date(2026, 3, 1), 250000.75, 0.03],
        ["HT-2", "C001", date(2026, 3, 2), 1000, None],
    ])

    assert run("contracts", path).created == 2
    assert list(Contract.objects.order_by("number").values_list("number", "amount_minor", "penalty_rate")) == [
        ("HT-1", 25_000_075, Decimal("0.0300")), ("HT-2", 100_000, Decimal("0"))]


def test_reimport_skips_and_a_changed_amount_is_an_error(db, tmp_path):
    factories.customer("C001")
    rows = [["合同号", "客户编码", "签订日期", "合同金额"], ["HT-1", "C001", "2026-01-05", "1,000.00"]]
    run("contracts", write_csv(tmp_path / "a.csv", rows))
    before = counts()

    assert run("contracts", write_csv(tmp_path / "b.csv", rows)).skipped == 1
    assert counts()["Contract"] == before["Contract"]
    changed = write_csv(tmp_path / "c.csv", [rows[0], ["HT-1", "C001", "2026-01-05", "1,000.01"]])
    assert refused("contracts", changed) == [
        {"line": 2, "column": "合同金额",
         "message": "contract HT-1 already exists with a different 合同金额 (1,000.00 CNY in ARMS)"}]


def test_bad_contract_rows_are_all_reported_and_nothing_is_written(db, tmp_path):
    factories.customer("C001")
    path = write_csv(tmp_path / "contracts.csv", [
        ["合同号", "客户编码", "签订日期", "开始日期", "结束日期", "合同金额", "违约金比例", "担保方式"],
        ["HT-1", "C999", "2026-02-30", "", "", "0", "", ""],
        ["HT-2", "C001", "2026-01-01", "2026-06-01", "2026-05-31", "-100", "120%", "房产"],
        ["", "C001", "", "", "", "", "", ""],
    ])

    assert refused("contracts", path) == [
        {"line": 2, "column": "客户编码", "message": "unknown customer code 'C999'"},
        {"line": 2, "column": "签订日期", "message": "'2026-02-30' is not a date (write it as YYYY-MM-DD)"},
        {"line": 2, "column": "合同金额", "message": "'0' must be greater than zero"},
        {"line": 3, "column": "结束日期", "message": "the contract cannot end before it starts"},
        {"line": 3, "column": "合同金额", "message": "'-100' must be greater than zero"},
        {"line": 3, "column": "违约金比例", "message": "'120%' is more than 100%"},
        {"line": 3, "column": "担保方式", "message": "'房产' is not a known guarantee; use one of 无 (none), "
         "保证 (personal), 抵押 (mortgage), 质押 (pledge), 保函 (bank_guarantee), 保证金 (deposit)"},
        {"line": 4, "column": "合同号", "message": "a value is required"},
        {"line": 4, "column": "签订日期", "message": "a value is required"},
        {"line": 4, "column": "合同金额", "message": "a value is required"},
    ]
