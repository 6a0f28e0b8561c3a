"""The small-balance pages and API: the list (paginated, exported), asking for a batch, the approval by another
finance manager, the settings; refusals name their field and write nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from arms.ledger.models import SmallBalanceBatch, SmallBalanceThreshold, WriteOff
from tests.api.conftest import Api, assert_error
from tests.small_balances.helpers import state

pytestmark = [pytest.mark.django_db, pytest.mark.clock(date(2026, 3, 31))]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_asks_for_the_ticked_residues_and_another_manager_approves(finance, residues_of_two):
    _customer, cny, usd = residues_of_two
    clerk = _client(finance["clerk"])
    page = clerk.get(reverse("writeoffs:small_balances")).content.decode()
    assert f'data-invoice="{cny.pk}"' in page and f'data-invoice="{usd.pk}"' in page
    assert page.count("data-invoice=") == 2  # the small unpaid invoice is not listed

    response = clerk.post(reverse("writeoffs:small_balances"), {"invoice": [cny.pk], "note": "手续费"})
    assert response.status_code == 302
    batch = SmallBalanceBatch.objects.get()
    assert list(batch.items.values_list("invoice_id", flat=True)) == [cny.pk]

    detail = clerk.get(reverse("writeoffs:small_balance_batch", args=[batch.pk])).content.decode()
    assert 'id="batch-decision"' not in detail  # a clerk does not decide (nor the requester)
    manager = _client(finance["manager"])
    page = manager.get(reverse("writeoffs:small_balance_batch", args=[batch.pk])).content.decode()
    assert 'id="batch-decision"' in page
    response = manager.post(reverse("writeoffs:small_balance_batch_decide", args=[batch.pk, "approve"]), {"note": ""})
    assert response.status_code == 302
    assert list(WriteOff.objects.values_list("invoice_id", "account")) == [(cny.pk, "6603")]
    assert manager.get(reverse("writeoffs:small_balance_batches")).status_code == 200


def test_the_requester_approving_on_the_page_is_refused_and_nothing_is_written(finance, residues_of_two):
    manager = _client(finance["manager"])
    manager.post(reverse("writeoffs:small_balances"), {"everything": "on"})
    batch = SmallBalanceBatch.objects.get()
    before = state()
    response = manager.post(reverse("writeoffs:small_balance_batch_decide", args=[batch.pk, "approve"]), {})
    assert response.status_code == 400 and 'class="alert error"' in response.content.decode()
    assert state() == before


def test_exports_of_the_list_and_the_batch(finance, residues_of_two):
    _customer, cny, _usd = residues_of_two
    clerk = _client(finance["clerk"])
    response = clerk.get(reverse("writeoffs:small_balances"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert cny.number in body and "18.00" in body and "31.00" in body


def test_the_settings_page_sets_a_threshold_and_refuses_a_negative_one(finance):
    manager = _client(finance["manager"])
    url = reverse("writeoffs:small_balance_settings")
    response = manager.post(url, {"currency": "USD", "threshold": "-1.00"})
    assert response.status_code == 400 and SmallBalanceThreshold.objects.count() == 0
    assert manager.post(url, {"currency": "USD", "threshold": "20.00"}).status_code == 302
    assert SmallBalanceThreshold.objects.get().threshold_minor == 20_00
    assert manager.post(url, {"account": "6711"}).status_code == 302
    assert _client(finance["clerk"]).post(url, {"currency": "USD", "threshold": "1"}).status_code == 404


def test_the_api_story(finance, residues_of_two):
    _customer, cny, usd = residues_of_two
    clerk, manager = Api(finance["clerk"]), Api(finance["manager"])
    listed = clerk.get("/write-offs/small-balances")
    assert listed.status_code == 200
    assert sorted((r["id"], r["amount_open_minor"]) for r in listed.json()["items"]) == [
        (cny.pk, 18_00), (usd.pk, 31_00)]

    created = clerk.post("/write-offs/small-balances/batches", {"invoice_ids": [usd.pk], "note": "bank charges"})
    assert created.status_code == 201, created.content
    batch_id = created.json()["id"]
    assert created.json()["items"][0]["amount_minor"] == 31_00

    before = state()
    assert_error(clerk.post(f"/write-offs/small-balances/batches/{batch_id}/approve", {}), 403, "forbidden", None)
    assert state() == before
    approved = manager.post(f"/write-offs/small-balances/batches/{batch_id}/approve", {"note": "ok"})
    assert approved.status_code == 200 and approved.json()["status"] == "posted"
    assert approved.json()["items"][0]["posted_at"]


def test_the_api_refuses_a_non_residue_and_a_threshold_out_of_bounds(finance, residues_of_two):
    customer, _cny, _usd = residues_of_two
    unpaid = customer.invoices.get(gross_minor=20_00)
    clerk, manager = Api(finance["clerk"]), Api(finance["manager"])
    before = state()
    assert_error(clerk.post("/write-offs/small-balances/batches", {"invoice_ids": [unpaid.pk]}), 409,
                 "not_a_residue", "invoices")
    put = manager.client.put("/api/v1/write-offs/small-balances/thresholds/USD",
                             json.dumps({"threshold_minor": -5}), content_type="application/json",
                             headers=manager._headers(None))
    assert put.status_code == 422 and "threshold_minor" in put.content.decode()
    assert state() == before and SmallBalanceThreshold.objects.count() == 0
    put = manager.client.put("/api/v1/write-offs/small-balances/thresholds/usd",
                             json.dumps({"threshold_minor": 10_00}), content_type="application/json",
                             headers=manager._headers(None))
    assert put.status_code == 200 and put.json()["thresholds"] == [{"currency": "USD", "threshold_minor": 10_00}]
