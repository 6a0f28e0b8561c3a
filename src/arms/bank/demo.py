"""Demo data of the bank app, after the ledger is loaded: the company's ICBC basic account and a statement of the
last weeks that pays the seeded open invoices in every way customers pay (clean and noisy references, name only,
one payment for several invoices, short payments, bank charges deducted, a third party paying, lines that are not
receipts). It is imported as a clerk would upload it, so cash application runs on it: most lines apply themselves,
the rest wait on the workbench (/cash/) for the clerk.
"""

from __future__ import annotations

from datetime import date, timedelta

from arms.bank.enums import LineStatus
from arms.bank.models import BankAccount, StatementLine
from arms.bank.services.accounts import bank_account_create
from arms.bank.services.importing import statement_import
from arms.bench.cashapp import demo_statement_csv
from arms.common.errors import ArmsError
from arms.customers.enums import CustomerStatus
from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.ledger.models import CreditNote, CreditNoteKind, Invoice
from arms.ledger.services import invoice_post, payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest

DEMO_ACCOUNT_NUMBER = "1001234509000012345"
DEMO_LINES = 40
#: the demo's invoices on 2/10, net 30 terms (issued this many days ago); the first is paid inside its window
DISCOUNT_DEMO_AGES = (6, 3, 15)


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
    _discount_demo(today)
    lines = StatementLine.objects.filter(account=account)
    return {
        "invoices on 2/10, net 30": Invoice.objects.filter(number__startswith="INV-DISC-").count(),
        "early-payment discounts granted": CreditNote.objects.filter(kind=CreditNoteKind.DISCOUNT).count(),
        "statement lines": lines.count(),
        "statement lines applied automatically": lines.filter(status=LineStatus.AUTO).count(),
        "statement lines waiting for a clerk": lines.filter(
            status__in=[LineStatus.SUGGESTED, LineStatus.UNMATCHED, LineStatus.NEW]).count(),
    }


def _discount_demo(today: date) -> None:
    """A few invoices on 2/10, net 30 (现金折扣), one of them paid at 98% inside its window: the discount credit note
    shows on its page, the others offer the discount on the statement and the portal until their window closes."""
    if Invoice.objects.filter(number__startswith="INV-DISC-").exists():
        return
    customers = Customer.objects.filter(status=CustomerStatus.ACTIVE, currency="CNY").order_by("code")[:10]
    posted: list[Invoice] = []
    for customer in customers:
        if len(posted) == len(DISCOUNT_DEMO_AGES):
            break
        issued = today - timedelta(days=DISCOUNT_DEMO_AGES[len(posted)])
        try:
            posted.append(invoice_post(
                actor=None, customer=customer, issue_date=issued, net_minor=2_000_000, tax_minor=260_000,
                due_date=issued + timedelta(days=30), number=f"INV-DISC-{len(posted) + 1:03d}",
                description="现金折扣 2/10, n/30", discount_bp=200, discount_until=issued + timedelta(days=10)))
        except ArmsError:  # the credit check holds this customer: take the next
            continue
    if posted:
        first = posted[0]
        paid = first.gross_minor - first.gross_minor * 200 // 10_000
        payment = payment_record(actor=None, customer=first.customer, received_date=today - timedelta(days=1),
                                 amount_minor=paid, payer_name=first.customer.name)
        payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(first.pk, paid)])
