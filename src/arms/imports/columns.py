"""The columns each kind of import understands, and the words accepted for coded values.

A header matches a column when it equals one of the column's names after ``normalize``: full-width
characters become half-width (NFKC), case is ignored, and spaces, underscores, hyphens and asterisks
(the "required" mark of many templates) are dropped. So "客户编码", "Customer Code", "customer_code"
and "ＣＵＳＴＯＭＥＲ＿ＣＯＤＥ" all name the same column. The first name of each column is the Chinese
one shown in templates and messages, the second the English one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from arms.imports.errors import ImportInvalid, RowError

KINDS = ("customers", "contracts", "invoices", "payments")

_DROPPED = re.compile(r"[\s_\-*]")


def normalize(text: str) -> str:
    return _DROPPED.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Column:
    key: str
    names: tuple[str, ...]
    required: bool = False

    @property
    def label(self) -> str:
        return self.names[0]


def _c(key: str, *names: str, required: bool = False) -> Column:
    return Column(key, names, required)


CUSTOMER_CODE = _c("customer_code", "客户编码", "customer_code", "客户代码", "客户编号", required=True)
CURRENCY = _c("currency", "币种", "currency")
TERMS_DAYS = _c("payment_terms_days", "账期天数", "payment_terms_days", "账期", "payment_terms")
TERMS_BASIS = _c("payment_terms_basis", "账期基准", "payment_terms_basis")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "customers": (
        _c("code", "客户编码", "customer_code", "客户代码", "客户编号", "code", required=True),
        _c("name", "客户名称", "name", "customer_name", required=True),
        _c("uscc", "统一社会信用代码", "uscc", "信用代码", "纳税人识别号"),
        _c("industry", "行业", "industry"),
        _c("region", "区域", "region", "地区"),
        _c("province", "省份", "province"),
        _c("address", "地址", "address", "注册地址"),
        _c("salesperson", "业务员", "salesperson", "销售员"),
        _c("collector", "催收员", "collector"),
        TERMS_DAYS,
        TERMS_BASIS,
        CURRENCY,
        _c("notes", "备注", "notes"),
    ),
    "contracts": (
        _c("number", "合同号", "contract_number", "合同编号", "number", required=True),
        CUSTOMER_CODE,
        _c("title", "合同名称", "title"),
        _c("signed_date", "签订日期", "signed_date", required=True),
        _c("start_date", "开始日期", "start_date"),
        _c("end_date", "结束日期", "end_date"),
        _c("amount", "合同金额", "amount", "contract_amount", required=True),
        CURRENCY,
        TERMS_DAYS,
        TERMS_BASIS,
        _c("penalty_rate", "违约金比例", "penalty_rate"),
        _c("late_interest_rate_daily", "逾期利率(日)", "late_interest_rate_daily", "日逾期利率", "逾期利率"),
        _c("penalty_clause", "违约条款", "penalty_clause"),
        _c("guarantee_type", "担保方式", "guarantee_type"),
        _c("guarantee_details", "担保说明", "guarantee_details"),
        _c("dispute_resolution", "争议解决", "dispute_resolution", "争议解决方式"),
        _c("dispute_venue", "管辖地", "dispute_venue", "争议解决地"),
    ),
    "invoices": (
        _c("number", "发票号", "number", "invoice_number", required=True),
        CUSTOMER_CODE,
        _c("contract_number", "合同号", "contract_number", "合同编号"),
        _c("issue_date", "开票日期", "issue_date", "invoice_date", required=True),
        _c("due_date", "到期日", "due_date", "到期日期"),
        _c("net", "不含税金额", "net", "net_amount", "金额", required=True),
        _c("tax", "税额", "tax", "tax_amount"),
        _c("gross", "价税合计", "gross", "gross_amount", "含税金额"),
        CURRENCY,
        _c("vat_invoice_code", "发票代码", "vat_invoice_code"),
        _c("vat_invoice_number", "发票号码", "vat_invoice_number"),
        _c("description", "摘要", "description"),
    ),
    "payments": (
        _c("number", "收款单号", "number", "payment_number", "receipt_number", required=True),
        CUSTOMER_CODE,
        _c("received_date", "收款日期", "received_date", "到账日期", required=True),
        _c("amount", "金额", "amount", "收款金额", required=True),
        CURRENCY,
        _c("method", "方式", "method", "收款方式", "结算方式"),
        _c("bill_number", "票据号", "bill_number", "票据号码", "汇票号码"),
        _c("bill_maturity_date", "到期日", "bill_maturity_date", "票据到期日"),
        _c("payer_name", "付款人", "payer_name", "付款单位"),
        _c("bank_reference", "银行流水号", "bank_reference", "流水号"),
        _c("invoice_number", "发票号", "invoice_number"),
    ),
}

#: headers that carry no data for ARMS (a running row number) and are read past.
IGNORED = frozenset(normalize(name) for name in ("序号", "行号", "no", "no."))


@dataclass(frozen=True)
class Header:
    """The header row of a file: which cell position holds which column ("" for an ignored one), and
    how the file names each column."""

    kind: str
    line: int
    positions: dict[int, str]
    labels: dict[str, str]

    def label(self, key: str) -> str:
        """The column as the file names it, or its Chinese name if the file does not have it."""
        if key in self.labels:
            return self.labels[key]
        return next(c.label for c in COLUMNS[self.kind] if c.key == key)


def header_read(kind: str, line: int, cells: list[str]) -> Header:
    """Map the header cells to columns; raise ImportInvalid naming every unknown, doubled or missing one."""
    by_name = {normalize(name): column for column in COLUMNS[kind] for name in column.names}
    positions: dict[int, str] = {}
    labels: dict[str, str] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        text = cell.strip()
        if not text:
            continue
        if normalize(text) in IGNORED:
            positions[index] = ""
            continue
        column = by_name.get(normalize(text))
        if column is None:
            errors.append(RowError(line, text, _("unknown column; the columns of %(kind)s files are %(names)s")
                                   % {"kind": kind, "names": ", ".join(c.label for c in COLUMNS[kind])}))
        elif column.key in labels:
            errors.append(RowError(line, text, _("the same column as %(other)s") % {"other": labels[column.key]}))
        else:
            positions[index] = column.key
            labels[column.key] = text
    for column in COLUMNS[kind]:
        if column.required and column.key not in labels:
            errors.append(RowError(line, column.label, _("required column is missing (name it %(names)s)")
                                   % {"names": " / ".join(column.names[:2])}))
    if errors:
        raise ImportInvalid(errors)
    return Header(kind, line, positions, labels)


@dataclass(frozen=True)
class Vocabulary:
    """The words accepted for a coded value: each code, and Chinese or English synonyms of it."""

    words: dict[str, str]
    hint: str

    def code(self, text: str) -> str | None:
        return self.words.get(normalize(text))


def _vocabulary(pairs: dict[str, tuple[str, ...]]) -> Vocabulary:
    words = {}
    for code, synonyms in pairs.items():
        for word in (code, *synonyms):
            words[normalize(word)] = code
    hint = ", ".join(f"{synonyms[0]} ({code})" for code, synonyms in pairs.items())
    return Vocabulary(words, hint)


PAYMENT_METHODS = _vocabulary({
    "bank_transfer": ("电汇", "转账", "银行转账", "bank transfer"),
    "bank_acceptance": ("银行承兑汇票", "银承", "银行承兑", "bank acceptance bill"),
    "commercial_acceptance": ("商业承兑汇票", "商承", "商业承兑", "commercial acceptance bill"),
    "cash": ("现金",),
    "online": ("网银", "网上银行", "第三方支付", "在线支付", "online payment"),
})
INDUSTRIES = _vocabulary({
    "manufacturing": ("制造业", "制造"),
    "construction": ("建筑业", "建筑"),
    "wholesale": ("批发和零售业", "批发零售", "批发", "零售"),
    "automotive": ("汽车",),
    "electronics": ("电子",),
    "energy": ("能源",),
    "logistics": ("物流", "交通运输"),
    "healthcare": ("医疗", "医疗健康", "医药"),
    "agriculture": ("农业",),
    "services": ("服务业", "服务"),
    "public": ("政府", "公共事业", "政府及公共事业"),
    "other": ("其他",),
})
REGIONS = _vocabulary({
    "north": ("华北",),
    "northeast": ("东北",),
    "east": ("华东",),
    "south": ("华南",),
    "central": ("华中",),
    "southwest": ("西南",),
    "northwest": ("西北",),
    "overseas": ("海外", "境外"),
})
TERM_BASES = _vocabulary({
    "invoice_date": ("发票日", "开票日", "按发票日"),
    "month_end": ("月结", "月末"),
})
GUARANTEES = _vocabulary({
    "none": ("无",),
    "personal": ("保证",),
    "mortgage": ("抵押",),
    "pledge": ("质押",),
    "bank_guarantee": ("保函", "银行保函"),
    "deposit": ("保证金",),
})
DISPUTE_RESOLUTIONS = _vocabulary({
    "litigation": ("诉讼",),
    "arbitration": ("仲裁",),
})
