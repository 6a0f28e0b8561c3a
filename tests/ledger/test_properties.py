"""Random sequences of ledger operations against a plain-Python model of what they should do.

Hypothesis draws lists of operations: invoice_post, payment_record, payment_allocate, payment_auto_allocate,
credit_note_post, allocation_reverse and payment_reverse, on a CNY and a USD customer with three USD rates
(so proportional FX relief and 6603 are exercised). Most operations pick documents a clerk would pick; one
in ten picks any document at all, and amounts include "one more than is open", so refusals are common.
The model predicts for every call whether it is refused and with which code, and after every call:

- ``arms ledger check`` finds nothing (journal balanced, control accounts 1122/2203 tie to the documents,
  open and unallocated amounts equal gross/amount minus allocations, settled documents relieved in full);
- every invoice's open amount and every payment's unallocated amount and status equal the model's, within
  [0, gross] / [0, amount];
- a refused call changed nothing (rows, balances, sequences, audit head); an accepted one appended exactly
  the audit events it should, and the audit chain verifies.

Each example runs in a savepoint that is rolled back, so examples do not see each other's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arms.audit.models import AuditEvent
from arms.audit.services import audit_verify
from arms.common.errors import ArmsError
from arms.domain.allocation import OpenItem, plan_exact_or_oldest_first
from arms.ledger import services
from arms.ledger.models import Allocation, Invoice, Payment
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems
from tests.ledger.helpers import ledger_state

INVOICE_DAYS = [date(2026, 1, 5), date(2026, 1, 20), date(2026, 2, 10)]
PAYMENT_DAYS = [date(2026, 1, 25), date(2026, 2, 5), date(2026, 2, 20)]
#: allocations and reversals happen on these; 22 January is before every payment, so it is refused
ACTION_DAYS = [date(2026, 3, 10), date(2026, 2, 25), date(2026, 3, 10), date(2026, 1, 22)]
USD_RATES = {date(2026, 1, 1): Decimal("7.1234"), date(2026, 2, 1): Decimal("7.2"), date(2026, 2, 15): Decimal("6.98")}


@dataclass
class ModelInvoice:
    customer: int
    currency: str
    gross: int
    open: int
    issued: date


@dataclass
class ModelPayment:
    customer: int
    currency: str
    amount: int
    unallocated: int
    received: date
    reversed: bool = False


@dataclass
class ModelAllocation:
    invoice: int
    payment: int | None
    amount: int
    on: date
    reversal: bool = False
    reversed: bool = False


@dataclass(frozen=True)
class Expect:
    """Refused with ``code``, or accepted with ``events`` audit events."""

    code: str | None = None
    events: int = 0


class Refused(Exception):
    pass


class Ledger:
    """The model, and the harness that runs each operation on the database and compares."""

    def __init__(self):
        for on, rate in USD_RATES.items():
            services.exchange_rate_set(actor=None, currency="USD", on=on, rate=rate)
        self.clerk = factories.user(role="finance_clerk")
        self.customers = [factories.customer(), factories.customer(currency="USD")]
        self.invoices: dict[int, ModelInvoice] = {}
        self.payments: dict[int, ModelPayment] = {}
        self.allocations: dict[int, ModelAllocation] = {}

    # --- running a call ---------------------------------------------------------------------------------

    def run(self, call, expected: Expect):
        before = ledger_state()
        events = AuditEvent.objects.count()
        try:
            result = call()
        except ArmsError as error:
            assert expected.code == error.code, f"refused with {error.code} ({error.message}), expected {expected}"
            assert ledger_state() == before, "a refused call changed something"
            raise Refused from error
        assert expected.code is None, f"accepted, but the model expected {expected.code}"
        assert AuditEvent.objects.count() - events == expected.events
        return result

    @staticmethod
    def pick(pool, likely, op) -> int:
        choices = sorted(likely) if likely and not op["stray"] else sorted(pool)
        return choices[op["n"] % len(choices)]

    @staticmethod
    def amount(spec, invoice: ModelInvoice, payment: ModelPayment | None = None) -> int:
        return {
            "open": invoice.open,
            "half": max(1, invoice.open // 2),
            "over": invoice.open + 1,
            "left": min(invoice.open, payment.unallocated) if payment else invoice.open,
        }.get(spec, spec)

    def allocatable(self) -> list[int]:
        """Payments with money left and an open invoice of their customer in their currency."""
        return [pk for pk, p in self.payments.items() if p.unallocated and any(
            inv.open and inv.customer == p.customer and inv.currency == p.currency for inv in self.invoices.values())]

    def undoable(self) -> list[int]:
        return [pk for pk, a in self.allocations.items()
                if a.payment and not (a.reversal or a.reversed or self.payments[a.payment].reversed)]

    def customer(self, pk: int):
        return next(c for c in self.customers if c.pk == pk)

    # --- operations -------------------------------------------------------------------------------------

    def post_invoice(self, op):
        customer = self.customers[op["who"]]
        currency = "CNY" if op["stray"] else customer.currency
        net, tax = (0, 0) if op["zero"] else (op["net"], op["tax"])
        issued = INVOICE_DAYS[op["day"] % 3]
        invoice = self.run(lambda: services.invoice_post(actor=self.clerk, customer=customer, issue_date=issued,
                                                         net_minor=net, tax_minor=tax, currency=currency),
                           Expect(code="invalid") if net + tax == 0 else Expect(events=1))
        self.invoices[invoice.pk] = ModelInvoice(customer.pk, currency, net + tax, net + tax, issued)

    def record_payment(self, op):
        """Mostly money from a customer with open items, in their currency; sometimes anyone, anything."""
        open_items = [pk for pk, inv in self.invoices.items() if inv.open]
        amount = op["net"]
        if open_items and not op["stray"]:
            invoice = self.invoices[self.pick(open_items, open_items, op)]
            customer, currency = self.customer(invoice.customer), invoice.currency
            amount = [invoice.open, max(1, invoice.open // 3), amount][op["m"] % 3]
        else:
            customer, currency = self.customers[op["who"]], ["CNY", "USD"][op["m"] % 2]
        amount = 0 if op["zero"] else amount
        received = PAYMENT_DAYS[op["day"] % 3]
        bill = {"method": "bank_acceptance", "bill_number": "BA-1", "bill_maturity_date": date(2026, 9, 1)}
        payment = self.run(
            lambda: services.payment_record(actor=self.clerk, customer=customer, received_date=received,
                                            amount_minor=amount, currency=currency, **(bill if op["bill"] else {})),
            Expect(code="invalid") if amount == 0 else Expect(events=1),
        )
        self.payments[payment.pk] = ModelPayment(customer.pk, currency, amount, amount, received)

    def allocate(self, op):
        payment_id = self.pick(self.payments, self.allocatable(), op)
        payment = self.payments[payment_id]
        matching = [pk for pk, inv in self.invoices.items()
                    if inv.open and inv.customer == payment.customer and inv.currency == payment.currency]
        lines = []
        for n, spec in [(op["m"], op["amount"]), (op["m"] + 1, op["amount2"])][: op["lines"]]:
            invoice_id = self.pick(self.invoices, matching, {**op, "n": n})
            lines.append(AllocationRequest(invoice_id, self.amount(spec, self.invoices[invoice_id], payment)))
        on = ACTION_DAYS[op["day"]]
        made = self.run(lambda: services.payment_allocate(actor=self.clerk, payment=Payment.objects.get(pk=payment_id),
                                                          lines=lines, on=on),
                        self.predict_allocate(payment, lines, on))
        assert [(a.invoice_id, a.amount_minor) for a in made] == [(x.invoice_id, x.amount_minor) for x in lines]
        for allocation in made:
            self.book(allocation.pk, allocation.invoice_id, payment_id, allocation.amount_minor, on)

    def predict_allocate(self, payment: ModelPayment, lines: list[AllocationRequest], on: date) -> Expect:
        if payment.reversed:
            return Expect(code="already_reversed")
        if on < payment.received:
            return Expect(code="invalid")
        open_after: dict[int, int] = {}
        for line in lines:
            invoice = self.invoices[line.invoice_id]
            if line.amount_minor <= 0 or invoice.customer != payment.customer or on < invoice.issued:
                return Expect(code="invalid")
            if invoice.currency != payment.currency:
                return Expect(code="currency_mismatch")
            remaining = open_after.get(line.invoice_id, invoice.open)
            if line.amount_minor > remaining:
                return Expect(code="over_allocation")
            open_after[line.invoice_id] = remaining - line.amount_minor
        if sum(line.amount_minor for line in lines) > payment.unallocated:
            return Expect(code="over_allocation")
        return Expect(events=len(lines))

    def auto_allocate(self, op):
        payment_id = self.pick(self.payments, self.allocatable(), op)
        payment = self.payments[payment_id]
        on = ACTION_DAYS[op["day"]]
        plan = plan_exact_or_oldest_first(payment.unallocated, [
            OpenItem(pk, inv.issued + timedelta(days=30), inv.issued, inv.open)
            for pk, inv in self.invoices.items()
            if inv.customer == payment.customer and inv.currency == payment.currency and inv.issued <= on
        ])
        made = self.run(lambda: services.payment_auto_allocate(actor=self.clerk,
                                                               payment=Payment.objects.get(pk=payment_id), on=on),
                        self.predict_auto_allocate(payment, plan, on))
        assert [(a.invoice_id, a.amount_minor) for a in made] == [(line.item_id, line.amount) for line in plan]
        for allocation in made:
            self.book(allocation.pk, allocation.invoice_id, payment_id, allocation.amount_minor, on)

    @staticmethod
    def predict_auto_allocate(payment: ModelPayment, plan: list, on: date) -> Expect:
        if payment.reversed:
            return Expect(code="already_reversed")
        if plan and on < payment.received:
            return Expect(code="invalid")
        return Expect(events=len(plan))

    def credit(self, op):
        invoice_id = self.pick(self.invoices, [pk for pk, inv in self.invoices.items() if inv.open], op)
        invoice = self.invoices[invoice_id]
        tax = op["tax"] % 5_000
        net = max(0, self.amount(op["amount"], invoice) - tax) if isinstance(op["amount"], str) else op["amount"]
        on = ACTION_DAYS[op["day"]]
        if net + tax == 0 or on < invoice.issued:
            expected = Expect(code="invalid")
        elif net + tax > invoice.open:
            expected = Expect(code="over_allocation")
        else:
            expected = Expect(events=1)
        note = self.run(lambda: services.credit_note_post(actor=self.clerk, invoice=Invoice.objects.get(pk=invoice_id),
                                                          on=on, net_minor=net, tax_minor=tax, reason="折让"),
                        expected)
        self.book(note.allocations.get().pk, invoice_id, None, net + tax, on)

    def reverse_allocation(self, op):
        allocation_id = self.pick(self.allocations, self.undoable(), op)
        allocation = self.allocations[allocation_id]
        on = ACTION_DAYS[op["day"]]
        if allocation.payment is not None and self.payments[allocation.payment].reversed:
            expected = Expect(code="already_reversed")
        elif on < allocation.on or allocation.reversal or allocation.payment is None:
            expected = Expect(code="invalid")
        elif allocation.reversed:
            expected = Expect(code="already_reversed")
        else:
            expected = Expect(events=1)
        reversal = self.run(lambda: services.allocation_reverse(
            actor=self.clerk, reason="keyed twice", allocation=Allocation.objects.get(pk=allocation_id), on=on),
            expected)
        self.unbook(allocation_id, reversal.pk, on)

    def reverse_payment(self, op):
        payment_id = self.pick(self.payments, [pk for pk, p in self.payments.items() if not p.reversed], op)
        payment = self.payments[payment_id]
        on = ACTION_DAYS[op["day"]]
        live = [pk for pk, a in self.allocations.items() if a.payment == payment_id and not (a.reversal or a.reversed)]
        if payment.reversed:
            expected = Expect(code="already_reversed")
        elif on < payment.received or any(on < self.allocations[pk].on for pk in live):
            expected = Expect(code="invalid")
        else:
            expected = Expect(events=len(live) + 1)
        self.run(lambda: services.payment_reverse(actor=self.clerk, payment=Payment.objects.get(pk=payment_id),
                                                  reason="退票", on=on), expected)
        reversals = dict(Allocation.objects.filter(reverses_id__in=live).values_list("reverses_id", "pk"))
        for pk in live:
            self.unbook(pk, reversals[pk], on)
        assert payment.unallocated == payment.amount
        payment.reversed, payment.unallocated = True, 0

    # --- the model's bookkeeping ------------------------------------------------------------------------

    def book(self, allocation_id: int, invoice_id: int, payment_id: int | None, amount: int, on: date):
        self.allocations[allocation_id] = ModelAllocation(invoice_id, payment_id, amount, on)
        self.invoices[invoice_id].open -= amount
        if payment_id is not None:
            self.payments[payment_id].unallocated -= amount

    def unbook(self, allocation_id: int, reversal_id: int, on: date):
        original = self.allocations[allocation_id]
        original.reversed = True
        self.allocations[reversal_id] = ModelAllocation(original.invoice, original.payment, -original.amount, on,
                                                        reversal=True)
        self.invoices[original.invoice].open += original.amount
        self.payments[original.payment].unallocated += original.amount

    # --- invariants -------------------------------------------------------------------------------------

    def check(self):
        stored = dict((pk, (gross, open_)) for pk, gross, open_ in Invoice.objects.values_list(
            "pk", "gross_minor", "amount_open_minor"))
        assert stored == {pk: (inv.gross, inv.open) for pk, inv in self.invoices.items()}
        assert all(0 <= open_ <= gross for gross, open_ in stored.values())
        paid = {pk: (amount, left, status) for pk, amount, left, status in Payment.objects.values_list(
            "pk", "amount_minor", "amount_unallocated_minor", "status")}
        assert paid == {pk: (p.amount, p.unallocated, "reversed" if p.reversed else "posted")
                        for pk, p in self.payments.items()}
        assert all(0 <= left <= amount for amount, left, _status in paid.values())
        assert Allocation.objects.count() == len(self.allocations)
        assert ledger_problems() == {}
        report = audit_verify()
        assert report.ok, report

    OPERATIONS = {
        "post_invoice": (post_invoice, lambda self: True),
        "record_payment": (record_payment, lambda self: True),
        "allocate": (allocate, lambda self: self.allocatable()),
        "auto_allocate": (auto_allocate, lambda self: self.allocatable()),
        "credit": (credit, lambda self: self.invoices),
        "reverse_allocation": (reverse_allocation, lambda self: self.undoable()),
        "reverse_payment": (reverse_payment, lambda self: self.payments),
    }

    def apply(self, op) -> None:
        method, enabled = self.OPERATIONS[op["kind"]]
        if not enabled(self):
            return
        try:
            method(self, op)
        except Refused:
            pass
        self.check()


amount_specs = st.one_of(st.sampled_from(["left", "over", "half", "open"]), st.integers(min_value=1, max_value=150_000))
operations = st.fixed_dictionaries({
    # hypothesis favours the ends of a list: the kinds that matter most sit in the middle and appear twice
    "kind": st.sampled_from(["reverse_payment", "post_invoice", "allocate", "record_payment", "auto_allocate",
                             "reverse_allocation", "allocate", "record_payment", "post_invoice", "credit"]),
    "who": st.integers(0, 1),
    "n": st.integers(0, 1_000),
    "m": st.integers(0, 1_000),
    "day": st.integers(0, 3),
    "lines": st.integers(1, 2),
    "net": st.integers(1, 300_000),
    "tax": st.integers(0, 39_000),
    "amount": amount_specs,
    "amount2": amount_specs,
    "bill": st.booleans(),
    # one call in ten picks any document, or posts nothing, to provoke refusals
    "stray": st.integers(0, 9).map(lambda n: n == 6),
    "zero": st.integers(0, 19).map(lambda n: n == 13),
})


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ops=st.lists(operations, min_size=10, max_size=30))
def test_random_ledger_operations_keep_every_invariant(ops):
    with transaction.atomic():
        try:
            ledger = Ledger()
            for op in ops:
                ledger.apply(op)
        finally:
            transaction.set_rollback(True)
