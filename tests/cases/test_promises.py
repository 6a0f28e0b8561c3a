"""Promises to pay: kept, partly kept (= broken with the shortfall), broken, detected from real payments."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Activity, PromiseToPay, Task
from arms.cases.services import promise_cancel, promise_record, promises_check
from arms.common.errors import ArmsError, ValidationFailed
from arms.common.models import Notification
from arms.ledger.services import payment_reverse
from tests import factories
from tests.conftest import ledger_problems

MADE, DUE = date(2026, 3, 10), date(2026, 3, 20)


def _promise(book, amount=50_000, invoices=None, **kw):
    return promise_record(customer=book.customer, amount_minor=amount, promised_on=DUE, made_on=MADE,
                          invoices=[book.inv1] if invoices is None else invoices, actor=book.collector, **kw)


def test_a_promise_paid_in_full_by_its_date_is_kept(book):
    promise = _promise(book)
    factories.payment(book.customer, amount=50_000, received=date(2026, 3, 15), actor=book.clerk,
                      auto_allocate=True)

    counts = promises_check(as_of=date(2026, 3, 16))

    promise.refresh_from_db()
    assert counts == {"checked": 1, "kept": 1, "broken": 0, "open": 0}
    assert (promise.status, promise.paid_minor, promise.shortfall_minor) == ("kept", 50_000, 0)
    assert Activity.objects.filter(source_ref=f"promise:{promise.pk}:kept", outcome="kept").exists()
    assert not Task.objects.exists()
    assert ledger_problems() == {}


def test_a_partly_kept_promise_is_broken_with_the_shortfall_and_escalates(book):
    promise = _promise(book)
    factories.payment(book.customer, amount=30_000, received=date(2026, 3, 18), actor=book.clerk,
                      auto_allocate=True)

    assert promises_check(as_of=date(2026, 3, 20))["open"] == 1  # the promised day itself is still in time
    promise.refresh_from_db()
    assert (promise.status, promise.paid_minor) == ("open", 30_000)

    counts = promises_check(as_of=date(2026, 3, 21))

    promise.refresh_from_db()
    assert counts["broken"] == 1
    assert (promise.status, promise.paid_minor, promise.shortfall_minor) == ("broken", 30_000, 20_000)
    task = Task.objects.get()
    assert (task.level, task.assignee, task.source_ref) == ("credit_legal", book.legal, f"promise:{promise.pk}:broken")
    note = Notification.objects.get(user=book.legal)
    assert note.kind == "collections.promise_broken" and note.link == f"/collections/customers/{book.customer.pk}/"
    assert AuditEvent.objects.filter(action="promise_broken").count() == 1

    again = promises_check(as_of=date(2026, 3, 22))  # idempotent: decided once
    assert again["checked"] == 0
    assert Task.objects.count() == 1 and Notification.objects.count() == 1


def test_payments_before_the_promise_or_after_its_date_do_not_count(book):
    factories.payment(book.customer, amount=40_000, received=date(2026, 3, 1), actor=book.clerk, auto_allocate=True)
    promise = _promise(book, amount=20_000)
    factories.payment(book.customer, amount=20_000, received=date(2026, 3, 25), actor=book.clerk,
                      auto_allocate=True)

    promises_check(as_of=date(2026, 3, 26))

    promise.refresh_from_db()
    assert (promise.status, promise.paid_minor, promise.shortfall_minor) == ("broken", 0, 20_000)


def test_a_general_promise_counts_any_payment_but_not_a_reversed_one(book):
    promise = _promise(book, amount=60_000, invoices=[])
    paid = factories.payment(book.customer, amount=60_000, received=date(2026, 3, 12), actor=book.clerk)
    payment_reverse(actor=book.clerk, payment=paid, reason="票据退回", on=date(2026, 3, 14))
    factories.payment(book.customer, amount=25_000, received=date(2026, 3, 19), actor=book.clerk)

    promises_check(as_of=date(2026, 3, 21))

    promise.refresh_from_db()
    assert (promise.status, promise.paid_minor, promise.shortfall_minor) == ("broken", 25_000, 35_000)


def test_an_invoice_can_be_in_one_open_promise(book):
    _promise(book)
    with pytest.raises(ArmsError) as caught:
        _promise(book, amount=1_000)
    assert (caught.value.code, caught.value.field) == ("promise_open", "invoices")
    assert PromiseToPay.objects.count() == 1


@pytest.mark.parametrize(("kwargs", "field", "code"), [
    ({"amount_minor": 0}, "amount_minor", "invalid"),
    ({"amount_minor": 113_001}, "amount_minor", "exceeds_open_amount"),
    ({"promised_on": date(2026, 3, 9)}, "promised_on", "invalid"),
    ({"level": "board"}, "level", "invalid"),
    ({"currency": "USD"}, "currency", "invalid"),
])
def test_bad_promises_are_refused_naming_the_field(book, kwargs, field, code):
    events = AuditEvent.objects.count()
    args = {"customer": book.customer, "amount_minor": 50_000, "promised_on": DUE, "made_on": MADE,
            "invoices": [book.inv1], "actor": book.collector, **kwargs}
    with pytest.raises(ValidationFailed) as caught:
        promise_record(**args)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert PromiseToPay.objects.count() == 0 and Activity.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_same_idempotency_key_records_once(book):
    first = _promise(book, idempotency_key="k-1")
    second = _promise(book, idempotency_key="k-1")
    assert first.pk == second.pk and PromiseToPay.objects.count() == 1


def test_a_cancelled_promise_is_not_checked(book):
    promise = _promise(book)
    promise_cancel(promise=promise, actor=book.collector, note="replaced by a plan")
    assert promises_check(as_of=date(2026, 3, 25))["checked"] == 0
    with pytest.raises(ArmsError) as caught:
        promise_cancel(promise=promise, actor=book.collector)
    assert caught.value.code == "already_closed"
