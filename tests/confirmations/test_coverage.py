"""Coverage of confirmations, checked against a book built by hand: who owes what at the period end, who confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from arms.confirmations.coverage import confirmation_coverage, share_bp
from arms.confirmations.models import Confirmation
from arms.confirmations.services import confirmation_reply, confirmation_run_start
from arms.customers.services import company_ensure
from tests import factories
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(today):
    """Last month: ann's two customers owe 1,000.00 (confirmed) and 500.00 (disputed); bob's two owe 300.00 (no
    answer) and 200.00 (confirmed); one customer settled (0), one paid too much (a credit balance)."""
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    ann, bob = factories.user("ann", role="sales"), factories.user("bob", role="sales")
    clerk = factories.user("cov-clerk", role="finance_clerk")
    s1 = factories.customer("S1", salesperson=ann, region="east")
    s2 = factories.customer("S2", salesperson=ann, region="east")
    s3 = factories.customer("S3", salesperson=bob, region="north")
    s4 = factories.customer("S4", salesperson=bob, region="north")
    s5 = factories.customer("S5", region="south")
    s6 = factories.customer("S6", salesperson=bob, region="south")
    for cust, net in ((s1, 100_000), (s2, 50_000), (s3, 30_000), (s4, 20_000), (s5, 10_000), (s6, 10_000)):
        factories.invoice(cust, issued=start, net=net, tax=0)
    factories.payment(s5, amount=10_000, received=start + timedelta(days=1))
    factories.payment(s6, amount=15_000, received=start + timedelta(days=1))
    factories.invoice(s1, issued=end + timedelta(days=1), net=77_700, tax=0)  # after the period end
    confirmation_run_start(company=company_ensure(), period_end=end, actor=clerk)
    letters = {c.customer_id: c for c in Confirmation.objects.filter(period_end=end)}
    for cust in (s1, s4):
        confirmation_reply(confirmation=letters[cust.pk], actor=clerk, answer="confirmed", channel="email")
    confirmation_reply(confirmation=letters[s2.pk], actor=clerk, answer="disputed", channel="email", differences=[
        {"invoice_id": None, "kind": "not_in_our_books", "amount_minor": 5_000, "description": "返利"}])
    return {"end": end, "ann": ann, "bob": bob, "clerk": clerk, "s1": s1, "s2": s2, "s3": s3, "s4": s4,
            "letters": letters}


def _figures(group):
    return (group.customers, group.confirmed_customers, group.share_customers_bp, group.amount_base_minor,
            group.confirmed_base_minor, group.share_amount_bp)


def test_the_figures_of_a_hand_built_book(covered):
    result = confirmation_coverage(user=covered["clerk"], period_end=covered["end"])

    assert _figures(result.total) == (4, 2, 5000, 200_000, 120_000, 6000)
    assert [(g.key, _figures(g)) for g in result.by_salesperson] == [
        (str(covered["ann"].pk), (2, 1, 5000, 150_000, 100_000, 6667)),
        (str(covered["bob"].pk), (2, 1, 5000, 50_000, 20_000, 4000))]
    assert [(g.key, _figures(g)) for g in result.by_region] == [
        ("east", (2, 1, 5000, 150_000, 100_000, 6667)), ("north", (2, 1, 5000, 50_000, 20_000, 4000))]
    assert [(r.code, r.balance_base_minor, r.confirmation_status) for r in result.unconfirmed] == [
        ("S2", 50_000, "disputed"), ("S3", 30_000, "prepared")]


def test_a_salesperson_sees_only_their_customers_and_a_region_narrows(covered):
    mine = confirmation_coverage(user=covered["ann"], period_end=covered["end"])
    assert _figures(mine.total) == (2, 1, 5000, 150_000, 100_000, 6667)
    assert [r.code for r in mine.unconfirmed] == ["S2"]
    north = confirmation_coverage(user=covered["clerk"], period_end=covered["end"], region="north")
    assert _figures(north.total) == (2, 1, 5000, 50_000, 20_000, 4000)


def test_a_period_without_letters_has_nothing_confirmed(covered):
    earlier = covered["end"].replace(day=1) - timedelta(days=1)
    result = confirmation_coverage(user=covered["clerk"], period_end=earlier)
    assert _figures(result.total) == (0, 0, 0, 0, 0, 0) and result.unconfirmed == []


def test_share_rounds_half_up_in_basis_points():
    assert (share_bp(1, 3), share_bp(2, 3), share_bp(1, 8), share_bp(0, 0), share_bp(5, 0)) == (3333, 6667, 1250,
                                                                                                  0, 0)


def test_the_api(covered):
    clerk, ann = Api(covered["clerk"]), Api(covered["ann"])
    response = clerk.get("/confirmations/coverage", {"period_end": covered["end"].isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["total"]["share_amount_bp"], body["total"]["amount_base"], body["total"]["confirmed_base"]) == (
        6000, "2,000.00", "1,200.00")
    assert [g["key"] for g in body["by_region"]] == ["east", "north"]
    page = clerk.get("/confirmations/coverage/unconfirmed", {"limit": 1}).json()  # the latest period by default
    assert (page["period_end"], page["count"], [r["code"] for r in page["items"]]) == (
        covered["end"].isoformat(), 2, ["S2"])
    assert ann.get("/confirmations/coverage").json()["total"]["customers"] == 2
    response = clerk.get("/confirmations/coverage", {"region": "atlantis"})
    assert response.status_code == 422


def test_the_page_and_its_export(covered):
    client = Client()
    client.force_login(covered["clerk"])
    html = client.get(reverse("confirmation_coverage:coverage")).content.decode()
    assert 'data-share-amount-bp="6000"' in html and 'data-share-customers-bp="5000"' in html
    assert f'data-customer="{covered["s2"].pk}"' in html and f'data-customer="{covered["s1"].pk}"' not in html
    response = client.get(reverse("confirmation_coverage:coverage"), {"export": "csv"})
    rows = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + 2 and "500.00" in rows[1]
