"""The credit pages through Django's test client: the file with its breakdown chart, the queue, the
request/approve screens, and who may see and do what."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from arms.credit.models import CreditProfile, LimitChangeRequest, RatingProposal
from arms.credit.services import financial_statement_save, rating_run
from tests import factories

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager():
    return factories.user("cm", role="credit_manager")


@pytest.fixture
def rated(customer):
    financial_statement_save(customer=customer, actor=None, fiscal_year=2025, total_assets_minor=100_00,
                             total_liabilities_minor=30_00, revenue_minor=1_000_000_00)
    return rating_run(customer=customer, as_of=date(2026, 3, 31), reason="first")


def test_credit_file_shows_grade_chart_history_and_proposal(customer, rated, manager):
    page = login(manager).get(f"/credit/customers/{customer.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'data-factor="debt_ratio"' in html  # the breakdown chart
    assert f'data-rating="{rated.pk}"' in html and 'id="proposal"' in html and 'id="accept-form"' in html
    assert "2025" in html  # the financial statement
    assert 'id="exposure-gauge"' in html and 'class="exposure-gauge' in html  # the exposure app's gauge


def test_rate_accept_and_reject_through_the_pages(customer, manager):
    client = login(manager)
    response = client.post(f"/credit/customers/{customer.pk}/rate/", {"reason": "new customer"})
    assert response.status_code == 302
    proposal = RatingProposal.objects.get(customer=customer, status="pending")
    response = client.post(f"/credit/proposals/{proposal.pk}/accept/", {"limit": "12,000.00", "reason": ""})
    assert response.status_code == 400 and "error-reason" in response.content.decode()
    assert RatingProposal.objects.get(pk=proposal.pk).status == "pending"
    response = client.post(f"/credit/proposals/{proposal.pk}/accept/", {"limit": "12,000.00", "reason": "start small"})
    assert response.status_code == 302
    assert CreditProfile.objects.get(customer=customer).limit_minor == 12_000_00
    client.post(f"/credit/customers/{customer.pk}/rate/", {})
    second = RatingProposal.objects.get(customer=customer, status="pending")
    client.post(f"/credit/proposals/{second.pk}/reject/", {"reason": "no change"})
    assert RatingProposal.objects.get(pk=second.pk).status == "rejected"


def test_facts_and_financials_forms(customer, manager):
    client = login(manager)
    page = client.get(f"/credit/customers/{customer.pk}/")
    assert page.status_code == 200 and 'id="facts-form"' in page.content.decode()
    assert not CreditProfile.objects.exists()  # reading writes nothing
    response = client.post(f"/credit/customers/{customer.pk}/facts/", {
        "bureau_rating": "A", "lawsuits_count": "2", "dishonest_debtor": "no", "business_abnormal": "",
        "guarantees_held": "50,000.00", "overdue_block_days": "60", "overdue_block_min": "500.00"})
    # the guarantees held come from the guarantees register (issue 16): a typed figure is ignored
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = CreditProfile.objects.get(customer=customer)
    assert (profile.bureau_rating, profile.lawsuits_count, profile.dishonest_debtor, profile.business_abnormal,
            profile.guarantees_held_minor, profile.overdue_block_days, profile.overdue_block_min_minor) == (
        "A", 2, False, None, 0, 60, 500_00)
    response = client.post(f"/credit/customers/{customer.pk}/financials/", {
        "fiscal_year": "2025", "total_assets": "1,000,000.00", "revenue": "abc"})
    assert response.status_code == 400 and "error-revenue" in response.content.decode()
    response = client.post(f"/credit/customers/{customer.pk}/financials/", {
        "fiscal_year": "2025", "total_assets": "1,000,000.00", "net_profit": "-12.50"})
    assert response.status_code == 302
    assert customer.financial_statements.get().net_profit_minor == -1250


def test_limit_request_screens_refuse_the_requester(customer, rated, manager):
    seller = factories.user("seller", role="sales")
    customer.salesperson = seller
    customer.save()
    client = login(seller)
    page = client.get(f"/credit/customers/{customer.pk}/limit-request/")
    assert page.status_code == 200
    response = client.post(f"/credit/customers/{customer.pk}/limit-request/",
                           {"requested_limit": "80,000.00", "justification": "新订单", "idempotency_key": "abc"})
    assert response.status_code == 302
    request = LimitChangeRequest.objects.get()
    detail = client.get(f"/credit/limit-requests/{request.pk}/").content.decode()
    assert 'id="own-request"' in detail and 'id="approve-form"' not in detail
    client.post(f"/credit/limit-requests/{request.pk}/approve/", {})
    assert LimitChangeRequest.objects.get().status == "pending"  # refused: nothing changed

    queue = login(manager).get("/credit/review/").content.decode()
    assert f'data-request="{request.pk}"' in queue and f'data-proposal="{rated.proposal.pk}"' in queue
    login(manager).post(f"/credit/limit-requests/{request.pk}/approve/", {"note": "ok"})
    assert LimitChangeRequest.objects.get().status == "approved"
    assert CreditProfile.objects.get(customer=customer).limit_minor == 80_000_00


def test_visibility_and_permissions(customer, rated):
    seller = factories.user("seller", role="sales")
    client = login(seller)
    assert client.get(f"/credit/customers/{customer.pk}/").status_code == 404  # not their customer
    assert client.post(f"/credit/customers/{customer.pk}/rate/", {}).status_code == 403
    auditor = login(factories.user("aud", role="auditor"))
    assert auditor.get(f"/credit/customers/{customer.pk}/").status_code == 200
    assert auditor.post(f"/credit/proposals/{rated.proposal.pk}/accept/", {}).status_code == 403
    for path in ("/credit/", "/credit/review/", "/credit/limit-requests/", "/credit/policies/",
                 f"/credit/ratings/{rated.pk}/"):
        assert auditor.get(path).status_code == 200, path


def test_index_and_rating_detail(customer, rated, manager):
    client = login(manager)
    html = client.get("/credit/").content.decode()
    assert f'data-customer="{customer.code}"' in html and 'data-grade-count="C"' in html
    detail = client.get(f"/credit/ratings/{rated.pk}/").content.decode()
    assert 'data-factor="industry"' in detail and 'id="recomputed"' in detail
    page = client.get(f"/customers/{customer.pk}/")
    assert page.status_code == 200 and 'id="credit-grade"' in page.content.decode()


def test_pages_speak_chinese(customer, rated, manager):
    from django.conf import settings

    client = login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(f"/credit/customers/{customer.pk}/").content.decode()
    assert "信用档案" in html and "评分构成" in html and "资产负债率" in html
    assert "<summary>信用</summary>" in html  # the navigation's menu, not the ledger's 贷方


@pytest.mark.parametrize(("typed", "waits"), [("3,000,000.00", True), ("1,000,000.00", False)])
def test_a_proposal_limit_above_the_threshold_waits_for_the_finance_manager_on_the_page(customer, manager, typed,
                                                                                          waits):
    CreditProfile.objects.create(customer=customer, limit_minor=5_000_000_00)
    proposal = rating_run(customer=customer, as_of=date(2026, 3, 31)).proposal
    response = login(manager).post(f"/credit/proposals/{proposal.pk}/accept/", {"limit": typed, "reason": "复核"},
                                   follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    limit = CreditProfile.objects.get(customer=customer).limit_minor
    if waits:
        assert limit == 5_000_000_00 and "new limit waits for a finance manager" in html
        request = LimitChangeRequest.objects.get(customer=customer, status="pending")
        assert (request.requested_limit_minor, request.needs_finance_manager) == (3_000_000_00, True)
    else:
        assert limit == 1_000_000_00 and not LimitChangeRequest.objects.exists()
