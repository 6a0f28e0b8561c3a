"""The legal pages: the review queue (reject without a comment is refused beside the field; approve sends), a case
opened, filed and worked on through its forms, a settlement approved on the settlements page, an asset recorded,
the settings; every list exports; a collector sees but cannot review."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from arms.dunning.models import DunningAction
from arms.legal.models import CaseCost, DebtorAsset, Hearing, LegalCase, LegalSettings, Settlement
from arms.legal.selectors import legal_summary
from arms.limitation.models import LimitationInterruption
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract, make_customer

pytestmark = [pytest.mark.django_db, AFTER_THE_STORIES]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_review_queue_pages(policy, people, lawyer, smtp_server, django_capture_on_commit_callbacks):
    from arms.dunning.services import dunning_run

    buyer = make_customer(people)
    factories.invoice(buyer, net=1_000_000, tax=130_000, contract=make_contract(buyer))
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=date(2026, 5, 10))
    draft = DunningAction.objects.get(stage__code="lawyer_letter")
    legal, collector = _client(lawyer), _client(people["collector"])

    queue = legal.get(reverse("legal:letters")).content.decode()
    assert f'data-letter="{draft.pk}"' in queue
    page = legal.get(reverse("legal:letter", args=[draft.pk])).content.decode()
    assert 'id="review-form"' in page and 'id="approve"' in page
    assert 'id="review-form"' not in collector.get(reverse("legal:letter", args=[draft.pk])).content.decode()
    assert collector.post(reverse("legal:letter_decide", args=[draft.pk, "approve"])).status_code == 403
    export = legal.get(reverse("legal:letters") + "?export=xlsx")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]

    refused = legal.post(reverse("legal:letter_decide", args=[draft.pk, "reject"]), {"note": ""})
    assert refused.status_code == 400 and "Say why the draft is rejected." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.review_status == "awaiting"

    with django_capture_on_commit_callbacks(execute=True):
        response = legal.post(reverse("legal:letter_decide", args=[draft.pk, "approve"]), {"note": "同意"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.review_status) == ("done", "approved") and len(smtp_server.messages) == 1


@pytest.mark.clock(date(2026, 9, 30))
def test_a_case_through_its_pages(company, customer, lawyer, lawyer2, manager):
    a = factories.invoice(customer, net=1_000_000, tax=130_000, issued=date(2026, 1, 10))
    legal, other = _client(lawyer), _client(lawyer2)

    settings = legal.post(reverse("legal:settings"), {"issuer_mode": "law_firm", "firm_name": "明理律所",
                                                      "lawyer_name": "", "licence_number": "1",
                                                      "asset_refresh_days": 90, "settlement_legal_limit": "50,000.00"})
    assert settings.status_code == 400 and not LegalSettings.objects.filter(issuer_mode="law_firm").exists()
    settings = legal.post(reverse("legal:settings"), {"issuer_mode": "law_firm", "firm_name": "明理律所",
                                                      "lawyer_name": "张明", "licence_number": "1",
                                                      "asset_refresh_days": 60, "settlement_legal_limit": "50,000.00"})
    assert settings.status_code == 302 and LegalSettings.objects.get().asset_refresh_days == 60

    assert legal.post(reverse("legal:case_list"), {"customer": customer.pk, "kind": "litigation",
                                                   "forum": ""}).status_code == 400
    response = legal.post(reverse("legal:case_list"), {"customer": customer.pk, "kind": "litigation",
                                                       "forum": "浦东法院"})
    assert response.status_code == 302
    case = LegalCase.objects.get()
    assert list(case.claims.all()) == [a] and case.claim_minor == 1_130_000

    def act(action, data, files=None):
        return legal.post(reverse("legal:case_action", args=[case.pk, action]), {**data, **(files or {})})

    assert act("file", {"filed_on": "2026-10-15"}).status_code == 400  # in the future
    assert act("file", {"filed_on": "2026-06-01", "case_number": "民初1号"}).status_code == 302
    assert LimitationInterruption.objects.filter(invoice=a, kind="lawsuit").exists()
    assert act("hearing", {"on": "2026-10-20", "note": "开庭"}).status_code == 302
    assert act("cost", {"kind": "court_fee", "on": "2026-06-01", "amount": "88.00"}).status_code == 302
    assert act("status", {"status": "hearing"}).status_code == 302
    assert act("status", {"status": "filed"}).status_code == 400
    assert act("settlement", {"invoice": a.pk, "waived_interest": "100.00", "terms": "免息"}).status_code == 302
    assert (Hearing.objects.count(), CaseCost.objects.get().amount_minor) == (1, 8_800)
    page = legal.get(reverse("legal:case", args=[case.pk])).content.decode()
    assert "民初1号" in page and 'id="hearing-form"' in page
    # the collections case page shows the customer's legal case (read-only, through legal's hook); not to sales
    collections = legal.get(reverse("cases:case", args=[customer.pk])).content.decode()
    assert 'id="legal-cases"' in collections and reverse("legal:case", args=[case.pk]) in collections
    assert legal_summary(customer_id=customer.pk, user=factories.user("sales-p", role="sales")) == []

    settlement = Settlement.objects.get()
    assert settlement.waived_interest_minor == 10_000
    own = legal.post(reverse("legal:settlement_decide", args=[settlement.pk, "approve"]), {"note": ""})
    assert own.status_code == 302
    settlement.refresh_from_db()
    assert settlement.status == "requested"  # the requester cannot approve: refused, shown as a message
    other.post(reverse("legal:settlement_decide", args=[settlement.pk, "approve"]), {"note": "同意"})
    settlement.refresh_from_db()
    assert settlement.status == "approved"

    asset = legal.post(reverse("legal:assets"), {"customer": customer.pk, "kind": "vehicle", "description": "沪A1",
                                                 "source": "走访", "fact_date": "2026-09-01",
                                                 "estimated_value": "10,000.00"})
    assert asset.status_code == 302 and DebtorAsset.objects.get().estimated_value_minor == 1_000_000
    mandate = legal.post(reverse("legal:agencies"), {"customer": customer.pk, "agency_name": "华信",
                                                     "handed_over_on": "2026-09-01", "fee_share": 1500})
    assert mandate.status_code == 302
    for name in ("legal:case_list", "legal:agencies", "legal:settlements", "legal:assets"):
        export = legal.get(reverse(name) + "?export=csv")
        assert export.status_code == 200 and "attachment" in export["Content-Disposition"], name
