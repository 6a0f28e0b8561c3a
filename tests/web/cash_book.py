"""Bank accounts, statements and statement lines for the workbench tests, written as an import leaves them.

Lines are rows of the bank app (the import is not what these tests are about); receipts and allocations are made
through the ledger's services. Dates come from the caller, derived from the frozen today.
"""

from __future__ import annotations

import itertools
from datetime import date

from arms.bank.models import BankAccount, BankStatement, StatementLine
from arms.customers.services import company_ensure

_seq = itertools.count(1)


def bank_account(*, name: str = "工行基本户", number: str = "6222020200112233445", currency: str = "CNY",
                 ledger_account: str = "1002") -> BankAccount:
    return BankAccount.objects.create(company=company_ensure(), name=name, bank="中国工商银行", account_number=number,
                                      currency=currency, ledger_account=ledger_account)


def statement(account: BankAccount, *, first: date, last: date, opening: int | None = 0,
              closing: int | None = None, gap: int | None = None) -> BankStatement:
    return BankStatement.objects.create(account=account, format="cn:icbc", filename=f"流水{next(_seq)}.xlsx",
                                        sha256=f"{next(_seq):064d}", first_date=first, last_date=last,
                                        opening_balance_minor=opening, closing_balance_minor=closing, gap_minor=gap)


def line(stmt: BankStatement, *, amount: int, on: date, payer: str = "", text: str = "", status: str = "new",
         customer=None, match: dict | None = None, reasons: list | None = None, confidence: int = 0,
         payment=None, payer_account: str = "", **fields) -> StatementLine:
    return StatementLine.objects.create(
        account=stmt.account, statement=stmt, booking_date=on, amount_minor=amount, currency=stmt.account.currency,
        bank_reference=fields.pop("reference", f"BR{next(_seq):08d}"), counterparty_name=payer,
        counterparty_account=payer_account, remittance=text, status=status, customer=customer,
        match=match or {}, reasons=reasons or [], confidence=confidence, payment=payment, **fields)
