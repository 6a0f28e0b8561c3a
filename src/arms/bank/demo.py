"""Demo data of the bank app, after the ledger is loaded: the company's ICBC basic account and a statement of the
last weeks that pays the seeded open invoices in every way customers pay (clean and noisy references, name only,
one payment for several invoices, short payments, bank charges deducted, a third party paying, lines that are not
receipts). It is imported as a clerk would upload it, so cash application runs on it: most lines apply themselves,
the rest wait on the workbench (/cash/) for the clerk.
"""

from __future__ import annotations

from datetime import date

from arms.bank.enums import LineStatus
from arms.bank.models import BankAccount, StatementLine
from arms.bank.services.accounts import bank_account_create
from arms.bank.services.importing import statement_import
from arms.bench.cashapp import demo_statement_csv
from arms.customers.services import company_ensure

DEMO_ACCOUNT_NUMBER = "1001234509000012345"
DEMO_LINES = 40


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    company = company_ensure()
    account = BankAccount.objects.filter(account_number=DEMO_ACCOUNT_NUMBER).first()
    if account is None:
        account = bank_account_create(actor=None, company=company, name="工行基本户", bank="中国工商银行",
                                      branch="中国工商银行上海浦东分行", account_number=DEMO_ACCOUNT_NUMBER,
                                      ledger_account="100201", profile_key="generic")
    if not StatementLine.objects.filter(account=account).exists():
        data = demo_statement_csv(company, DEMO_LINES, seed=seed, today=today)
        statement_import(actor=None, data=data, filename=f"工行流水-{today:%Y%m}.csv", account=account,
                         profile="generic")
    lines = StatementLine.objects.filter(account=account)
    return {
        "statement lines": lines.count(),
        "statement lines applied automatically": lines.filter(status=LineStatus.AUTO).count(),
        "statement lines waiting for a clerk": lines.filter(
            status__in=[LineStatus.SUGGESTED, LineStatus.UNMATCHED, LineStatus.NEW]).count(),
    }
