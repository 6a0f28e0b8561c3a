"""Money for a written-off invoice in a bank statement: the matcher proposes it as a recovery (never applied without
a clerk), and accepting it recovers the write-off and settles the invoice (Dr 1122 / Cr 1231, then 2203 / 1122)."""

from __future__ import annotations

from datetime import date

import pytest

from arms.bank.models import BankAccount
from arms.bank.services.applying import line_accept
from arms.bank.services.matching import match_lines
from arms.domain import cashapp
from arms.ledger.models import Invoice
from arms.writeoffs.services import EvidenceIn, ItemIn, write_off_request_create, write_off_request_sign
from tests.bank.cash.conftest import statement_line
from tests.conftest import ledger_problems
from tests.ledger.helpers import account_balances

pytestmark = pytest.mark.django_db


@pytest.fixture
def written_off(people, debtor):
    request = write_off_request_create(actor=people["collector"], customer=debtor["customer"], reason="bankruptcy",
                                       items=[ItemIn(debtor["first"].pk, 11_300_000)],
                                       evidence=[EvidenceIn("bankruptcy", "r.pdf", b"%PDF")])
    for who in ("finance", "legal", "auditor"):
        write_off_request_sign(actor=people[who], request=request)
    return request


def test_a_line_naming_a_written_off_invoice_is_a_recovery_suggestion_and_accepting_it_recovers(
        people, debtor, written_off, company, today):
    from arms.accounts.roles import roles_sync

    roles_sync()
    account = BankAccount.objects.create(company=company, name="工行基本户", bank="中国工商银行",
                                         account_number="1001200300400500600", ledger_account="100201")
    first = debtor["first"]
    line = statement_line(account, amount=3_000_000, on=today, payer="破产管理人", text=f"{first.number} 破产财产分配")
    run = match_lines(actor=people["clerk"])
    line.refresh_from_db()
    assert (run.auto_applied, line.status, line.customer_id) == (0, "suggested", debtor["customer"].pk)
    assert line.match["allocations"] == [[first.pk, 3_000_000]]
    assert [r["code"] for r in line.reasons] == ["recovery"]
    line_accept(actor=people["clerk"], line=line)
    assert Invoice.objects.get(pk=first.pk).amount_open_minor == 0
    assert account_balances(debtor["customer"])["1231"] == 11_300_000 - 3_000_000
    assert written_off.items.get().write_off.allocations.filter(amount_minor__lt=0).get().amount_minor == -3_000_000
    assert ledger_problems() == {}


def test_the_matcher_offers_a_recovery_only_when_nothing_open_fits():
    customers = [cashapp.Customer(1, "D1", "破产债务人有限公司")]
    open_item = cashapp.Item(10, 1, "INV-10", 50_000, date(2026, 1, 31), date(2026, 1, 1))
    gone = cashapp.Item(11, 1, "INV-11", 80_000, date(2025, 1, 31), date(2025, 1, 1))
    book = cashapp.Book(customers, [open_item], recoverable=[gone])
    paid = cashapp.match(cashapp.Receipt(50_000, date(2026, 2, 1), "破产债务人有限公司"), book)
    assert paid.allocations == ((10, 50_000),) and "recovery" not in {r.code for r in paid.reasons}
    named = cashapp.match(cashapp.Receipt(20_000, date(2026, 2, 1), "管理人", text="INV-11 分配款"), book)
    assert (named.status, named.customer_id, named.allocations) == ("suggested", 1, ((11, 20_000),))
    assert named.reasons[-1].code == "recovery"
    equal = cashapp.match(cashapp.Receipt(80_000, date(2026, 2, 1), "破产债务人有限公司"), book)
    assert (equal.status, equal.allocations) == ("suggested", ((11, 80_000),))
    nothing = cashapp.match(cashapp.Receipt(70_000, date(2026, 2, 1), "破产债务人有限公司"), book)
    assert nothing.allocations == () and nothing.unapplied == 70_000  # an open item exists: no guessing
