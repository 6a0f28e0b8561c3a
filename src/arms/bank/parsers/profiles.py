"""Column layouts of Chinese bank statement exports (对公/对私 流水 in CSV, XLS or XLSX).

A ``ColumnProfile`` names, for each thing ARMS needs from a line, the header texts a bank uses for it, in order of
preference. The built-in profiles cover the layouts of the big banks as their exports are seen in the wild
(preambles before the header, padded cells, a signed amount or separate 收入/支出 columns, 借/贷 written as
"贷 Cr"); ``GENERIC`` knows the common 对公 headers (借方发生额/贷方发生额, 对方户名, 用途, 流水号) and reads any bank
that uses them. A user defines a profile of their own (the same fields) for any other layout and keeps it per account.

Header texts are compared after ``normalise_header``: whitespace (tabs, full-width spaces, the padding some banks put
inside cells) removed, full-width brackets and colons made half-width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"[\s\u3000]+")
_FULL_TO_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "／": "/"})


def normalise_header(text: str) -> str:
    return _SPACE.sub("", str(text)).translate(_FULL_TO_HALF).rstrip(":")


@dataclass(frozen=True)
class ColumnProfile:
    """Which header holds what. Each field lists header texts, the first present one wins; ``remittance`` joins every
    column present (摘要 and 附言 both say something). A line's amount comes from ``credit``/``debit`` columns
    (money in / money out), or from one ``amount`` column that is signed or paired with a ``direction`` column."""

    key: str
    name: str  # shown to users: the bank, or the user's own name for the layout
    signature: tuple[str, ...]  # headers that must all be present for this profile to be chosen
    date: tuple[str, ...]
    credit: tuple[str, ...] = ()
    debit: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    direction: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()
    counterparty_name: tuple[str, ...] = ()
    counterparty_account: tuple[str, ...] = ()
    counterparty_bank: tuple[str, ...] = ()
    remittance: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()
    currency: tuple[str, ...] = ()
    # the counterparty column holds the name followed by the account number ("张三 6666…", CMB's 对手信息)
    name_then_account: bool = False
    credit_marks: tuple[str, ...] = field(default=("贷", "C", "CR", "收", "收入", "入", "+"))
    debit_marks: tuple[str, ...] = field(default=("借", "D", "DR", "支", "支出", "出", "付", "-"))

    def __post_init__(self):
        if not self.date:
            raise ValueError("a profile needs a date column")
        if not (self.amount or (self.credit and self.debit)):
            raise ValueError("a profile needs an amount column, or both a credit and a debit column")


ICBC = ColumnProfile(
    key="icbc",
    name="中国工商银行",
    signature=("交易日期", "记账金额(收入)", "记账金额(支出)"),
    date=("交易日期",),
    credit=("记账金额(收入)",),
    debit=("记账金额(支出)",),
    balance=("余额",),
    counterparty_name=("对方户名",),
    counterparty_account=("对方账户", "对方账号"),
    remittance=("摘要", "交易详情", "交易场所"),
    reference=("流水号", "交易流水号"),
    currency=("记账币种",),
)

CCB = ColumnProfile(
    key="ccb",
    name="中国建设银行",
    signature=("记账日", "支出", "收入", "账户余额"),
    date=("记账日", "交易日期"),
    credit=("收入",),
    debit=("支出",),
    balance=("账户余额",),
    counterparty_name=("对方户名",),
    counterparty_account=("对方账号",),
    remittance=("摘要", "交易地点"),
    reference=("流水号", "交易流水号"),
    currency=("币种",),
)

ABC = ColumnProfile(
    key="abc",
    name="中国农业银行",
    signature=("交易日期", "交易金额", "本次余额", "对手信息"),
    date=("交易日期",),
    amount=("交易金额",),
    balance=("本次余额",),
    counterparty_name=("对手信息",),
    remittance=("交易摘要", "交易附言"),
    reference=("日志号",),
)

BOC = ColumnProfile(
    key="boc",
    name="中国银行",
    signature=("记账日期", "金额", "余额", "对方账户名"),
    date=("记账日期",),
    amount=("金额",),
    balance=("余额",),
    counterparty_name=("对方账户名",),
    counterparty_account=("对方卡号/账号", "对方账号"),
    counterparty_bank=("对方开户行",),
    remittance=("交易名称", "附言"),
    reference=("流水号", "交易流水号"),
    currency=("币别",),
)

BOCOM = ColumnProfile(
    key="bocom",
    name="交通银行",
    signature=("交易日期", "借贷", "交易金额", "对方户名"),
    date=("交易日期",),
    amount=("交易金额",),
    direction=("借贷",),
    balance=("余额",),
    counterparty_name=("对方户名",),
    counterparty_account=("对方账号",),
    remittance=("交易类型", "摘要"),
    reference=("流水号", "交易流水号"),
)

CMB = ColumnProfile(
    key="cmb",
    name="招商银行",
    signature=("记账日期", "交易金额", "联机余额", "对手信息"),
    date=("记账日期",),
    amount=("交易金额",),
    balance=("联机余额",),
    counterparty_name=("对手信息",),
    remittance=("交易摘要", "客户摘要"),
    reference=("流水号", "交易流水号"),
    currency=("货币",),
    name_then_account=True,
)

SPDB = ColumnProfile(
    key="spdb",
    name="上海浦东发展银行",
    signature=("交易日期", "存入金额", "取出金额"),
    date=("交易日期",),
    credit=("存入金额",),
    debit=("取出金额",),
    balance=("余额",),
    counterparty_name=("交易对手名称",),
    counterparty_account=("交易对手账号",),
    remittance=("交易类型", "附言"),
    reference=("流水号",),
)

GENERIC = ColumnProfile(
    key="generic",
    name="通用对公流水",
    signature=(),  # chosen when its own columns are found; see tabular.find_header
    date=("交易日期", "记账日期", "入账日期", "日期", "交易时间"),
    credit=("贷方发生额", "贷方金额", "收入金额", "贷方", "收入", "存入金额", "入账金额"),
    debit=("借方发生额", "借方金额", "支出金额", "借方", "支出", "取出金额", "出账金额"),
    amount=("交易金额", "发生额", "金额"),
    direction=("借贷标志", "借贷方向", "借贷", "收支方向", "收支", "收/支"),
    balance=("余额", "账户余额", "当前余额", "联机余额"),
    counterparty_name=("对方户名", "对方账户名", "对方单位名称", "对方名称", "对方单位", "收(付)方名称", "对方户名称"),
    counterparty_account=("对方账号", "对方账户", "收(付)方账号", "对方卡号/账号"),
    counterparty_bank=("对方开户行", "对方行名", "对方开户机构", "收(付)方开户行"),
    remittance=("摘要", "用途", "附言", "备注", "交易附言", "交易用途"),
    reference=("流水号", "交易流水号", "凭证号", "交易参考号", "柜员流水号"),
    currency=("币种", "币别", "货币"),
)

BUILT_IN: tuple[ColumnProfile, ...] = (ICBC, CCB, ABC, BOC, BOCOM, CMB, SPDB)
BY_KEY = {p.key: p for p in (*BUILT_IN, GENERIC)}
