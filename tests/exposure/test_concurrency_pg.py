"""Real threads on PostgreSQL: documents posted at the same moment for one customer cannot together take exposure
over the credit limit, because each checks under the customer's row lock and sees the others' exposure.

The property (hypothesis): whatever mix of invoices and contracts is posted at once, exposure afterwards is at most
the limit plus what documents let through by an approved override added. The last test takes the locks away and
holds every thread after its check until all have checked: then the same property fails, which shows that the
lock, not luck, keeps it.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arms.audit.services import audit_verify
from arms.contracts.services import contract_create
from arms.customers.models import Customer
from arms.exposure import services
from arms.exposure.models import CreditOverride, OverrideStatus
from arms.exposure.selectors import exposure_breakdown
from arms.ledger import services as ledger
from arms.ledger.models import Invoice
from tests import factories
from tests.conftest import ledger_problems, postgres_available
from tests.exposure.conftest import rate
from tests.ledger.concurrency import outcomes, race

pytestmark = [
    pytest.mark.skipif(not postgres_available(), reason="row-lock concurrency needs PostgreSQL: set DATABASE_URL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = timezone.localdate()


def poster(customer_id: int, kind: str, amount: int):
    """A call that posts one document with its own number (no shared number series to queue on)."""
    number = f"{kind[:3].upper()}-{uuid.uuid4().hex[:12]}"

    def call():
        customer = Customer.objects.get(pk=customer_id)
        if kind == "invoice":
            return ledger.invoice_post(actor=None, customer=customer, issue_date=TODAY, net_minor=amount,
                                       tax_minor=0, number=number)
        return contract_create(actor=None, customer=customer, number=number, signed_date=TODAY, amount_minor=amount)

    return call


def test_eight_invoices_at_once_fill_the_limit_exactly_and_no_further(company):
    customer = factories.customer()
    rate(customer, limit=500_000_00)

    results = race([poster(customer.pk, "invoice", 100_000_00) for _ in range(8)])

    assert outcomes(results) == {"ok": 5, "credit_blocked": 3}
    assert exposure_breakdown(customer).total_minor == 500_000_00
    assert ledger_problems() == {}
    assert audit_verify().ok


documents = st.lists(st.tuples(st.sampled_from(["invoice", "contract"]), st.integers(1, 400_000_00)),
                     min_size=3, max_size=8)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(docs=documents, share_pct=st.integers(0, 100), already=st.integers(0, 300_000_00),
       override=st.one_of(st.none(), st.integers(1, 400_000_00)))
def test_exposure_never_exceeds_the_limit_without_an_approved_override(company, docs, share_pct, already, override):
    # the limit leaves room for a share of what is posted, so most examples must refuse some documents
    limit = already + sum(amount for _kind, amount in docs) * share_pct // 100
    customer = factories.customer()
    if already:
        ledger.invoice_post(actor=None, customer=customer, issue_date=TODAY, net_minor=already, tax_minor=0,
                            number=f"OLD-{uuid.uuid4().hex[:12]}")
    rate(customer, limit=limit)
    if override is not None:
        requester, approver = factories.user(role="finance_clerk"), factories.user(role="credit_manager")
        services.override_approve(override=services.override_request(
            customer=customer, amount_minor=override, currency="CNY", reason="property", actor=requester),
            actor=approver)

    results = race([poster(customer.pk, kind, amount) for kind, amount in docs])

    assert set(outcomes(results)) <= {"ok", "credit_blocked"}
    used = CreditOverride.objects.filter(customer=customer, status=OverrideStatus.CONSUMED)
    let_through = sum(
        d.gross_minor for d in Invoice.objects.filter(customer=customer,
                                                       number__in=used.values("consumed_document_ref"))
    ) + sum(c.amount_minor for c in customer.contracts.filter(number__in=used.values("consumed_document_ref")))
    exposure = exposure_breakdown(customer).total_minor
    assert exposure <= max(limit, already) + let_through
    # every blocked document really would have gone over: the losers were not refused for nothing
    accepted = [r for r in results if not isinstance(r, BaseException)]
    assert exposure == already + sum(getattr(r, "gross_minor", None) or r.amount_minor for r in accepted)


def test_without_the_row_lock_concurrent_invoices_pass_the_limit(company, monkeypatch):
    """The control experiment: no customer lock, every thread checks before any commits -> all pass."""
    customer = factories.customer()
    rate(customer, limit=500_000_00)
    threads = 4
    barrier = threading.Barrier(threads)
    check = services.credit_check

    def check_then_wait(**kwargs):
        result = check(**kwargs)
        barrier.wait(timeout=20)
        return result

    monkeypatch.setattr("arms.ledger.services.invoices.lock_customer", lambda pk: Customer.objects.get(pk=pk))
    monkeypatch.setattr(services, "lock_customer", lambda pk: Customer.objects.get(pk=pk))
    monkeypatch.setattr(services, "credit_check", check_then_wait)

    results = race([poster(customer.pk, "invoice", 200_000_00) for _ in range(threads)])

    assert outcomes(results) == {"ok": threads}
    assert exposure_breakdown(customer).total_minor == 800_000_00 > 500_000_00
