"""Ledger services: every refusal names its code and field and writes nothing; every posting writes the
journal entry the design page (docs/domain/ledger.md) says it does."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from arms.audit.models import AuditEvent
from arms.common.errors import ArmsError, ValidationFailed
from arms.contracts.services import contract_create
from arms.ledger import services
from arms.ledger.enums import EntryKind, PaymentStatus
from arms.ledger.errors import AlreadyReversed
from arms.ledger.models import Allocation, JournalEntry
from arms.ledger.selectors import customer_statement
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems
from tests.ledger.helpers import account_balances, entries, entry_lines, ledger_state

pytestmark = pytest.mark.django_db

RECEIVABLES, BANK, NOTES, UNAPPLIED, VAT, REVENUE, FX = "1122", "1002", "1121", "2203", "22210106", "6001", "6603"


def refused(call, *, code: str, field: str | None, status: int | None = None) -> ArmsError:
    """Run a call that must be refused; assert its code and field and that nothing at all was written."""
    before = ledger_state()
    with pytest.raises(ArmsError) as caught:
        call()
    assert (caught.value.code, caught.value.field) == (code, field)
    if status is not None:
        assert caught.value.status == status
    assert ledger_state() == before
    return caught.value


def allocate(payment, *pairs, on=date(2026, 2, 1), actor=None, **kw):
    lines = [AllocationRequest(invoice.pk, amount) for invoice, amount in pairs]
    return services.payment_allocate(actor=actor, payment=payment, lines=lines, on=on, **kw)


@pytest.fixture
def usd_customer(company):
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1234"))
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 2, 1), rate=Decimal("7.2"))
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 3, 1), rate=Decimal("7.05"))
    return factories.customer(currency="USD")


# --- refusals -------------------------------------------------------------------------------------------


def test_allocating_more_than_an_invoice_has_open_is_refused(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)  # 113,000 open
    payment = factories.payment(customer, amount=200_000, actor=clerk)
    error = refused(lambda: allocate(payment, (invoice, 113_001), actor=clerk),
                    code="over_allocation", field="lines[0].amount_minor", status=409)
    assert error.message == "Invoice INV-000001 has only 1,130.00 CNY open; 1,130.01 CNY was asked."


def test_the_refusal_writes_amounts_as_people_do_in_chinese_too(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=200_000, actor=clerk)

    with translation.override("zh-hans"):
        error = refused(lambda: allocate(payment, (invoice, 113_001), actor=clerk),
                        code="over_allocation", field="lines[0].amount_minor", status=409)

    assert error.message == f"发票 {invoice.number} 仅剩 1,130.00 CNY 未结，但要求核销 1,130.01 CNY。"


def test_two_lines_on_one_invoice_count_together(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=200_000, actor=clerk)
    refused(lambda: allocate(payment, (invoice, 100_000), (invoice, 13_001), actor=clerk),
            code="over_allocation", field="lines[1].amount_minor")


def test_allocating_more_than_the_payment_has_left_is_refused(clerk, customer):
    first = factories.invoice(customer, actor=clerk)
    second = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=150_000, actor=clerk)
    allocate(payment, (first, 100_000), actor=clerk)
    refused(lambda: allocate(payment, (second, 50_001), actor=clerk), code="over_allocation", field="lines")


def test_allocating_a_usd_payment_to_a_cny_invoice_is_refused(clerk, customer, usd_customer):
    invoice = factories.invoice(customer, actor=clerk)
    usd_invoice = factories.invoice(usd_customer, actor=clerk)
    payment = factories.payment(customer, amount=113_000, actor=clerk, currency="USD")
    refused(lambda: allocate(payment, (invoice, 100), actor=clerk),
            code="currency_mismatch", field="lines[0].invoice_id", status=422)
    # another customer's invoice is not merely a currency problem: it is not this customer's at all
    refused(lambda: allocate(payment, (usd_invoice, 100), actor=clerk), code="invalid", field="lines[0].invoice_id")


def test_allocation_amounts_must_be_positive_whole_minor_units(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, actor=clerk)
    refused(lambda: allocate(payment, (invoice, 0), actor=clerk), code="invalid", field="lines[0].amount_minor")
    refused(lambda: allocate(payment, (invoice, -5), actor=clerk), code="invalid", field="lines[0].amount_minor")
    refused(lambda: allocate(payment, (invoice, Decimal("1.5")), actor=clerk), code="invalid",
            field="lines[0].amount_minor")
    refused(lambda: services.payment_allocate(actor=clerk, payment=payment, lines=[]), code="invalid", field="lines")


def test_an_allocation_cannot_predate_the_payment_or_the_invoice(clerk, customer):
    invoice = factories.invoice(customer, issued=date(2026, 3, 1), actor=clerk)
    payment = factories.payment(customer, received=date(2026, 2, 1), actor=clerk)
    refused(lambda: allocate(payment, (invoice, 100), on=date(2026, 1, 31), actor=clerk), code="invalid",
            field="date")
    refused(lambda: allocate(payment, (invoice, 100), on=date(2026, 2, 15), actor=clerk), code="invalid",
            field="date")
    # auto-allocation on the payment's date leaves the invoice that did not exist yet alone
    before = ledger_state()
    assert services.payment_auto_allocate(actor=clerk, payment=payment, on=date(2026, 2, 15)) == []
    assert ledger_state() == before
    made = services.payment_auto_allocate(actor=clerk, payment=payment, on=date(2026, 3, 1))
    assert [(a.invoice_id, a.amount_minor, a.date) for a in made] == [(invoice.pk, 113_000, date(2026, 3, 1))]


def test_a_reversed_payment_cannot_be_allocated_or_reversed_again(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, actor=clerk)
    services.payment_reverse(actor=clerk, payment=payment, reason="退票", on=date(2026, 2, 2))
    refused(lambda: allocate(payment, (invoice, 100), on=date(2026, 2, 3), actor=clerk),
            code="already_reversed", field="payment", status=409)
    refused(lambda: services.payment_reverse(actor=clerk, payment=payment, reason="again", on=date(2026, 2, 3)),
            code="already_reversed", field="payment")
    refused(lambda: services.payment_reverse(actor=clerk, payment=payment, reason="  "), code="invalid",
            field="reason")


def test_a_payment_reversal_cannot_predate_its_allocations(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, received=date(2026, 2, 1), actor=clerk)
    allocate(payment, (invoice, 1_000), on=date(2026, 3, 1), actor=clerk)
    refused(lambda: services.payment_reverse(actor=clerk, payment=payment, reason="退票", on=date(2026, 1, 31)),
            code="invalid", field="date")
    refused(lambda: services.payment_reverse(actor=clerk, payment=payment, reason="退票", on=date(2026, 2, 20)),
            code="invalid", field="date")


def test_crediting_more_than_is_open_is_refused(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)  # 113,000
    payment = factories.payment(customer, amount=100_000, actor=clerk)
    allocate(payment, (invoice, 100_000), actor=clerk)
    refused(lambda: services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=12_000,
                                              tax_minor=1_001, reason="折让"),
            code="over_allocation", field="net_minor", status=409)
    refused(lambda: services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=0,
                                              tax_minor=0, reason="折让"), code="invalid", field="net_minor")
    refused(lambda: services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=100,
                                              tax_minor=0, reason=" "), code="invalid", field="reason")
    refused(lambda: services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 1, 9), net_minor=100,
                                              tax_minor=0, reason="折让"), code="invalid", field="date")


def test_an_inactive_customer_cannot_be_invoiced(clerk, company):
    customer = factories.customer(status="inactive")
    refused(lambda: factories.invoice(customer, actor=clerk), code="invalid", field="customer")


def test_an_invoice_cannot_name_another_customers_contract(clerk, customer):
    other = factories.customer()
    contract = contract_create(actor=clerk, customer=other, number="HT-2026-001", signed_date=date(2026, 1, 1),
                               amount_minor=1_000_000)
    refused(lambda: factories.invoice(customer, contract=contract, actor=clerk), code="invalid", field="contract")


def test_invoice_amounts_and_dates_are_checked(clerk, customer):
    refused(lambda: factories.invoice(customer, net=-1, actor=clerk), code="invalid", field="net_minor")
    refused(lambda: factories.invoice(customer, net=0, tax=0, actor=clerk), code="invalid", field="net_minor")
    refused(lambda: factories.invoice(customer, due_date=date(2026, 1, 9), actor=clerk), code="invalid",
            field="due_date")
    refused(lambda: factories.invoice(customer, currency="US", actor=clerk), code="invalid", field="currency")


def test_duplicate_document_numbers_are_refused(clerk, customer):
    invoice = factories.invoice(customer, number="INV-A", actor=clerk)
    factories.payment(customer, number="RCV-A", actor=clerk)
    services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 1, 20), net_minor=100, tax_minor=0,
                              reason="折让", number="CN-A")
    other = factories.customer()  # numbers are unique per company, not per customer
    refused(lambda: factories.invoice(other, number="INV-A", actor=clerk), code="duplicate_number", field="number",
            status=409)
    refused(lambda: factories.payment(other, number="RCV-A", actor=clerk), code="duplicate_number", field="number")
    refused(lambda: services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 1, 20), net_minor=100,
                                              tax_minor=0, reason="折让", number="CN-A"),
            code="duplicate_number", field="number")


def test_a_foreign_currency_document_needs_a_rate_on_or_before_its_date(clerk, company):
    customer = factories.customer(currency="EUR")
    refused(lambda: factories.invoice(customer, actor=clerk), code="missing_exchange_rate", field="currency")
    refused(lambda: factories.payment(customer, actor=clerk), code="missing_exchange_rate", field="currency")
    services.exchange_rate_set(actor=clerk, currency="EUR", on=date(2026, 1, 11), rate=Decimal("7.8"))
    refused(lambda: factories.invoice(customer, issued=date(2026, 1, 10), actor=clerk),
            code="missing_exchange_rate", field="currency")
    invoice = factories.invoice(customer, issued=date(2026, 1, 12), actor=clerk)
    assert (invoice.fx_rate, invoice.gross_base_minor) == (Decimal("7.8"), 881_400)


def test_a_bill_needs_its_number_and_a_maturity_after_receipt(clerk, customer):
    def bill(**kw):
        return lambda: factories.payment(customer, actor=clerk, method="bank_acceptance", **kw)

    refused(bill(bill_number="BA-1"), code="invalid", field="bill_maturity_date")
    refused(bill(bill_number="BA-1", bill_maturity_date=date(2026, 1, 31)), code="invalid",
            field="bill_maturity_date")
    refused(bill(bill_maturity_date=date(2026, 8, 1)), code="invalid", field="bill_number")
    refused(lambda: factories.payment(customer, actor=clerk, method="cheque"), code="invalid", field="method")
    refused(lambda: factories.payment(customer, amount=0, actor=clerk), code="invalid", field="amount_minor")


def test_an_amount_worth_less_than_a_fen_is_refused(clerk, company):
    services.exchange_rate_set(actor=clerk, currency="VND", on=date(2026, 1, 1), rate=Decimal("0.00028"))
    customer = factories.customer(currency="VND")
    refused(lambda: factories.invoice(customer, net=10, tax=0, actor=clerk), code="invalid", field="net_minor")
    refused(lambda: factories.payment(customer, amount=10, actor=clerk), code="invalid", field="amount_minor")


# --- idempotency ----------------------------------------------------------------------------------------


def test_the_same_idempotency_key_returns_the_same_invoice_and_books_once(clerk, customer):
    first = factories.invoice(customer, actor=clerk, idempotency_key="erp-42")
    state = ledger_state()
    again = factories.invoice(customer, actor=clerk, idempotency_key="erp-42")
    assert again.pk == first.pk
    assert ledger_state() == state
    assert JournalEntry.objects.filter(invoice=first).count() == 1
    error = refused(lambda: factories.invoice(customer, net=100_001, actor=clerk, idempotency_key="erp-42"),
                    code="idempotency_key_reused", field="idempotency_key", status=409)
    assert "erp-42" in error.message


def test_the_same_idempotency_key_allocates_once(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, actor=clerk)
    first = allocate(payment, (invoice, 1_000), (invoice, 2_000), actor=clerk, idempotency_key="alloc-1")
    state = ledger_state()
    again = allocate(payment, (invoice, 1_000), (invoice, 2_000), actor=clerk, idempotency_key="alloc-1")
    assert [a.pk for a in again] == [a.pk for a in first]
    assert [a.amount_minor for a in again] == [1_000, 2_000]
    assert ledger_state() == state
    refused(lambda: allocate(payment, (invoice, 1_000), actor=clerk, idempotency_key="alloc-1"),
            code="idempotency_key_reused", field="idempotency_key")


def test_the_same_idempotency_key_records_one_payment(clerk, customer):
    first = factories.payment(customer, actor=clerk, idempotency_key="bank-7")
    state = ledger_state()
    assert factories.payment(customer, actor=clerk, idempotency_key="bank-7").pk == first.pk
    assert ledger_state() == state


# --- what each posting writes ---------------------------------------------------------------------------


def test_an_invoice_debits_receivables_and_credits_revenue_and_vat(clerk, customer):
    invoice = factories.invoice(customer, net=100_000, tax=13_000, actor=clerk)
    assert (invoice.number, invoice.amount_open_minor, invoice.gross_base_minor) == ("INV-000001", 113_000, 113_000)
    assert entries(EntryKind.INVOICE, invoice=invoice) == [[(RECEIVABLES, 113_000, 0), (VAT, 0, 13_000),
                                                            (REVENUE, 0, 100_000)]]


def test_a_bill_goes_to_notes_receivable(clerk, customer):
    bill = factories.payment(customer, amount=50_000, actor=clerk, method="commercial_acceptance",
                             bill_number="CA-9", bill_maturity_date=date(2026, 8, 1))
    assert entries(EntryKind.PAYMENT, payment=bill) == [[(NOTES, 50_000, 0), (UNAPPLIED, 0, 50_000)]]
    assert account_balances(customer) == {NOTES: 50_000, UNAPPLIED: -50_000}


def test_a_credit_note_reverses_revenue_and_vat_and_reduces_the_open_amount(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    note = services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=10_000,
                                     tax_minor=1_300, reason="质量折让")
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 101_700
    assert (note.number, note.gross_minor, note.gross_base_minor) == ("CN-000001", 11_300, 11_300)
    assert entries(EntryKind.CREDIT_NOTE, credit_note=note) == [[(RECEIVABLES, 0, 11_300), (VAT, 1_300, 0),
                                                                 (REVENUE, 10_000, 0)]]
    assert account_balances(customer) == {RECEIVABLES: 101_700, VAT: -11_700, REVENUE: -90_000}
    assert ledger_problems() == {}


def test_reversing_an_allocation_posts_its_mirror_and_reopens_the_invoice(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    [allocation] = allocate(payment, (invoice, 30_000), actor=clerk)
    assert entries(EntryKind.ALLOCATION, allocation=allocation) == [[(RECEIVABLES, 0, 30_000),
                                                                     (UNAPPLIED, 30_000, 0)]]

    reversal = services.allocation_reverse(reason="重复", actor=clerk, allocation=allocation, on=date(2026, 2, 3))

    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert (invoice.amount_open_minor, payment.amount_unallocated_minor) == (113_000, 50_000)
    assert (reversal.amount_minor, reversal.reverses_id, reversal.date) == (-30_000, allocation.pk, date(2026, 2, 3))
    assert entries(EntryKind.ALLOCATION_REVERSAL, allocation=reversal) == [[(RECEIVABLES, 30_000, 0),
                                                                            (UNAPPLIED, 0, 30_000)]]
    assert account_balances(customer) == {RECEIVABLES: 113_000, BANK: 50_000, UNAPPLIED: -50_000, VAT: -13_000,
                                          REVENUE: -100_000}
    refused(lambda: services.allocation_reverse(reason="重复", actor=clerk, allocation=allocation),
            code="already_reversed", field="allocation")
    refused(lambda: services.allocation_reverse(reason="重复", actor=clerk, allocation=reversal), code="invalid",
            field="allocation")
    assert ledger_problems() == {}


def test_an_allocation_undo_cannot_predate_it_and_a_credit_notes_allocation_cannot_be_undone(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, actor=clerk)
    [allocation] = allocate(payment, (invoice, 1_000), on=date(2026, 2, 10), actor=clerk)
    refused(lambda: services.allocation_reverse(reason="重复", actor=clerk, allocation=allocation, on=date(2026, 2, 9)),
            code="invalid", field="date")
    note = services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=100, tax_minor=0,
                                     reason="折让")
    refused(lambda: services.allocation_reverse(reason="重复", actor=clerk, allocation=note.allocations.get()),
            code="invalid", field="allocation")


def test_reversing_a_payment_undoes_its_allocations_then_the_receipt(clerk, customer):
    first = factories.invoice(customer, actor=clerk)
    second = factories.invoice(customer, net=50_000, tax=6_500, actor=clerk)
    payment = factories.payment(customer, amount=150_000, actor=clerk)
    allocate(payment, (first, 113_000), (second, 30_000), actor=clerk)
    events_before = AuditEvent.objects.count()

    services.payment_reverse(actor=clerk, payment=payment, reason="银行退票", on=date(2026, 2, 10))

    payment.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (payment.status, payment.amount_unallocated_minor, payment.reversal_date) == (
        PaymentStatus.REVERSED, 0, date(2026, 2, 10))
    assert (first.amount_open_minor, second.amount_open_minor) == (113_000, 56_500)
    assert entries(EntryKind.ALLOCATION_REVERSAL) == [[(RECEIVABLES, 113_000, 0), (UNAPPLIED, 0, 113_000)],
                                                      [(RECEIVABLES, 30_000, 0), (UNAPPLIED, 0, 30_000)]]
    assert entries(EntryKind.PAYMENT_REVERSAL, payment=payment) == [[(BANK, 0, 150_000), (UNAPPLIED, 150_000, 0)]]
    assert account_balances(customer) == {RECEIVABLES: 169_500, VAT: -19_500, REVENUE: -150_000}
    assert list(AuditEvent.objects.filter(seq__gt=events_before).values_list("action", flat=True)) == [
        "allocation_reversed", "allocation_reversed", "payment_reversed"]
    assert ledger_problems() == {}


def test_auto_allocation_settles_the_oldest_due_first(clerk, customer):
    late = factories.invoice(customer, issued=date(2026, 1, 20), actor=clerk)  # due 2026-02-19
    early = factories.invoice(customer, issued=date(2026, 1, 5), actor=clerk)  # due 2026-02-04
    payment = services.payment_record(actor=clerk, customer=customer, received_date=date(2026, 2, 1),
                                      amount_minor=150_000, auto_allocate=True)
    late.refresh_from_db()
    early.refresh_from_db()
    assert (early.amount_open_minor, late.amount_open_minor, payment.amount_unallocated_minor) == (0, 76_000, 0)
    assert list(Allocation.objects.filter(payment=payment).order_by("pk").values_list("invoice_id", "amount_minor",
                                                                                         "date")) == [
        (early.pk, 113_000, date(2026, 2, 1)), (late.pk, 37_000, date(2026, 2, 1))]


# --- foreign currency -----------------------------------------------------------------------------------


def test_a_usd_invoice_paid_in_two_parts_relieves_exactly_its_gross_base(clerk, usd_customer):
    invoice = factories.invoice(usd_customer, net=100_000, tax=13_000, issued=date(2026, 1, 10), actor=clerk)
    assert (invoice.currency, invoice.fx_rate) == ("USD", Decimal("7.1234"))
    assert (invoice.gross_base_minor, invoice.net_base_minor, invoice.tax_base_minor) == (804_944, 712_340, 92_604)

    first = factories.payment(usd_customer, amount=33_333, received=date(2026, 2, 1), actor=clerk)
    [part1] = allocate(first, (invoice, 33_333), on=date(2026, 2, 1), actor=clerk)
    # cash at 7.2 = 2,399.98 CNY settles receivable booked at 7.1234 = 2,374.44 CNY: a 25.54 CNY gain
    assert (part1.cash_base_minor, part1.receivable_base_minor) == (239_998, 237_444)
    assert entries(EntryKind.ALLOCATION, allocation=part1) == [[(RECEIVABLES, 0, 237_444), (UNAPPLIED, 239_998, 0),
                                                                (FX, 0, 2_554)]]

    second = factories.payment(usd_customer, amount=79_667, received=date(2026, 3, 1), actor=clerk)
    [part2] = allocate(second, (invoice, 79_667), on=date(2026, 3, 1), actor=clerk)
    assert (part2.cash_base_minor, part2.receivable_base_minor) == (561_652, 567_500)
    assert part1.receivable_base_minor + part2.receivable_base_minor == invoice.gross_base_minor

    assert account_balances(usd_customer) == {BANK: 801_650, FX: 3_294, REVENUE: -712_340, VAT: -92_604}
    assert ledger_problems() == {}


def test_a_usd_credit_note_at_a_later_rate_puts_the_difference_in_6603(clerk, usd_customer):
    invoice = factories.invoice(usd_customer, issued=date(2026, 1, 10), actor=clerk)
    services.exchange_rate_set(actor=clerk, currency="USD", on=date(2026, 2, 10), rate=Decimal("7.3"))
    note = services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 10), net_minor=10_000,
                                     tax_minor=1_300, reason="退货")
    assert (note.gross_base_minor, note.net_base_minor, note.tax_base_minor) == (82_490, 73_000, 9_490)
    assert entry_lines(JournalEntry.objects.get(credit_note=note)) == [
        (RECEIVABLES, 0, 80_494), (VAT, 9_490, 0), (REVENUE, 73_000, 0), (FX, 0, 1_996)]
    assert ledger_problems() == {}


def test_tiny_won_allocations_after_a_reversal_still_post(clerk, company):
    """Regression: where one minor unit is worth about a fen or less, a small allocation after a reversal
    used to relieve a negative amount (an unbookable journal line, a 500) or exactly nothing (an empty entry)."""
    services.exchange_rate_set(actor=clerk, currency="KRW", on=date(2026, 1, 1), rate=Decimal("0.00286"))
    customer = factories.customer(currency="KRW")
    invoice = factories.invoice(customer, net=14, tax=0, actor=clerk)
    payment = factories.payment(customer, amount=14, actor=clerk)
    assert (invoice.gross_base_minor, payment.amount_base_minor) == (4, 4)

    a3 = allocate(payment, (invoice, 3), actor=clerk)[0]
    a2 = allocate(payment, (invoice, 2), actor=clerk)[0]
    allocate(payment, (invoice, 1), actor=clerk)
    services.allocation_reverse(reason="重复", actor=clerk, allocation=a2, on=date(2026, 2, 1))
    tiny = allocate(payment, (invoice, 1), actor=clerk)[0]
    assert (a3.receivable_base_minor, a2.receivable_base_minor, tiny.receivable_base_minor) == (1, 0, 0)
    assert not JournalEntry.objects.filter(allocation=tiny).exists()
    assert ledger_problems() == {}

    last = allocate(payment, (invoice, 9), actor=clerk)[0]
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert (last.receivable_base_minor, last.cash_base_minor) == (2, 2)
    assert sum(invoice.allocations.values_list("receivable_base_minor", flat=True)) == 4
    assert account_balances(customer) == {BANK: 4, REVENUE: -4}
    assert ledger_problems() == {}


# --- statement (对账单) ---------------------------------------------------------------------------------


def test_statement_opening_and_closing_balances(clerk, customer, usd_customer):
    invoice_a = factories.invoice(customer, issued=date(2026, 1, 10), actor=clerk)  # 113,000
    first = factories.payment(customer, amount=50_000, received=date(2026, 1, 20), actor=clerk)
    allocate(first, (invoice_a, 50_000), on=date(2026, 1, 20), actor=clerk)  # allocations do not change the balance
    factories.invoice(customer, net=50_000, tax=6_500, issued=date(2026, 2, 5), actor=clerk, number="INV-B")
    services.credit_note_post(actor=clerk, invoice=invoice_a, on=date(2026, 2, 10), net_minor=10_000,
                              tax_minor=1_300, reason="折让", number="CN-A")
    bounced = factories.payment(customer, amount=30_000, received=date(2026, 2, 15), actor=clerk, number="RCV-B")
    services.payment_reverse(actor=clerk, payment=bounced, reason="退票", on=date(2026, 3, 5))
    factories.payment(customer, amount=20_000, received=date(2026, 3, 10), actor=clerk, number="RCV-C")
    factories.invoice(customer, issued=date(2026, 4, 1), actor=clerk)  # after every period asked for

    [february] = customer_statement(customer_id=customer.pk, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    assert (february.currency, february.opening_minor, february.closing_minor) == ("CNY", 63_000, 78_200)
    assert [(line.date, line.kind, line.number, line.debit_minor, line.credit_minor, line.balance_minor)
            for line in february.lines] == [
        (date(2026, 2, 5), "invoice", "INV-B", 56_500, 0, 119_500),
        (date(2026, 2, 10), "credit_note", "CN-A", 0, 11_300, 108_200),
        (date(2026, 2, 15), "payment", "RCV-B", 0, 30_000, 78_200),
    ]
    assert (february.debit_total_minor, february.credit_total_minor) == (56_500, 41_300)

    [march] = customer_statement(customer_id=customer.pk, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert (march.opening_minor, march.closing_minor) == (78_200, 88_200)
    assert [(line.kind, line.number, line.debit_minor, line.credit_minor) for line in march.lines] == [
        ("payment_reversal", "RCV-B", 30_000, 0), ("payment", "RCV-C", 0, 20_000)]

    [whole] = customer_statement(customer_id=customer.pk, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
    assert (whole.opening_minor, whole.closing_minor, len(whole.lines)) == (0, 88_200, 7)

    [empty] = customer_statement(customer_id=customer.pk, date_from=date(2026, 3, 11), date_to=date(2026, 3, 31))
    assert (empty.opening_minor, empty.closing_minor, empty.lines) == (88_200, 88_200, [])


def test_statement_keeps_each_currency_apart(clerk, usd_customer):
    factories.invoice(usd_customer, net=1_000, tax=130, issued=date(2026, 1, 10), actor=clerk)
    factories.invoice(usd_customer, net=5_000, tax=0, issued=date(2026, 1, 12), actor=clerk, currency="CNY")
    statements = customer_statement(customer_id=usd_customer.pk, date_from=date(2026, 1, 1),
                                    date_to=date(2026, 1, 31))
    assert [(s.currency, s.opening_minor, s.closing_minor) for s in statements] == [("CNY", 0, 5_000),
                                                                                   ("USD", 0, 1_130)]


@pytest.mark.django_db
@pytest.mark.parametrize("rate", ["seven", "-7.1", "0", "NaN"])
def test_exchange_rate_set_names_the_rate_when_it_is_not_a_positive_number(clerk, rate):
    from arms.ledger.models import ExchangeRate

    with pytest.raises(ValidationFailed) as refused:
        services.exchange_rate_set(actor=clerk, currency="USD", on=date(2026, 1, 1), rate=rate)
    assert refused.value.field == "rate"
    assert ExchangeRate.objects.count() == 0


@pytest.mark.django_db
def test_a_due_date_past_the_calendar_is_refused_not_a_crash(clerk, customer):
    from arms.ledger.models import Invoice

    with pytest.raises(ValidationFailed) as refused:
        factories.invoice(customer, issued=date(9999, 12, 20), actor=clerk)
    assert refused.value.field == "issue_date"
    assert Invoice.objects.count() == 0


@pytest.mark.django_db
def test_auto_allocating_a_reversed_payment_is_refused(clerk, customer):
    factories.invoice(customer, actor=clerk)
    pay = factories.payment(customer, amount=1_000, actor=clerk)
    services.payment_reverse(actor=clerk, payment=pay, reason="退票", on=date(2026, 2, 2))
    with pytest.raises(AlreadyReversed) as refused:
        services.payment_auto_allocate(actor=clerk, payment=pay)
    assert refused.value.field == "payment"
