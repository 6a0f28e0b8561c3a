"""The credit check on the database: exposure by component, each rule, and the hook that makes every invoice and
contract pass it under the customer's row lock (a block writes nothing)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict
from arms.contracts.models import Contract
from arms.contracts.services import contract_create
from arms.exposure import services
from arms.exposure.models import CreditOverride, OverrideStatus
from arms.exposure.selectors import exposure_breakdown
from arms.ledger.models import Invoice
from arms.ledger.services import exchange_rate_set, invoice_post
from tests import factories
from tests.exposure.conftest import rate
from tests.ledger.helpers import ledger_state

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def post(customer, gross: int, *, days_ago: int = 0, actor=None, **kw) -> Invoice:
    """An invoice of ``gross`` (no VAT, to keep the sums plain) issued ``days_ago`` days ago."""
    return invoice_post(actor=actor, customer=customer, issue_date=TODAY - timedelta(days=days_ago),
                        net_minor=gross, tax_minor=0, **kw)


def check(customer, amount: int, **kw):
    kw.setdefault("currency", "CNY")
    kw.setdefault("document_kind", "order")
    return services.credit_check(customer=customer, amount_minor=amount, lock=False, **kw)


def codes(result) -> list[str]:
    return [r["code"] for r in result.reasons]


# ---------------------------------------------------------------- exposure


def test_exposure_is_open_receivables_plus_uninvoiced_contracts_plus_unmatured_bills(customer, clerk):
    first = post(customer, 100_000_00)
    post(customer, 50_000_00)
    factories.payment(customer, amount=30_000_00, received=TODAY, auto_allocate=True)  # 70,000 left on the first
    contract = contract_create(actor=clerk, customer=customer, number="HT-1", signed_date=TODAY,
                               amount_minor=300_000_00)
    post(customer, 120_000_00, contract=contract)  # 180,000 of the contract not yet invoiced
    contract_create(actor=clerk, customer=customer, number="HT-DRAFT", signed_date=TODAY, amount_minor=999_00,
                    status="draft")
    factories.payment(customer, amount=40_000_00, received=TODAY, method="bank_acceptance", bill_number="B-1",
                      bill_maturity_date=TODAY + timedelta(days=90), auto_allocate=True)

    b = exposure_breakdown(customer)

    assert Invoice.objects.get(pk=first.pk).amount_open_minor == 30_000_00  # the bill settled 40,000 of it
    assert b.open_receivables_minor == 30_000_00 + 50_000_00 + 120_000_00
    assert b.uninvoiced_contracts_minor == 180_000_00
    assert b.unmatured_bills_minor == 40_000_00
    assert b.total_minor == 420_000_00
    assert (b.limit_minor, b.available_minor, b.used_bp) == (None, None, None)


def test_a_bill_stops_counting_when_it_matures_and_its_unallocated_part_never_counts(customer):
    post(customer, 10_000_00)
    factories.payment(customer, amount=15_000_00, received=TODAY, method="commercial_acceptance",
                      bill_number="B-2", bill_maturity_date=TODAY + timedelta(days=30), auto_allocate=True)

    assert exposure_breakdown(customer).unmatured_bills_minor == 10_000_00
    assert exposure_breakdown(customer, as_of=TODAY + timedelta(days=29)).unmatured_bills_minor == 10_000_00
    assert exposure_breakdown(customer, as_of=TODAY + timedelta(days=30)).unmatured_bills_minor == 0


def test_an_over_invoiced_contract_counts_zero_not_negative(customer, clerk):
    contract = contract_create(actor=clerk, customer=customer, number="HT-2", signed_date=TODAY, amount_minor=100_00)
    Contract.objects.filter(pk=contract.pk).update(amount_minor=100_00)
    post(customer, 100_00, contract=contract)
    post(customer, 50_00, contract=contract)
    assert exposure_breakdown(customer).uninvoiced_contracts_minor == 0
    assert exposure_breakdown(customer).open_receivables_minor == 150_00


def test_foreign_currency_items_count_in_the_limit_currency(customer):
    exchange_rate_set(actor=None, currency="USD", on=TODAY - timedelta(days=5), rate=Decimal("7.2"))
    post(customer, 1_000_00, currency="USD")
    post(customer, 500_00)
    rate(customer, limit=10_000_00)
    b = exposure_breakdown(customer)
    assert b.open_receivables_minor == 7_200_00 + 500_00
    assert b.by_currency == {"USD": 1_000_00, "CNY": 500_00}
    assert check(customer, 100_00, currency="USD").increase_minor == 720_00


def test_the_breakdown_can_be_shown_in_another_currency_than_cny(customer):
    exchange_rate_set(actor=None, currency="USD", on=TODAY, rate=Decimal("8"))
    post(customer, 8_000_00)
    rate(customer, limit=5_000_00, currency="USD")
    b = exposure_breakdown(customer)
    assert (b.currency, b.total_minor, b.available_minor, b.used_bp) == ("USD", 1_000_00, 4_000_00, 2000)


# ---------------------------------------------------------------- the rules on the database


def test_a_customer_without_a_profile_or_limit_is_not_under_credit_control(customer):
    post(customer, 10**11)
    assert (check(customer, 10**11).decision, codes(check(customer, 10**11))) == ("warn", ["unrated"])
    rate(customer, grade="", limit=None)
    result = check(customer, 10**11)
    assert (result.decision, result.controlled, result.exposure_minor) == ("warn", False, 10**11)


def test_limit_warn_and_block_on_the_database(customer):
    rate(customer, limit=500_000_00)
    post(customer, 400_000_00)
    assert check(customer, 50_000_00).decision == "allow"
    near = check(customer, 60_000_00)
    assert (near.decision, codes(near)) == ("warn", ["near_limit"])
    over = check(customer, 100_000_01)
    assert (over.decision, codes(over)) == ("block", ["limit_exceeded"])
    assert (over.exposure_minor, over.limit_minor, over.available_minor, over.exposure_after_minor) == (
        400_000_00, 500_000_00, 100_000_00, 500_000_01)
    assert over.reasons[0]["excess_minor"] == 1


def test_an_invoice_against_a_contract_adds_only_what_goes_beyond_the_contract(customer, clerk):
    rate(customer, limit=300_000_00)
    contract = contract_create(actor=clerk, customer=customer, number="HT-3", signed_date=TODAY,
                               amount_minor=300_000_00)
    # the contract took the whole limit; invoicing it moves exposure from "not yet invoiced" to "open"
    for _ in range(3):
        post(customer, 100_000_00, contract=contract, actor=clerk)
    assert exposure_breakdown(customer).total_minor == 300_000_00
    result = services.credit_check(customer=customer, amount_minor=1_00, currency="CNY", document_kind="invoice",
                                   contract=contract, lock=False)
    assert (result.decision, result.increase_minor) == ("block", 1_00)
    with pytest.raises(Conflict):
        post(customer, 1_00, contract=contract, actor=clerk)


def test_items_long_overdue_block_unless_they_are_rounding_leftovers(customer):
    old = post(customer, 1_000_00, days_ago=120)  # due 90 days ago (30-day terms)
    rate(customer, limit=10**12)
    blocked = check(customer, 1_00)
    assert (blocked.decision, codes(blocked)) == ("block", ["overdue"])
    assert blocked.reasons[0] | {"message": ""} == {
        "code": "overdue", "severity": "block", "message": "", "days": 90, "min_minor": 100_00,
        "overdue_minor": 1_000_00, "items": 1, "oldest_days": 90}
    factories.payment(customer, amount=1_000_00 - 99_99, received=TODAY, auto_allocate=True)
    assert Invoice.objects.get(pk=old.pk).amount_open_minor == 99_99
    assert check(customer, 1_00).decision == "allow"


def test_overdue_less_than_the_days_does_not_block_and_the_days_come_from_the_profile(customer):
    post(customer, 1_000_00, days_ago=119)  # 89 days overdue
    rate(customer, limit=10**12)
    assert check(customer, 1_00).decision == "allow"
    rate(customer, limit=10**12, overdue_block_days=60)
    assert codes(check(customer, 1_00)) == ["overdue"]


def test_grade_d_buys_only_against_prepayment(customer):
    rate(customer, grade="D", limit=0)
    assert codes(check(customer, 5_000_00)) == ["grade_d", "limit_exceeded"]
    rate(customer, grade="D", limit=None)
    assert codes(check(customer, 5_000_00)) == ["grade_d"]
    factories.payment(customer, amount=5_000_00, received=TODAY)  # prepaid, unapplied
    assert check(customer, 5_000_00).decision == "allow"
    assert check(customer, 5_000_01).decision == "block"


def test_an_active_hold_blocks_any_customer_and_a_released_one_does_not(customer, credit_manager):
    hold = services.hold_place(customer=customer, reason_code="dunning_stop_supply", note="", source_ref="dunning:9",
                               actor=None)
    result = check(customer, 1_00)
    assert (result.decision, codes(result)) == ("block", ["hold", "unrated"])
    assert result.reasons[0]["hold_reason"] == "dunning_stop_supply"
    services.hold_release(hold=hold, actor=credit_manager, note="客户已付款")
    assert check(customer, 1_00).decision == "warn"


# ---------------------------------------------------------------- the hook: invoices and contracts


def test_a_blocked_invoice_is_a_conflict_with_the_reasons_and_writes_nothing(customer, clerk):
    rate(customer, limit=100_000_00)
    post(customer, 90_000_00, actor=clerk)
    before = ledger_state()

    with pytest.raises(Conflict) as refused:
        post(customer, 10_000_01, actor=clerk)

    body = refused.value.as_dict()
    assert body["code"] == "credit_blocked"
    assert body["details"]["decision"] == "block"
    assert [r["code"] for r in body["details"]["reasons"]] == ["limit_exceeded"]
    assert (body["details"]["exposure_minor"], body["details"]["limit_minor"]) == (90_000_00, 100_000_00)
    assert "INV-000002" in body["message"]
    assert ledger_state() == before
    assert Invoice.objects.filter(customer=customer).count() == 1


def test_an_unrated_customer_is_invoiced_as_before(customer, clerk):
    for _ in range(3):
        post(customer, 10**12, actor=clerk)
    assert Invoice.objects.filter(customer=customer).count() == 3


def test_a_contract_over_the_limit_is_refused_and_a_draft_is_not_checked(customer, clerk):
    rate(customer, limit=100_000_00)
    with pytest.raises(Conflict) as refused:
        contract_create(actor=clerk, customer=customer, number="HT-BIG", signed_date=TODAY, amount_minor=100_000_01)
    assert refused.value.code == "credit_blocked"
    assert not Contract.objects.filter(number="HT-BIG").exists()
    contract_create(actor=clerk, customer=customer, number="HT-DRAFT", signed_date=TODAY, amount_minor=10**12,
                    status="draft")
    contract_create(actor=clerk, customer=customer, number="HT-OK", signed_date=TODAY, amount_minor=100_000_00)
    assert exposure_breakdown(customer).total_minor == 100_000_00


# ---------------------------------------------------------------- overrides at work


def approved_override(customer, requester, approver, *, amount: int, **kw) -> CreditOverride:
    override = services.override_request(customer=customer, amount_minor=amount, currency="CNY",
                                         reason="大客户年底备货", actor=requester, **kw)
    return services.override_approve(override=override, actor=approver, note="同意")


def test_an_approved_override_lets_the_first_matching_blocked_invoice_through_once(
        customer, clerk, credit_manager):
    rate(customer, limit=100_000_00)
    post(customer, 100_000_00, actor=clerk)
    override = approved_override(customer, clerk, credit_manager, amount=20_000_00, document_kind="invoice")

    passed = post(customer, 20_000_00, actor=clerk)

    override.refresh_from_db()
    assert (override.status, override.consumed_document_kind, override.consumed_document_ref) == (
        OverrideStatus.CONSUMED, "invoice", passed.number)
    assert AuditEvent.objects.filter(action="credit_override_used", subject_id=str(override.pk)).count() == 1
    with pytest.raises(Conflict):
        post(customer, 1_00, actor=clerk)  # used up


def test_an_override_does_not_fit_a_larger_document_another_number_kind_or_currency(
        customer, clerk, credit_manager):
    rate(customer, limit=0)
    approved_override(customer, clerk, credit_manager, amount=10_000_00, document_kind="invoice",
                      document_ref="INV-X1")
    for kwargs in ({"number": "INV-X1", "gross": 10_000_01}, {"number": "INV-X2", "gross": 1_00}):
        with pytest.raises(Conflict):
            post(customer, kwargs["gross"], number=kwargs["number"], actor=clerk)
    with pytest.raises(Conflict):
        contract_create(actor=clerk, customer=customer, number="INV-X1", signed_date=TODAY, amount_minor=1_00)
    post(customer, 10_000_00, number="INV-X1", actor=clerk)
    assert CreditOverride.objects.get().status == OverrideStatus.CONSUMED


def test_an_override_is_not_used_when_the_document_is_allowed_anyway(customer, clerk, credit_manager):
    rate(customer, limit=100_000_00)
    override = approved_override(customer, clerk, credit_manager, amount=1_000_00)
    post(customer, 1_000_00, actor=clerk)
    override.refresh_from_db()
    assert override.status == OverrideStatus.APPROVED


def test_requested_rejected_and_expired_overrides_let_nothing_through(customer, clerk, credit_manager):
    rate(customer, limit=0)
    services.override_request(customer=customer, amount_minor=1_00, currency="CNY", reason="r", actor=clerk)
    rejected = services.override_request(customer=customer, amount_minor=1_00, currency="CNY", reason="r",
                                         actor=clerk)
    services.override_reject(override=rejected, actor=credit_manager, note="不行")
    expired = approved_override(customer, clerk, credit_manager, amount=1_00)
    CreditOverride.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict):
        post(customer, 1_00, actor=clerk)

    assert services.overrides_expire() == 1
    assert CreditOverride.objects.get(pk=expired.pk).status == OverrideStatus.EXPIRED
    assert sorted(CreditOverride.objects.values_list("status", flat=True)) == ["expired", "rejected", "requested"]


def test_the_api_style_check_with_consume_uses_an_override_for_an_erp_order(customer, clerk, credit_manager):
    from django.db import transaction

    rate(customer, limit=0)
    override = approved_override(customer, clerk, credit_manager, amount=5_000_00, document_kind="order",
                                 document_ref="SO-77")
    assert check(customer, 5_000_00, document_ref="SO-77").decision == "block"  # a plain check uses nothing
    with transaction.atomic():
        result = services.credit_check(customer=customer, amount_minor=5_000_00, currency="CNY",
                                       document_kind="order", document_ref="SO-77", user=clerk,
                                       consume_override=True)
    assert (result.decision, result.override_id, codes(result)) == ("allow", override.pk,
                                                                    ["limit_exceeded", "override_used"])
    assert CreditOverride.objects.get(pk=override.pk).consumed_document_ref == "SO-77"


def test_exposure_of_many_customers_in_one_query(company, clerk, django_assert_num_queries):
    first, second, idle = factories.customer(), factories.customer(), factories.customer()
    post(first, 100_00)
    contract_create(actor=clerk, customer=second, number="HT-M", signed_date=TODAY, amount_minor=500_00)
    post(second, 200_00, contract=Contract.objects.get(number="HT-M"))
    factories.payment(second, amount=50_00, received=TODAY, method="bank_acceptance", bill_number="B-M",
                      bill_maturity_date=TODAY + timedelta(days=10), auto_allocate=True)

    from arms.exposure.selectors import exposure_by_customer

    with django_assert_num_queries(1):  # the three components' sums as one UNION ALL
        figures = exposure_by_customer([first.pk, second.pk, idle.pk])

    assert figures == {first.pk: {"CNY": 100_00}, second.pk: {"CNY": 150_00 + 300_00 + 50_00}, idle.pk: {}}
    assert figures[second.pk]["CNY"] == exposure_breakdown(second).total_minor


def test_an_amendment_that_raises_or_activates_a_contract_passes_the_check(customer, clerk):
    """A raise by amendment, and signing an approved contract (how a contract comes into force since issue 16's
    review), pass the same credit check under the customer's lock."""
    from arms.contracts.models import Contract
    from arms.contracts.services import contract_amend, contract_sign

    rate(customer, limit=100_000_00)
    active = contract_create(actor=clerk, customer=customer, number="HT-A", signed_date=TODAY, amount_minor=60_000_00)
    draft = contract_create(actor=clerk, customer=customer, number="HT-D", signed_date=TODAY, amount_minor=50_000_00,
                            status="draft")
    Contract.objects.filter(pk=draft.pk).update(status="approved")  # the review itself: tests/contractreview

    with pytest.raises(Conflict) as raised:
        contract_amend(actor=clerk, contract=active, reason="增加数量", amount_minor=100_000_01)
    assert raised.value.code == "credit_blocked"
    with pytest.raises(Conflict) as activated:
        contract_sign(actor=clerk, contract=draft, signed_date=TODAY)
    assert activated.value.code == "credit_blocked"
    active.refresh_from_db()
    draft.refresh_from_db()
    assert (active.amount_minor, active.version, draft.status) == (60_000_00, 1, "approved")  # nothing changed

    contract_amend(actor=clerk, contract=active, reason="减少数量", amount_minor=40_000_00)  # a cut is never checked
    contract_sign(actor=clerk, contract=draft, signed_date=TODAY)  # 40k + 50k fits now
    assert exposure_breakdown(customer).total_minor == 90_000_00
