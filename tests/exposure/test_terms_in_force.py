"""Credit terms in force (issue 16): the unrated policy, terms longer than the grade (and the terms exception),
the deposit before a contract's first invoice, the guarantees register with its expiry warning. Every refusal
names its rule or field and writes nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict, ValidationFailed
from arms.common.models import Notification
from arms.contracts.models import Contract
from arms.contracts.services import contract_create
from arms.credit.models import CreditProfile, Guarantee, GuaranteeStatus
from arms.credit.services import guarantee_record, guarantee_release
from arms.domain import exposure as rules
from arms.exposure import services
from arms.exposure.models import CreditControlSettings, CreditOverride, OverrideStatus
from arms.exposure.selectors import contract_deposit_status
from arms.ledger.models import Invoice, Payment
from arms.ledger.services import invoice_post, payment_record
from tests import factories
from tests.api.conftest import Api, assert_error
from tests.exposure.conftest import rate

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def post(customer, gross: int, *, terms: int = 30, actor=None, **kw) -> Invoice:
    return invoice_post(actor=actor, customer=customer, issue_date=TODAY, due_date=TODAY + timedelta(days=terms),
                        net_minor=gross, tax_minor=0, **kw)


def codes(error: Conflict) -> list[str]:
    return [r["code"] for r in error.details["reasons"]]


# ---------------------------------------------------------------- the rules, plain Python


def facts(**kw) -> rules.CreditFacts:
    base = {"exposure_minor": 0, "increase_minor": 0, "amount_minor": 0}
    return rules.CreditFacts(**{**base, **kw})


def test_unrated_policies_warn_limit_and_block():
    under = facts(exposure_minor=40_000_00, increase_minor=10_000_00, amount_minor=10_000_00,
                  unrated_policy=rules.UNRATED_LIMIT, unrated_limit_minor=50_000_00)
    assert rules.decide(under).decision == rules.WARN  # exactly the default limit: allowed, with the warning
    over = facts(exposure_minor=40_000_00, increase_minor=10_000_01, amount_minor=10_000_01,
                 unrated_policy=rules.UNRATED_LIMIT, unrated_limit_minor=50_000_00)
    decided = rules.decide(over)
    assert (decided.decision, decided.reasons[0].code, decided.reasons[0].params["excess_minor"]) == (
        rules.BLOCK, "unrated_limit", 1)
    blocked = rules.decide(facts(increase_minor=1, amount_minor=1, unrated_policy=rules.UNRATED_BLOCK))
    assert [r.code for r in blocked.reasons] == ["unrated_blocked"]
    warned = rules.decide(facts(increase_minor=10**12, amount_minor=10**12, unrated_policy=rules.UNRATED_WARN))
    assert (warned.decision, [r.code for r in warned.reasons]) == (rules.WARN, ["unrated"])


def test_terms_guarantee_and_deposit_rules():
    rated = {"limit_minor": 1_000_000_00, "increase_minor": 100_00, "amount_minor": 100_00, "grade": "C"}
    assert rules.decide(facts(**rated, terms_days=30, terms_allowed_days=30)).decision == rules.ALLOW
    longer = rules.decide(facts(**rated, terms_days=31, terms_allowed_days=30))
    assert (longer.decision, longer.reasons[0].code, longer.reasons[0].params) == (
        rules.BLOCK, "terms_exceeded", {"terms_days": 31, "allowed_days": 30, "grade": "C"})
    missing = rules.decide(facts(**rated, guarantee_required=True, guarantee_held=False))
    assert [r.code for r in missing.reasons] == ["guarantee_missing"]
    assert rules.decide(facts(**rated, guarantee_required=True, guarantee_held=True)).decision == rules.ALLOW
    deposit = rules.decide(facts(**rated, deposit_required_minor=300_00, deposit_received_minor=299_99))
    assert [(r.code, r.params["missing_minor"]) for r in deposit.reasons] == [("deposit_missing", 1)]
    assert rules.decide(facts(**rated, deposit_required_minor=300_00, deposit_received_minor=300_00)).decision \
        == rules.ALLOW


# ---------------------------------------------------------------- unrated customers


@pytest.mark.unrated_policy("limit")
def test_the_product_default_holds_an_unrated_customer_to_fifty_thousand(customer, clerk):
    post(customer, 50_000_00, actor=clerk)  # up to the default limit: goes through
    with pytest.raises(Conflict) as refused:
        post(customer, 1, actor=clerk)
    assert codes(refused.value) == ["unrated_limit"]
    assert "50,000.00" in refused.value.message
    assert Invoice.objects.count() == 1  # nothing written


def test_a_saved_policy_wins_and_a_credit_manager_changes_it(customer, clerk, credit_manager, company):
    services.control_settings_update(company_id=customer.company_id, actor=credit_manager, unrated_policy="block",
                                     unrated_limit_minor=0, guarantee_warn_days=30)
    with pytest.raises(Conflict) as refused:
        post(customer, 100_00, actor=clerk)
    assert codes(refused.value) == ["unrated_blocked"]
    assert AuditEvent.objects.filter(action="credit_settings_changed").count() == 1
    with pytest.raises(ValidationFailed) as bad:
        services.control_settings_update(company_id=customer.company_id, actor=credit_manager,
                                         unrated_policy="limit", unrated_limit_minor=-1, guarantee_warn_days=30)
    assert bad.value.field == "unrated_limit_minor"
    with pytest.raises(ValidationFailed) as bad:
        services.control_settings_update(company_id=customer.company_id, actor=credit_manager,
                                         unrated_policy="limit", unrated_limit_minor=0, guarantee_warn_days=0)
    assert bad.value.field == "guarantee_warn_days"
    assert CreditControlSettings.objects.get().unrated_policy == "block"  # the refused changes wrote nothing
    with pytest.raises(Exception) as forbidden:
        services.control_settings_update(company_id=customer.company_id, actor=clerk, unrated_policy="warn",
                                         unrated_limit_minor=0, guarantee_warn_days=30)
    assert getattr(forbidden.value, "status", None) == 403


# ---------------------------------------------------------------- terms by grade, and the exception


def test_terms_longer_than_the_grade_are_refused_until_an_exception_is_approved(
        customer, clerk, credit_manager, second_credit_manager):
    rate(customer, grade="C", limit=500_000_00, payment_terms_days=30)
    post(customer, 10_000_00, terms=30, actor=clerk)
    with pytest.raises(Conflict) as refused:
        post(customer, 10_000_00, terms=60, actor=clerk, number="INV-60")
    assert codes(refused.value) == ["terms_exceeded"]
    assert "60" in refused.value.message and "30" in refused.value.message
    assert not Invoice.objects.filter(number="INV-60").exists()

    # an override without terms does not cover the terms rule; one with too few days neither
    plain = services.override_request(customer=customer, amount_minor=20_000_00, currency="CNY", reason="急单",
                                      actor=clerk)
    services.override_approve(override=plain, actor=credit_manager)
    short = services.override_request(customer=customer, amount_minor=20_000_00, currency="CNY", reason="急单",
                                      actor=clerk, terms_days=45)
    services.override_approve(override=short, actor=credit_manager)
    with pytest.raises(Conflict):
        post(customer, 10_000_00, terms=60, actor=clerk, number="INV-60")

    exception = services.override_request(customer=customer, amount_minor=20_000_00, currency="CNY",
                                          reason="大客户年度框架, 账期60天", actor=credit_manager, terms_days=60)
    with pytest.raises(Exception) as four_eyes:
        services.override_approve(override=exception, actor=credit_manager)
    assert getattr(four_eyes.value, "code", "") == "four_eyes"
    services.override_approve(override=exception, actor=second_credit_manager)
    post(customer, 10_000_00, terms=60, actor=clerk, number="INV-60")
    exception.refresh_from_db()
    assert (exception.status, exception.consumed_document_ref) == (OverrideStatus.CONSUMED, "INV-60")
    assert CreditOverride.objects.get(pk=plain.pk).status == OverrideStatus.APPROVED  # untouched


def test_a_contract_with_longer_terms_is_refused_at_signing(customer, clerk):
    rate(customer, grade="B", limit=5_000_000_00, payment_terms_days=45)
    with pytest.raises(Conflict) as refused:
        contract_create(actor=clerk, customer=customer, number="HT-90", signed_date=TODAY,
                        amount_minor=100_000_00, payment_terms_days=90)
    assert codes(refused.value) == ["terms_exceeded"]
    assert not Contract.objects.filter(number="HT-90").exists()


def test_bad_terms_exception_is_refused_naming_the_field(customer, clerk):
    with pytest.raises(ValidationFailed) as bad:
        services.override_request(customer=customer, amount_minor=100_00, currency="CNY", reason="x", actor=clerk,
                                  terms_days=3651)
    assert bad.value.field == "terms_days"
    assert not CreditOverride.objects.exists()


# ---------------------------------------------------------------- the deposit before the first invoice


def test_the_first_invoice_waits_for_the_deposit(customer, clerk):
    rate(customer, grade="C", limit=5_000_000_00, deposit_pct=Decimal("30"))
    contract = contract_create(actor=clerk, customer=customer, number="HT-D", signed_date=TODAY,
                               amount_minor=100_000_00)
    assert contract_deposit_status(contract) == (30_000_00, 0, "CNY")
    with pytest.raises(Conflict) as refused:
        post(customer, 50_000_00, actor=clerk, contract=contract)
    assert codes(refused.value) == ["deposit_missing"]
    assert "30,000.00" in refused.value.message

    payment_record(actor=clerk, customer=customer, received_date=TODAY, amount_minor=29_999_99, contract=contract)
    with pytest.raises(Conflict):
        post(customer, 50_000_00, actor=clerk, contract=contract)
    deposit = payment_record(actor=clerk, customer=customer, received_date=TODAY, amount_minor=1, contract=contract)
    assert deposit.amount_unallocated_minor == 1  # an advance, unapplied (2203)
    post(customer, 50_000_00, actor=clerk, contract=contract)
    post(customer, 50_000_00, actor=clerk, contract=contract)  # only the first invoice waits
    assert contract_deposit_status(contract) == (30_000_00, 30_000_00, "CNY")

    # the contract's own deposit share wins over the profile's
    Contract.objects.filter(pk=contract.pk).update(deposit_pct=Decimal("0"))
    contract.refresh_from_db()
    assert contract_deposit_status(contract)[0] == 0


def test_a_deposit_for_another_customers_contract_is_refused(customer, clerk):
    other = factories.customer()
    contract = contract_create(actor=clerk, customer=other, number="HT-X", signed_date=TODAY, amount_minor=100_00)
    with pytest.raises(ValidationFailed) as bad:
        payment_record(actor=clerk, customer=customer, received_date=TODAY, amount_minor=100_00, contract=contract)
    assert bad.value.field == "contract"
    with pytest.raises(ValidationFailed) as bad:
        payment_record(actor=clerk, customer=other, received_date=TODAY, amount_minor=100_00, currency="USD",
                       contract=contract)
    assert bad.value.field == "contract"
    assert not Payment.objects.exists()


# ---------------------------------------------------------------- guarantees


def test_a_required_guarantee_is_checked_against_the_register(customer, clerk, credit_manager):
    rate(customer, grade="C", limit=5_000_000_00, guarantee_required=True)
    with pytest.raises(Conflict) as refused:
        post(customer, 10_000_00, actor=clerk)
    assert codes(refused.value) == ["guarantee_missing"]
    held = guarantee_record(actor=credit_manager, customer=customer, guarantor="华东担保有限公司",
                            kind="bank_guarantee",
                            amount_minor=200_000_00, currency="CNY", valid_from=TODAY - timedelta(days=10),
                            expiry_date=TODAY + timedelta(days=365), reference="BG-2026-01")
    assert CreditProfile.objects.get(customer=customer).guarantees_held_minor == 200_000_00  # derived
    post(customer, 10_000_00, actor=clerk)
    guarantee_release(guarantee=held, actor=credit_manager, note="客户提前结清")
    assert CreditProfile.objects.get(customer=customer).guarantees_held_minor == 0
    with pytest.raises(Conflict):
        post(customer, 10_000_00, actor=clerk)
    with pytest.raises(Conflict) as again:
        guarantee_release(guarantee=held, actor=credit_manager, note="again")
    assert again.value.code == "guarantee_not_active"


@pytest.mark.parametrize(("change", "field"), [
    ({"amount_minor": 0}, "amount_minor"),
    ({"amount_minor": -5}, "amount_minor"),
    ({"expiry_date": TODAY - timedelta(days=1)}, "expiry_date"),
    ({"guarantor": " "}, "guarantor"),
    ({"kind": "none"}, "kind"),
    ({"currency": "XXX1"}, "currency"),
])
def test_bad_guarantees_are_refused_naming_the_field(customer, credit_manager, change, field):
    given = {"guarantor": "张三", "kind": "personal", "amount_minor": 100_00, "currency": "CNY", "valid_from": TODAY,
             "expiry_date": TODAY + timedelta(days=30), **change}
    with pytest.raises(ValidationFailed) as bad:
        guarantee_record(actor=credit_manager, customer=customer, **given)
    assert bad.value.field == field
    assert not Guarantee.objects.exists() and not AuditEvent.objects.filter(action="guarantee_recorded").exists()


def test_expiry_is_warned_once_and_a_lapsed_guarantee_expires(customer, credit_manager):
    sales = factories.user(role="sales")
    customer.salesperson = sales
    customer.save(update_fields=["salesperson"])
    soon = guarantee_record(actor=credit_manager, customer=customer, guarantor="李四", kind="personal",
                            amount_minor=100_00, currency="CNY", valid_from=TODAY - timedelta(days=300),
                            expiry_date=TODAY + timedelta(days=20))
    later = guarantee_record(actor=credit_manager, customer=customer, guarantor="王五", kind="mortgage",
                             amount_minor=100_00, currency="CNY", valid_from=TODAY,
                             expiry_date=TODAY + timedelta(days=90))
    lapsed = guarantee_record(actor=credit_manager, customer=customer, guarantor="赵六", kind="pledge",
                              amount_minor=300_00, currency="CNY", valid_from=TODAY - timedelta(days=60),
                              expiry_date=TODAY - timedelta(days=1))
    assert CreditProfile.objects.get(customer=customer).guarantees_held_minor == 200_00  # the lapsed one is not held

    assert services.guarantees_expiring_run(as_of=TODAY) == {"warned": 1, "expired": 1}
    assert services.guarantees_expiring_run(as_of=TODAY) == {"warned": 0, "expired": 0}  # once per guarantee
    notes = Notification.objects.filter(kind="credit.guarantee_expiring")
    assert {n.user_id for n in notes} == {credit_manager.pk, sales.pk}
    assert Guarantee.objects.get(pk=lapsed.pk).status == GuaranteeStatus.EXPIRED
    assert Guarantee.objects.get(pk=soon.pk).expiry_warned_at is not None
    assert Guarantee.objects.get(pk=later.pk).expiry_warned_at is None
    assert AuditEvent.objects.filter(action="guarantee_expired").count() == 1


# ---------------------------------------------------------------- API and pages


def test_api_settings_guarantees_terms_exception_and_deposit(customer, clerk, credit_manager):
    cm = Api(credit_manager)
    assert cm.get("/credit/settings").json()["unrated_policy"] == "warn"  # the suite's default (tests/conftest.py)
    body = {"unrated_policy": "limit", "unrated_limit_minor": 80_000_00, "guarantee_warn_days": 45}
    answer = cm.client.put("/api/v1/credit/settings", json.dumps(body), content_type="application/json",
                           headers=cm._headers(None))
    assert answer.status_code == 200 and answer.json()["unrated_limit"] == "80,000.00"
    refused = cm.client.put("/api/v1/credit/settings", json.dumps({**body, "unrated_limit_minor": -1}),
                            content_type="application/json", headers=cm._headers(None))
    assert_error(refused, 422, "invalid", "unrated_limit_minor")
    clerk_put = Api(clerk).client.put("/api/v1/credit/settings", json.dumps(body), content_type="application/json",
                                      headers=Api(clerk)._headers(None))
    assert clerk_put.status_code == 403

    g = {"customer_id": customer.pk, "guarantor": "华东担保", "kind": "bank_guarantee", "amount_minor": 500_00,
         "valid_from": TODAY.isoformat(), "expiry_date": (TODAY + timedelta(days=10)).isoformat()}
    created = cm.post("/credit/guarantees", g)
    assert created.status_code == 201, created.content
    assert_error(cm.post("/credit/guarantees", {**g, "expiry_date": (TODAY - timedelta(days=1)).isoformat()}),
                 422, "invalid", "expiry_date")
    listed = cm.get("/credit/guarantees", {"customer_id": customer.pk}).json()
    assert listed["count"] == 1 and listed["items"][0]["amount"] == "500.00"
    released = cm.post(f"/credit/guarantees/{created.json()['id']}/release", {"note": "退还"})
    assert released.json()["status"] == "released"

    asked = Api(clerk).post("/credit/overrides", {"customer_id": customer.pk, "amount_minor": 100_00,
                                                   "reason": "账期例外", "terms_days": 90})
    assert asked.status_code == 201 and asked.json()["terms_days"] == 90
    assert_error(Api(clerk).post("/credit/overrides", {"customer_id": customer.pk, "amount_minor": 100_00,
                                                        "reason": "x", "terms_days": 4000}), 422, "invalid",
                 "terms_days")

    contract = contract_create(actor=clerk, customer=customer, number="HT-API", signed_date=TODAY,
                               amount_minor=100_00)
    paid = Api(clerk).post("/payments", {"customer_id": customer.pk, "received_date": TODAY.isoformat(),
                                         "amount_minor": 30_00, "contract_id": contract.pk})
    assert paid.status_code == 201 and paid.json()["contract_id"] == contract.pk


def test_credit_file_shows_the_terms_in_force_and_records_a_guarantee(customer, credit_manager, clerk):
    rate(customer, grade="C", limit=500_000_00, payment_terms_days=30, guarantee_required=True)
    services.override_request(customer=customer, amount_minor=100_00, currency="CNY", reason="例外", actor=clerk,
                              terms_days=60)
    client = Client()
    client.force_login(credit_manager)
    html = client.get(f"/credit/customers/{customer.pk}/").content.decode()
    assert 'id="terms-exceptions"' in html and "60" in html and 'id="guarantees-held"' in html
    response = client.post(f"/credit/customers/{customer.pk}/guarantees/", {
        "guarantor": "张三", "kind": "personal", "amount": "1,000.00", "currency": "CNY",
        "valid_from": TODAY.isoformat(), "expiry_date": (TODAY - timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and "error-expiry_date" in response.content.decode()
    assert not Guarantee.objects.exists()
    response = client.post(f"/credit/customers/{customer.pk}/guarantees/", {
        "guarantor": "张三", "kind": "personal", "amount": "1,000.00", "currency": "CNY",
        "valid_from": TODAY.isoformat(), "expiry_date": (TODAY + timedelta(days=100)).isoformat()})
    assert response.status_code == 302, response.content.decode()[:1500]
    page = client.get("/credit/guarantees/")
    assert page.status_code == 200 and "张三" in page.content.decode()
    assert client.get("/credit/guarantees/?format=csv").status_code == 200
    settings_page = client.post("/credit/holds/settings/", {"unrated_policy": "block", "unrated_limit": "0",
                                                            "guarantee_warn_days": "30"})
    assert settings_page.status_code == 302
    assert CreditControlSettings.objects.get().unrated_policy == "block"


def test_the_erp_check_asks_about_terms_and_confirms_with_a_terms_exception(customer, clerk, credit_manager):
    rate(customer, grade="B", limit=5_000_000_00, payment_terms_days=45)
    api = Api(clerk)
    order = {"customer_id": customer.pk, "amount_minor": 100_00, "reference": "SO-9", "payment_terms_days": 60}
    answer = api.post("/credit/check", order).json()
    assert (answer["decision"], [r["code"] for r in answer["reasons"]]) == ("block", ["terms_exceeded"])
    exception = services.override_request(customer=customer, amount_minor=100_00, currency="CNY", reason="框架合同",
                                          actor=clerk, terms_days=60)
    services.override_approve(override=exception, actor=credit_manager)
    confirmed = api.post("/credit/check", {**order, "confirm": True}).json()
    assert confirmed["decision"] == "allow" and confirmed["override_id"] == exception.pk


def test_the_customer_page_records_a_deposit_for_a_contract(customer, clerk):
    contract = contract_create(actor=clerk, customer=customer, number="HT-WEB", signed_date=TODAY,
                               amount_minor=100_000_00)
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert 'name="contract"' in page and "HT-WEB" in page
    response = client.post(f"/customers/{customer.pk}/payments/", {
        "received_date": TODAY.isoformat(), "amount": "30,000.00", "currency": "CNY", "method": "bank_transfer",
        "contract": contract.pk, "idempotency_key": "k-1"})
    assert response.status_code == 302, response.content.decode()[:1500]
    payment = Payment.objects.get()
    assert (payment.contract_id, payment.amount_unallocated_minor) == (contract.pk, 30_000_00)
    assert "HT-WEB" in client.get(f"/payments/{payment.pk}/").content.decode()
