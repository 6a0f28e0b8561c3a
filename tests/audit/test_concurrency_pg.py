"""Many writers at once on PostgreSQL: the locked head row keeps the audit chain one straight line."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from arms.audit.models import AuditEvent
from arms.audit.services import ChainReport, audit_verify
from arms.ledger import services
from tests import factories
from tests.conftest import postgres_available
from tests.ledger.concurrency import outcomes, race

pytestmark = [
    pytest.mark.skipif(not postgres_available(),
                       reason="concurrent writers need PostgreSQL: set DATABASE_URL=postgres://..."),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


def test_concurrent_audited_writes_keep_the_chain_linear(company):
    customers = [factories.customer() for _ in range(THREADS)]

    def post(customer):
        # different customers take no common ledger lock: only the audit head orders them
        return lambda: services.invoice_post(actor=None, customer=customer, issue_date=date(2026, 1, 10),
                                             net_minor=100, tax_minor=0)

    def rate(day):
        return lambda: services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, day),
                                                  rate=Decimal("7.1"))

    results = race([post(c) for c in customers] + [rate(day) for day in range(1, THREADS + 1)])

    assert outcomes(results) == {"ok": 2 * THREADS}
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, 2 * THREADS + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
    assert sorted(e.action for e in events) == ["exchange_rate_set"] * THREADS + ["invoice_posted"] * THREADS
    assert audit_verify() == ChainReport(True, 2 * THREADS)
