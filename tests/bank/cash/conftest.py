"""Cash application works on the database: roles back (tests/bank/conftest.py turns them off for the parsers)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from arms.bank.models import BankAccount, BankStatement, StatementLine

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _roles(db):
    from arms.accounts.roles import roles_present, roles_sync

    if not roles_present():
        roles_sync()


@pytest.fixture
def account(company):
    return BankAccount.objects.create(company=company, name="工行基本户", bank="中国工商银行",
                                      account_number="1001200300400500600", ledger_account="100201")


def statement_line(account, *, amount: int, on: date, payer: str = "", payer_account: str = "", text: str = "",
                   reference: str | None = None, **fields) -> StatementLine:
    """A line as an import leaves it: NEW, nothing decided."""
    n = next(_seq)
    statement = BankStatement.objects.create(account=account, format="test", filename=f"test-{n}.csv",
                                             sha256=f"{n:064d}", first_date=on, last_date=on)
    return StatementLine.objects.create(
        account=account, statement=statement, booking_date=on, amount_minor=amount, currency="CNY",
        bank_reference=reference if reference is not None else f"REF{n:08d}", counterparty_name=payer,
        counterparty_account=payer_account, remittance=text, **fields,
    )
