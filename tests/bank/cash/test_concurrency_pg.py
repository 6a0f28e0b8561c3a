"""Real threads against PostgreSQL: two workers applying the same statement line apply it once. The customer, the
invoices and then the line are locked in the one order, and the status is checked under the lock, so the loser is
refused with `line_already_applied` and the books tie."""

from datetime import timedelta

import pytest

from arms.bank.enums import LineStatus
from arms.bank.models import StatementLine
from arms.bank.services.applying import Share, apply_match, line_apply
from arms.bank.services.matching import match_lines
from arms.ledger.models import Invoice, Payment
from tests import factories
from tests.bank.cash.conftest import statement_line
from tests.conftest import ledger_problems, postgres_available
from tests.ledger.concurrency import outcomes, race

pytestmark = [
    pytest.mark.skipif(not postgres_available(),
                       reason="row-lock concurrency needs PostgreSQL: set DATABASE_URL=postgres://..."),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_workers_applying_the_same_line_apply_it_once(account, today):
    customer = factories.customer(name="杭州星河化工有限公司")
    invoice = factories.invoice(customer, net=100_000, tax=13_000, issued=today - timedelta(days=20))
    line = statement_line(account, amount=113_000, on=today - timedelta(days=1), payer="杭州星河化工有限公司")
    match_lines(actor=None, auto=False)
    clerk = factories.user("clerk2", role="finance_clerk")

    def by_the_run():
        return apply_match(actor=None, line=StatementLine.objects.get(pk=line.pk))

    def by_a_clerk():
        return line_apply(actor=clerk, line=StatementLine.objects.get(pk=line.pk),
                          shares=[Share(customer_id=customer.pk, allocations=((invoice.pk, 113_000),))])

    results = race([by_the_run, by_a_clerk])

    assert outcomes(results) == {"ok": 1, "line_already_applied": 1}
    assert Payment.objects.count() == 1
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
    assert StatementLine.objects.get(pk=line.pk).status in (LineStatus.AUTO, LineStatus.MANUAL)
    assert ledger_problems() == {}


def test_many_workers_accepting_the_same_line(account, today):
    customer = factories.customer(name="杭州星河化工有限公司")
    factories.invoice(customer, net=100_000, tax=13_000, issued=today - timedelta(days=20))
    line = statement_line(account, amount=113_000, on=today - timedelta(days=1), payer="杭州星河化工有限公司")
    match_lines(actor=None, auto=False)

    results = race([lambda: apply_match(actor=None, line=StatementLine.objects.get(pk=line.pk))] * 6)

    assert outcomes(results) == {"ok": 1, "line_already_applied": 5}
    assert Payment.objects.count() == 1
    assert ledger_problems() == {}


@pytest.mark.django_db(transaction=False)
def test_the_line_is_locked_after_its_customer_and_invoices(account, today):
    """ADR 0003's order: the customer, the invoices by pk, then the line (the payment it makes is new: nobody else
    can hold it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.ledger.test_lock_order_pg import locks

    customer = factories.customer(name="杭州星河化工有限公司")
    first = factories.invoice(customer, net=100_000, tax=13_000, issued=today - timedelta(days=20))
    second = factories.invoice(customer, net=100_000, tax=13_000, issued=today - timedelta(days=20))
    line = statement_line(account, amount=226_000, on=today - timedelta(days=1), payer="杭州星河化工有限公司")
    with CaptureQueriesContext(connection) as capture:
        line_apply(actor=None, line=line, shares=[Share(customer_id=customer.pk,
                                                        allocations=((first.pk, 113_000), (second.pk, 113_000)))])
    tables = [table for table, _sql in locks(capture)]
    assert tables[:3] == ["customers_customer", "ledger_invoice", "bank_statementline"], tables
