"""The pages: draft from a contract, edit lines (a bad row is named), submit, return and approve, the variance."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from arms.collectionplans.models import CollectionPlan


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_draft_edit_submit_return_approve_through_the_pages(people, contract, today):
    sales, fm = _client(people["sales"]), _client(people["fm"])
    made = sales.post(reverse("collectionplans:create"), {"source": "contract", "contract": "HT-CP-1"})
    assert made.status_code == 302
    plan = CollectionPlan.objects.get(contract=contract)
    page = sales.get(made["Location"])
    assert page.status_code == 200 and "HT-CP-1" in page.content.decode()

    # a zero amount in the second row is refused beside that row; the lines stay as they were
    url = reverse("collectionplans:lines", args=[plan.pk])
    rows = {"note": "", "date_0": today.isoformat(), "amount_0": "30,000.00", "description_0": "预付款",
            "date_1": today.isoformat(), "amount_1": "0", "description_1": "到货款", "remove_2": "on"}
    refused = sales.post(url, rows)
    assert refused.status_code == 422 or refused.status_code == 400
    assert 'id="error-amount_1"' in refused.content.decode()
    assert plan.lines.count() == 3

    saved = sales.post(url, {**rows, "amount_1": "60,000.00", "date_3": (today + timedelta(days=30)).isoformat(),
                             "amount_3": "5,000.00", "description_3": "补充款"})
    assert saved.status_code == 302
    assert sorted(plan.lines.values_list("amount_minor", flat=True)) == [500_000, 3_000_000, 6_000_000]

    assert sales.post(reverse("collectionplans:submit", args=[plan.pk])).status_code == 302
    no_comment = fm.post(reverse("collectionplans:return", args=[plan.pk]), {"comment": ""})
    assert no_comment.status_code in (400, 422) and 'id="error-comment"' in no_comment.content.decode()
    fm.post(reverse("collectionplans:return", args=[plan.pk]), {"comment": "请补充验收款"})
    plan.refresh_from_db()
    assert (plan.status, plan.decision_note) == ("draft", "请补充验收款")
    sales.post(reverse("collectionplans:submit", args=[plan.pk]))
    fm.post(reverse("collectionplans:approve", args=[plan.pk]), {"comment": ""})
    plan.refresh_from_db()
    assert plan.status == "approved"
    detail = fm.get(reverse("collectionplans:detail", args=[plan.pk])).content.decode()
    assert 'id="plan-months"' in detail

    listed = fm.get(reverse("collectionplans:home"), {"status": "approved"}).content.decode()
    assert f'data-plan="{plan.pk}"' in listed
    variance = fm.get(reverse("collectionplans:variance"), {"month": f"{today:%Y-%m}"})
    assert variance.status_code == 200 and f'data-owner="{people["sales"].pk}"' in variance.content.decode()
    assert fm.get(reverse("collectionplans:variance"), {"month": "2026-13"}).status_code == 400


def test_another_salesperson_gets_no_page_and_a_clerk_cannot_draft(people, contract):
    sales = _client(people["sales"])
    sales.post(reverse("collectionplans:create"), {"source": "contract", "contract": "HT-CP-1"})
    plan = CollectionPlan.objects.get(contract=contract)
    assert _client(people["sales2"]).get(reverse("collectionplans:detail", args=[plan.pk])).status_code == 404
    assert _client(people["clerk"]).get(reverse("collectionplans:detail", args=[plan.pk])).status_code == 200
    assert _client(people["clerk"]).get(reverse("collectionplans:create")).status_code == 403
    other = _client(people["sales2"]).post(reverse("collectionplans:create"), {"source": "contract",
                                                                              "contract": "HT-CP-1"})
    assert other.status_code == 400 and 'id="error-contract"' in other.content.decode()
