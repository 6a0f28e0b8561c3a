"""Double-entry postings for the receivables ledger, in base-currency minor units.

Every document that moves money produces one balanced entry. The functions here only build lines;
the ledger services write them, and a database trigger (PostgreSQL) plus ``arms ledger check``
verify that what is stored balances.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AccountCode(StrEnum):
    """The accounts ARMS posts to, numbered after the PRC enterprise chart of accounts."""

    BANK = "1002"  # 银行存款
    NOTES_RECEIVABLE = "1121"  # 应收票据 (bank and commercial acceptance bills)
    RECEIVABLES = "1122"  # 应收账款 (control account)
    ALLOWANCE = "1231"  # 坏账准备 (allowance for doubtful accounts, a contra account to 1122)
    UNAPPLIED_CASH = "2203"  # 预收账款 / 未核销收款
    OUTPUT_VAT = "22210106"  # 应交税费-应交增值税(销项税额)
    REVENUE = "6001"  # 主营业务收入
    FX_DIFFERENCE = "6603"  # 财务费用: FX differences ...
    FINANCE_COSTS = "6603"  # ... and bank charges, in the same account (an alias of FX_DIFFERENCE)
    CREDIT_IMPAIRMENT = "6702"  # 信用减值损失 (the provision's expense, or its reversal)
    NON_OPERATING_EXPENSE = "6711"  # 营业外支出 (small balances written off, where the company books them there)


ACCOUNT_NAMES = {
    AccountCode.BANK: ("银行存款", "Bank"),
    AccountCode.NOTES_RECEIVABLE: ("应收票据", "Notes receivable (acceptance bills)"),
    AccountCode.RECEIVABLES: ("应收账款", "Accounts receivable"),
    AccountCode.ALLOWANCE: ("坏账准备", "Allowance for doubtful accounts"),
    AccountCode.UNAPPLIED_CASH: ("预收账款（未核销收款）", "Unapplied cash"),
    AccountCode.OUTPUT_VAT: ("应交税费-应交增值税（销项税额）", "Output VAT"),
    AccountCode.REVENUE: ("主营业务收入", "Revenue"),
    AccountCode.FX_DIFFERENCE: ("财务费用", "Finance costs (FX differences, bank charges)"),
    AccountCode.CREDIT_IMPAIRMENT: ("信用减值损失", "Credit impairment losses"),
    AccountCode.NON_OPERATING_EXPENSE: ("营业外支出", "Non-operating expenses"),
}


class UnbalancedEntry(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Line:
    account: AccountCode
    debit: int = 0
    credit: int = 0

    def __post_init__(self) -> None:
        if self.debit < 0 or self.credit < 0 or (self.debit and self.credit):
            raise UnbalancedEntry(f"a line is a debit or a credit, not both and never negative: {self}")


def balanced(lines: list[Line]) -> list[Line]:
    """Drop zero lines and refuse an entry whose debits and credits differ."""
    kept = [line for line in lines if line.debit or line.credit]
    debit = sum(line.debit for line in kept)
    credit = sum(line.credit for line in kept)
    if debit != credit:
        raise UnbalancedEntry(f"debits {debit} != credits {credit}")
    if not kept:
        raise UnbalancedEntry("an entry needs at least one non-zero line")
    return kept


def invoice_lines(*, gross: int, net: int, tax: int) -> list[Line]:
    return balanced([
        Line(AccountCode.RECEIVABLES, debit=gross),
        Line(AccountCode.REVENUE, credit=net),
        Line(AccountCode.OUTPUT_VAT, credit=tax),
    ])


def credit_note_lines(*, gross: int, net: int, tax: int, receivable: int) -> list[Line]:
    """A credit note reverses revenue and VAT and relieves the invoice's receivable.

    ``receivable`` is the AR amount relieved at the invoice's rate; any difference from ``gross`` at the
    credit note's own rate is exchange difference.
    """
    fx = receivable - gross
    return balanced([
        Line(AccountCode.REVENUE, debit=net),
        Line(AccountCode.OUTPUT_VAT, debit=tax),
        Line(AccountCode.FX_DIFFERENCE, debit=fx) if fx > 0 else Line(AccountCode.FX_DIFFERENCE, credit=-fx),
        Line(AccountCode.RECEIVABLES, credit=receivable),
    ])


def payment_lines(*, amount: int, to_notes: bool, charge: int = 0) -> list[Line]:
    """Cash (or an acceptance bill) comes in; until it is allocated it is unapplied cash.

    ``charge`` is the part of ``amount`` the payer's bank deducted (or a cash discount taken): it never reached the
    bank, so it is a finance cost (6603) on its own line, and the whole ``amount`` can settle invoices.
    """
    if not 0 <= charge < amount:
        raise UnbalancedEntry(f"a charge is less than the amount it is deducted from: {charge} of {amount}")
    account = AccountCode.NOTES_RECEIVABLE if to_notes else AccountCode.BANK
    return balanced([
        Line(account, debit=amount - charge),
        Line(AccountCode.FINANCE_COSTS, debit=charge),
        Line(AccountCode.UNAPPLIED_CASH, credit=amount),
    ])


def allocation_lines(*, cash: int, receivable: int) -> list[Line]:
    """Unapplied cash (at the payment's rate) settles receivable (at the invoice's rate); the gap is FX."""
    fx = receivable - cash
    return balanced([
        Line(AccountCode.UNAPPLIED_CASH, debit=cash),
        Line(AccountCode.FX_DIFFERENCE, debit=fx) if fx > 0 else Line(AccountCode.FX_DIFFERENCE, credit=-fx),
        Line(AccountCode.RECEIVABLES, credit=receivable),
    ])


def discount_lines(*, receivable: int) -> list[Line]:
    """An early-payment discount (现金折扣) relieves the receivable (at the invoice's rate) against 6603 财务费用;
    the revenue and the output VAT stay as invoiced (a cash discount does not reduce the VAT base in China)."""
    return balanced([Line(AccountCode.FINANCE_COSTS, debit=receivable),
                     Line(AccountCode.RECEIVABLES, credit=receivable)])


def reversed_lines(lines: list[Line]) -> list[Line]:
    """The mirror entry that cancels ``lines``."""
    return balanced([Line(line.account, debit=line.credit, credit=line.debit) for line in lines])


def write_off_lines(*, account: AccountCode, receivable: int) -> list[Line]:
    """核销坏账: the receivable (at the invoice's rate) leaves 1122 against ``account`` (1231 the allowance for a bad
    debt; 6603 or 6711 for a small balance)."""
    return balanced([Line(account, debit=receivable), Line(AccountCode.RECEIVABLES, credit=receivable)])


def write_off_recovery_lines(*, account: AccountCode, receivable: int) -> list[Line]:
    """A written-off amount the customer pays after all comes back to 1122 (the payment's allocation then settles
    it as usual): the mirror of the write-off for that part."""
    return reversed_lines(write_off_lines(account=account, receivable=receivable))
