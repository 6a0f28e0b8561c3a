"""The ledger's write-off (核销坏账) and recovery: what they post, what they refuse (writing nothing), and that
``arms ledger check`` holds after every step and catches a write-off gone wrong."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from arms.audit.models import AuditEvent
from arms.common.errors import ArmsError
from arms.ledger import services
from arms.ledger.models import Allocation, Invoice, WriteOff
from arms.ledger.selectors import write_off_net_minor, write_offs_with_net
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.writeoffs import invoice_write_off, write_off_recover
from tests import factories
from tests.conftest import ledger_problems
from tests.ledger.helpers import account_balances, entries, ledger_state

pytestmark = pytest.mark.django_db

RECEIVABLES, ALLOWANCE, FINANCE, NON_OPERATING = "1122", "1231", "6603", "6711"


def refused(call, *, code: str, field: str | None) -> ArmsError:
    before = ledger_state()
    write_offs = WriteOff.objects.count()
    with pytest.raises(ArmsError) as caught:
        call()
    assert (caught.value.code, caught.value.field) == (code, field)
    assert ledger_state() == before
    assert WriteOff.objects.count() == write_offs
    return caught.value


def write_off(invoice, amount, *, on=date(2026, 6, 30), kind="bad_debt", account="1231", actor=None, **kw):
    return invoice_write_off(actor=actor, invoice=invoice, amount_minor=amount, on=on, kind=kind, account=account,
                             reason=kw.pop("reason", "破产清算终结"), **kw)


def test_a_bad_debt_write_off_relieves_the_receivable_against_the_allowance(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)  # 113,000 open
    done = write_off(invoice, 113_000, actor=clerk, reference="WR-1")
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert (done.amount_minor, done.base_minor, done.account, done.reference) == (113_000, 113_000, "1231", "WR-1")
    [allocation] = done.allocations.all()
    assert (allocation.amount_minor, allocation.receivable_base_minor, allocation.cash_base_minor) == (113_000,
                                                                                                       113_000, 0)
    assert entries("write_off") == [[(RECEIVABLES, 0, 113_000), (ALLOWANCE, 113_000, 0)]]
    assert account_balances(customer) == {"1231": 113_000, "6001": -100_000, "22210106": -13_000}
    event = AuditEvent.objects.get(action="invoice_written_off")
    assert event.after["amount_minor"] == 113_000
    assert ledger_problems() == {}


def test_a_small_balance_goes_to_the_expense_account_chosen(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=109_900, actor=clerk)
    services.payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 109_900)],
                              on=date(2026, 2, 1))
    write_off(invoice, 3_100, kind="small_balance", account="6711", reason="银行手续费尾差")
    assert entries("write_off") == [[(RECEIVABLES, 0, 3_100), (NON_OPERATING, 3_100, 0)]]
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
    assert ledger_problems() == {}


def test_a_foreign_currency_write_off_relieves_at_the_invoice_rate_and_lands_exactly(clerk, company):
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1234"))
    customer = factories.customer(currency="USD")
    invoice = factories.invoice(customer, net=1_000, tax=0)  # USD 10.00 = CNY 71.23
    first = write_off(invoice, 333)
    second = write_off(invoice, 667)
    assert first.base_minor + second.base_minor == invoice.gross_base_minor == 7_123
    assert first.base_minor == 2_372  # 71.234 * 0.333 = 23.72
    assert ledger_problems() == {}


def test_a_recovery_opens_the_invoice_again_and_the_payment_settles_it(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    done = write_off(invoice, 113_000)
    payment = factories.payment(customer, amount=40_000, received=date(2026, 8, 1), actor=clerk)
    recovery = write_off_recover(actor=clerk, write_off=done, amount_minor=40_000, on=date(2026, 8, 1),
                                 reason="破产财产分配")
    assert (recovery.amount_minor, recovery.receivable_base_minor, recovery.write_off_id) == (-40_000, -40_000,
                                                                                              done.pk)
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 40_000
    assert entries("write_off_recovery") == [[(RECEIVABLES, 40_000, 0), (ALLOWANCE, 0, 40_000)]]
    services.payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 40_000)],
                              on=date(2026, 8, 1))
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
    assert write_off_net_minor(done) == 73_000
    annotated = write_offs_with_net().get(pk=done.pk)
    assert (annotated.recovered_minor, annotated.net_minor) == (40_000, 73_000)
    # the allowance carries what stays written off; 1122 is back to nothing open
    assert account_balances(customer)[ALLOWANCE] == 73_000
    assert RECEIVABLES not in account_balances(customer)
    assert AuditEvent.objects.filter(action="write_off_recovered").count() == 1
    assert ledger_problems() == {}


def test_a_foreign_currency_write_off_recovered_in_parts_gives_back_exactly_its_base(clerk, company):
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1234"))
    customer = factories.customer(currency="USD")
    invoice = factories.invoice(customer, net=1_000, tax=0)
    done = write_off(invoice, 1_000)
    for amount in (333, 333, 334):
        write_off_recover(actor=None, write_off=done, amount_minor=amount, on=date(2026, 7, 1), reason="收回")
    assert sum(a.receivable_base_minor for a in done.allocations.filter(amount_minor__lt=0)) == -7_123
    assert write_off_net_minor(done) == 0
    assert ledger_problems() == {}


# --- refusals ----------------------------------------------------------------------------------------------


def test_writing_off_more_than_is_open_is_refused(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    refused(lambda: write_off(invoice, 113_001), code="invalid", field="amount_minor")
    refused(lambda: write_off(invoice, 0), code="invalid", field="amount_minor")
    refused(lambda: write_off(invoice, -5), code="invalid", field="amount_minor")


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "bad_debt", "account": "6711"}, "account"),
    ({"kind": "small_balance", "account": "1231"}, "account"),
    ({"kind": "gift", "account": "1231"}, "kind"),
    ({"reason": "  "}, "reason"),
    ({"reason": "x" * 501}, "reason"),
    ({"reference": "x" * 61}, "reference"),
    ({"on": date(2026, 1, 9)}, "date"),  # before the invoice
])
def test_bad_write_off_input_names_the_field_and_writes_nothing(clerk, customer, fields, field):
    invoice = factories.invoice(customer, actor=clerk)
    refused(lambda: write_off(invoice, 1_000, **fields), code="invalid", field=field)


def test_recovering_more_than_was_written_off_is_refused(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    done = write_off(invoice, 50_000)
    write_off_recover(actor=None, write_off=done, amount_minor=30_000, on=date(2026, 7, 1), reason="收回")
    refused(lambda: write_off_recover(actor=None, write_off=done, amount_minor=20_001, on=date(2026, 7, 1),
                                      reason="收回"), code="invalid", field="amount_minor")
    refused(lambda: write_off_recover(actor=None, write_off=done, amount_minor=100, on=date(2026, 6, 29),
                                      reason="收回"), code="invalid", field="date")
    refused(lambda: write_off_recover(actor=None, write_off=done, amount_minor=100, on=date(2026, 7, 1),
                                      reason=""), code="invalid", field="reason")


def test_a_write_off_allocation_cannot_be_reversed_like_a_payment_allocation(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    done = write_off(invoice, 50_000)
    refused(lambda: services.allocation_reverse(actor=clerk, allocation=done.allocations.get(), reason="撤销"),
            code="invalid", field="allocation")


# --- the database and the check ----------------------------------------------------------------------------


def _constraint(name, write):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    assert name in str(caught.value)


def test_the_database_refuses_a_write_off_that_breaks_its_rules(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    done = write_off(invoice, 50_000)
    rows = WriteOff.objects.filter(pk=done.pk)
    _constraint("write_off_amount_positive", lambda: rows.update(amount_minor=0))
    _constraint("write_off_account_allowed", lambda: rows.update(account="1122"))
    _constraint("write_off_kind_fits_account", lambda: rows.update(account="6711"))
    _constraint("write_off_kind_fits_account", lambda: rows.update(kind="small_balance"))
    base = {"company": invoice.company, "invoice": invoice, "date": date(2026, 7, 1), "receivable_base_minor": 1,
            "cash_base_minor": 0}
    _constraint("allocation_from_exactly_one_source",
                lambda: Allocation.objects.create(**base, amount_minor=1, write_off=done,
                                                  payment=factories.payment(customer, amount=100)))
    _constraint("allocation_from_exactly_one_source", lambda: Allocation.objects.create(**base, amount_minor=1))
    _constraint("allocation_amount_positive", lambda: Allocation.objects.create(**base, amount_minor=0,
                                                                                write_off=done))


def test_the_check_finds_a_write_off_without_its_entry_or_recovered_twice(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    done = write_off(invoice, 50_000)
    assert ledger_problems() == {}
    with connection.cursor() as cursor:  # around the services: a recovery with no journal and no open amount back
        cursor.execute(
            "INSERT INTO ledger_allocation (company_id, invoice_id, write_off_id, amount_minor, date,"
            " receivable_base_minor, cash_base_minor, reason, created_at)"
            " VALUES (%s, %s, %s, -60000, '2026-07-01', -60000, 0, '', CURRENT_TIMESTAMP)",
            [invoice.company_id, invoice.pk, done.pk],
        )
    problems = ledger_problems()
    assert {"document_posted", "write_off_consistent", "invoice_open_amount", "receivables_control"} <= set(problems)
