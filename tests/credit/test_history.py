"""Trade history from the ledger, as of a date, and the provider registry."""

from __future__ import annotations

from datetime import date

import pytest

from arms.common import hooks
from arms.credit.history import trade_history
from tests import factories
from tests.credit.helpers import pay

pytestmark = pytest.mark.django_db


def test_days_late_on_time_share_volume_and_tenure(customer):
    # given three invoices of 1,130.00 due 30 days after issue
    early = factories.invoice(customer, issued=date(2025, 10, 1))  # due 31 Oct, paid 20 Oct: on time
    late = factories.invoice(customer, issued=date(2025, 11, 1))  # due 1 Dec, paid 21 Dec: 20 days late
    open_ = factories.invoice(customer, issued=date(2025, 12, 1))  # due 31 Dec, open on 30 Jan: 30 days late
    pay(customer, early, on=date(2025, 10, 20))
    pay(customer, late, on=date(2025, 12, 21))
    other = factories.customer()

    # when
    result = trade_history(customer_ids=[customer.pk, other.pk], as_of=date(2026, 1, 30))

    # then
    history = result[customer.pk]
    assert history.first_invoice_on == date(2025, 10, 1)
    assert history.tenure_days == 121
    assert history.volume_12m_minor == 3 * 113_000
    assert history.avg_monthly_sales_minor == 3 * 113_000 // 12
    assert history.invoices_due_12m == 3
    assert history.avg_days_late == (0 + 20 + 30) // 3
    assert history.max_days_late == 30
    assert history.on_time_share_bp == 3333
    assert open_.pk  # still open
    empty = result[other.pk]
    assert (empty.first_invoice_on, empty.avg_days_late, empty.on_time_share_bp) == (None, None, None)


def test_as_of_a_date_before_the_payment_sees_the_invoice_open(customer):
    invoice = factories.invoice(customer, issued=date(2025, 11, 1))  # due 1 Dec
    pay(customer, invoice, on=date(2026, 1, 10))
    history = trade_history(customer_ids=[customer.pk], as_of=date(2025, 12, 11))[customer.pk]
    assert (history.avg_days_late, history.max_days_late, history.on_time_share_bp) == (10, 10, 0)
    history = trade_history(customer_ids=[customer.pk], as_of=date(2026, 2, 1))[customer.pk]
    assert (history.avg_days_late, history.max_days_late) == (40, 40)


def test_providers_add_their_counts(customer, monkeypatch):
    def provider(*, customer_ids, as_of):
        return {customer.pk: {"dispute_count": 2, "broken_promises": 1}}

    monkeypatch.setattr(hooks, "_registry", {event: dict(fns) for event, fns in hooks._registry.items()})
    hooks.register(hooks.TRADE_HISTORY, "test.provider", provider)
    hooks.register(hooks.TRADE_HISTORY, "test.provider", provider)  # registering a name again replaces it
    history = trade_history(customer_ids=[customer.pk], as_of=date(2026, 1, 1))[customer.pk]
    assert (history.dispute_count, history.broken_promises) == (2, 1)  # the cases provider adds nothing here


def test_a_week_of_grace_still_counts_as_on_time(customer):
    inside = factories.invoice(customer, issued=date(2025, 10, 1))  # due 31 Oct
    outside = factories.invoice(customer, issued=date(2025, 10, 2))  # due 1 Nov
    pay(customer, inside, on=date(2025, 11, 7))  # 7 days late: on time
    pay(customer, outside, on=date(2025, 11, 9))  # 8 days late: late
    history = trade_history(customer_ids=[customer.pk], as_of=date(2026, 1, 1))[customer.pk]
    assert (history.on_time_share_bp, history.avg_days_late, history.max_days_late) == (5000, 7, 8)
