"""The demo hook: last month's run, letters sent, some confirmed, one disputed with an open difference; twice is
the same."""

from __future__ import annotations

import pytest

from arms.confirmations.demo import seed_demo
from arms.confirmations.models import ConfirmationRun
from arms.customers.models import Contact
from tests import factories

pytestmark = pytest.mark.django_db


def test_seed_demo(book, today, mailoutbox, django_capture_on_commit_callbacks):
    for n in range(4):
        customer = factories.customer(f"D{n}")
        Contact.objects.create(customer=customer, name=f"联系人{n}", email=f"d{n}@example.cn", is_primary=True)
        factories.invoice(customer, number=f"INV-D{n}", issued=book.period_end.replace(day=2), actor=book.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        counts = seed_demo(today=today, seed=7)
    assert counts["confirmation letters"] == 5
    assert counts["confirmations sent"] == 5
    assert counts["confirmation differences open"] == 1
    assert 0 <= counts["confirmations confirmed"] <= 4
    assert len(mailoutbox) == 3
    assert seed_demo(today=today, seed=7) == counts
    assert ConfirmationRun.objects.count() == 1
