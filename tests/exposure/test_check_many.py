"""The batched credit check (``credit_check_many``, the bulk path's) against the one-at-a-time ``credit_check``.

The property test draws a customer (rated with a limit, or unrated under one of the three policies; with or without
a hold; with or without invoices overdue beyond the block days) and a sequence of invoices, some of them overdue
themselves. The batched decisions must be exactly what ``credit_check`` answers when each earlier invoice has been
posted one at a time (every figure and reason of the result), up to and including the first blocked one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arms.audit.models import AuditBatchEvent, AuditEvent
from arms.common.errors import ArmsError
from arms.common.hooks import ExposureDocument
from arms.contracts.models import Contract
from arms.contracts.services import contract_create
from arms.exposure import services
from arms.exposure.models import CreditControlSettings, CreditHold, CreditOverride, OverrideStatus
from arms.ledger.models import Invoice
from arms.ledger.services import invoice_post, payment_record
from arms.ledger.services.bulk import InvoiceInput, invoices_post_bulk
from tests import clock, factories
from tests.exposure.conftest import rate

pytestmark = pytest.mark.django_db

invoice_st = st.fixed_dictionaries({
    "gross": st.integers(1, 3_000_000), "days_ago": st.sampled_from([0, 10, 95, 130, 400]),
    "terms": st.sampled_from([0, 30, 60, 120]),
})
customer_st = st.fixed_dictionaries({
    "rated": st.booleans(), "limit": st.integers(0, 8_000_000), "grade_terms": st.sampled_from([30, 60, 90]),
    "policy": st.sampled_from(["warn", "limit", "block"]), "unrated_limit": st.integers(0, 6_000_000),
    "hold": st.integers(0, 9), "overdue_before": st.lists(st.integers(1, 900_000), max_size=3),
})


class _Undo(Exception):
    pass


def _post(customer, row: dict, today):
    issue = today - timedelta(days=row["days_ago"])
    return invoice_post(actor=None, customer=customer, issue_date=issue, net_minor=row["gross"], tax_minor=0,
                        due_date=issue + timedelta(days=row["terms"]))


def _document(customer, row: dict, today, n: int) -> ExposureDocument:
    issue = today - timedelta(days=row["days_ago"])
    return ExposureDocument(customer=customer, amount_minor=row["gross"], currency="CNY", document_kind="invoice",
                            document_ref=f"M-{n}", payment_terms_days=row["terms"],
                            due_date=issue + timedelta(days=row["terms"]), row=n)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(setup=customer_st, rows=st.lists(invoice_st, min_size=1, max_size=8))
def test_batched_decisions_equal_one_at_a_time_checks(company, setup, rows):
    today = clock.today()
    try:
        with transaction.atomic():
            customer = factories.customer()
            # invoices overdue long ago (written under "warn", before the customer is rated)
            for gross in setup["overdue_before"]:
                _post(customer, {"gross": gross, "days_ago": 300, "terms": 30}, today)
            CreditControlSettings.objects.update_or_create(company_id=customer.company_id, defaults={
                "unrated_policy": setup["policy"], "unrated_limit_minor": setup["unrated_limit"]})
            if setup["rated"]:
                rate(customer, grade="B", limit=setup["limit"], payment_terms_days=setup["grade_terms"])
            if setup["hold"] == 0:
                CreditHold.objects.create(customer=customer, reason_code="manual", note="stop")
            batched, left = services.credit_check_many(
                documents=[_document(customer, row, today, n) for n, row in enumerate(rows)])
            assert left == set()
            compared = 0
            for n, row in enumerate(rows):
                single = services.credit_check(customer=customer, amount_minor=row["gross"], currency="CNY",
                                               document_kind="invoice", lock=False,
                                               payment_terms_days=row["terms"])
                assert batched[n].details() == single.details()
                compared += 1
                if single.blocked:
                    break
                _post(customer, row, today)
            assert set(batched) == set(range(compared))
            raise _Undo
    except _Undo:
        pass


@pytest.mark.unrated_policy("limit")
def test_an_over_limit_invoice_in_the_middle_of_a_batch_refuses_with_its_row_and_nothing_is_written(company):
    today = clock.today()
    first, second = factories.customer("M1"), factories.customer("M2")
    rate(second, grade="B", limit=100_000_00, payment_terms_days=60)
    before = (Invoice.objects.count(), AuditBatchEvent.objects.count(), AuditEvent.objects.count())

    def row(customer, net: int, number: str) -> InvoiceInput:
        return InvoiceInput(customer=customer, issue_date=today, net_minor=net, tax_minor=0, number=number)

    rows = [row(first, 10_000_00, "X-0"), row(second, 40_000_00, "X-1"), row(second, 40_000_00, "X-2"),
            row(second, 40_000_00, "X-3"), row(first, 10_000_00, "X-4")]
    with pytest.raises(ArmsError) as bulk:
        invoices_post_bulk(actor=None, invoices=rows)
    assert bulk.value.code == "credit_blocked"
    assert bulk.value.details["index"] == 3
    assert bulk.value.details["exposure_after_minor"] == 120_000_00
    assert (Invoice.objects.count(), AuditBatchEvent.objects.count(), AuditEvent.objects.count()) == before
    with transaction.atomic(), pytest.raises(ArmsError) as single:
        for item in rows[1:4]:
            invoice_post(actor=None, customer=item.customer, issue_date=item.issue_date, net_minor=item.net_minor,
                         tax_minor=0, number=item.number)
    assert (bulk.value.message, {k: v for k, v in bulk.value.details.items() if k != "index"}) == (
        single.value.message, single.value.details)


def test_a_customer_with_an_approved_override_is_left_to_the_one_at_a_time_check(company):
    today = clock.today()
    plain, covered = factories.customer("O1"), factories.customer("O2")
    CreditOverride.objects.create(customer=covered, amount_minor=1_000_00, currency="CNY", reason="r",
                                  status=OverrideStatus.APPROVED, valid_days=7,
                                  requested_by=factories.user("req_o"),
                                  expires_at=timezone.now() + timedelta(days=7))
    row = {"gross": 100_00, "days_ago": 0, "terms": 30}
    results, left = services.credit_check_many(documents=[
        _document(plain, row, today, 0), _document(covered, row, today, 1), _document(plain, row, today, 2)])
    assert (sorted(results), left) == ([0, 2], {1})


contract_st = st.fixed_dictionaries({
    "amount": st.integers(100_00, 6_000_000), "deposit_pct": st.sampled_from([None, 0, 30]),
    "deposit_paid": st.sampled_from([0, 500_000, 3_000_000]),
    "invoiced_before": st.sampled_from([0, 1_000_000]),
})
contract_invoice_st = st.fixed_dictionaries({
    "gross": st.integers(1, 3_000_000), "days_ago": st.sampled_from([0, 10, 130]),
    "terms": st.sampled_from([0, 30, 60]), "contract": st.sampled_from([None, 0, 1]),
})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(setup=customer_st, terms=st.lists(contract_st, min_size=2, max_size=2),
       rows=st.lists(contract_invoice_st, min_size=1, max_size=8))
def test_batched_decisions_on_contracts_equal_one_at_a_time_checks(company, setup, terms, rows):
    """Invoices on contracts: the contract's rest (the invoice adds only what goes beyond it) and its first invoice
    (the deposit rule) advance in memory as posting each invoice would advance them."""
    today = clock.today()
    try:
        with transaction.atomic():
            customer = factories.customer()
            contracts = []
            for n, term in enumerate(terms):  # written under "warn", before the customer is rated
                contract = contract_create(actor=None, customer=customer, number=f"HT-{n}",
                                           signed_date=today - timedelta(days=200), amount_minor=term["amount"])
                if term["invoiced_before"]:
                    invoice_post(actor=None, customer=customer, issue_date=today - timedelta(days=150),
                                 net_minor=term["invoiced_before"], tax_minor=0, contract=contract)
                if term["deposit_paid"]:
                    payment_record(actor=None, customer=customer, received_date=today - timedelta(days=100),
                                   amount_minor=term["deposit_paid"], contract=contract)
                Contract.objects.filter(pk=contract.pk).update(deposit_pct=term["deposit_pct"])
                contract.refresh_from_db()
                contracts.append(contract)
            CreditControlSettings.objects.update_or_create(company_id=customer.company_id, defaults={
                "unrated_policy": setup["policy"], "unrated_limit_minor": setup["unrated_limit"]})
            if setup["rated"]:
                rate(customer, grade="B", limit=setup["limit"], payment_terms_days=setup["grade_terms"])

            def on(row):
                return None if row["contract"] is None else contracts[row["contract"]]

            documents = [ExposureDocument(**{**vars(_document(customer, row, today, n)), "contract": on(row)})
                         for n, row in enumerate(rows)]
            batched, left = services.credit_check_many(documents=documents)
            assert left == set()
            compared = 0
            for n, row in enumerate(rows):
                single = services.credit_check(customer=customer, amount_minor=row["gross"], currency="CNY",
                                               document_kind="invoice", lock=False, contract=on(row),
                                               payment_terms_days=row["terms"])
                assert batched[n].details() == single.details()
                compared += 1
                if single.blocked:
                    break
                issue = today - timedelta(days=row["days_ago"])
                invoice_post(actor=None, customer=customer, issue_date=issue, net_minor=row["gross"], tax_minor=0,
                             due_date=issue + timedelta(days=row["terms"]), contract=on(row))
            assert set(batched) == set(range(compared))
            raise _Undo
    except _Undo:
        pass


def test_an_invoice_on_another_customers_contract_is_left_to_the_one_at_a_time_check(company):
    today = clock.today()
    mine, other = factories.customer("K1"), factories.customer("K2")
    theirs = contract_create(actor=None, customer=other, number="HT-K2", signed_date=today, amount_minor=1_000_00)
    row = {"gross": 100_00, "days_ago": 0, "terms": 30}
    plain = _document(mine, row, today, 0)
    results, left = services.credit_check_many(documents=[
        plain, ExposureDocument(**{**vars(_document(mine, row, today, 1)), "contract": theirs}),
        _document(other, row, today, 2)])
    assert (sorted(results), left) == ([2], {0, 1})
