"""Write-offs over the API: ask, attach evidence, three sign-offs post it, tax filing, recoveries; bad input is
refused naming the field and writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arms.ledger.models import WriteOff
from arms.writeoffs.models import WriteOffRequest
from tests import factories
from tests.api.conftest import Api, assert_error
from tests.writeoffs.test_services import state

pytestmark = pytest.mark.django_db


def test_ask_sign_three_times_file_and_read_over_the_api(people, debtor, today):
    collector = Api(people["collector"])
    first = debtor["first"]
    response = collector.post("/write-offs", {"customer_id": debtor["customer"].pk, "reason": "bankruptcy",
                                              "note": "破产终结", "items": [{"invoice_id": first.pk,
                                                                            "amount_minor": 11_300_000}]})
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["number"], made["status"], made["total_base"]) == ("WR-000001", "pending", "113,000.00")
    assert made["required_roles"] == ["finance", "legal", "audit"]
    wid = made["id"]
    assert_error(Api(people["finance"]).post(f"/write-offs/{wid}/sign", {}), 422, "invalid", "evidence")
    response = collector.upload(f"/write-offs/{wid}/evidence", {
        "kind": "bankruptcy", "description": "破产裁定",
        "file": SimpleUploadedFile("裁定.pdf", b"%PDF ruling", content_type="application/pdf")})
    assert response.status_code == 201, response.content
    evidence_id = response.json()["id"]
    download = collector.client.get(f"/api/v1/write-offs/{wid}/evidence/{evidence_id}",
                                    headers=collector._headers(None))
    assert download.status_code == 200 and download.content == b"%PDF ruling"
    assert download["Content-Disposition"].startswith("attachment")
    record = collector.client.get(f"/api/v1/write-offs/{wid}/collection-record", headers=collector._headers(None))
    assert record.status_code == 200 and b'"invoices"' in record.content

    assert_error(collector.post(f"/write-offs/{wid}/sign", {"role": "finance"}), 403, "four_eyes", None)
    for who in ("finance", "legal", "auditor"):
        response = Api(people[who]).post(f"/write-offs/{wid}/sign", {"note": "同意"})
        assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["status"] == "posted"
    assert [s["role"] for s in detail["sign_offs"]] == ["finance", "legal", "audit"]
    assert detail["items"][0]["write_off_id"] == WriteOff.objects.get().pk
    assert detail["net_base_minor"] == 11_300_000
    allocations = Api(people["clerk"]).get("/allocations", {"invoice_id": first.pk}).json()["items"]
    assert [(a["write_off_reference"], a["amount_minor"], a["payment_id"]) for a in allocations] == [
        ("WR-000001", 11_300_000, None)]

    clerk = Api(people["clerk"])
    response = clerk.upload(f"/write-offs/{wid}/tax-filing", {"filed_on": today.isoformat(), "reference": "备-1"})
    assert response.status_code == 200, response.content
    assert response.json()["tax_reference"] == "备-1"
    assert clerk.get("/write-offs", {"not_filed": "true"}).json()["count"] == 0
    listed = clerk.get("/write-offs", {"status": "posted"}).json()
    assert [row["number"] for row in listed["items"]] == ["WR-000001"]
    assert clerk.get(f"/write-offs/{wid}/recoveries").json() == []


@pytest.mark.parametrize(("body", "status", "code", "field"), [
    ({"reason": "bankruptcy", "items": [{"invoice_id": 0, "amount_minor": 1}]}, 422, "invalid", "items[0].invoice_id"),
    ({"reason": "nonsense", "items": []}, 422, "invalid", "reason"),
    ({"reason": "bankruptcy", "items": []}, 422, "invalid", "items"),
    ({"reason": "bankruptcy", "items": [{"invoice_id": "FIRST", "amount_minor": 11_300_001}]}, 422, "invalid",
     "items[0].amount_minor"),
    ({"reason": "bankruptcy", "items": [{"invoice_id": "FIRST", "amount_minor": -1}]}, 422, "invalid",
     "items[0].amount_minor"),
])
def test_bad_input_names_the_field_and_writes_nothing(people, debtor, body, status, code, field):
    items = [{**i, "invoice_id": debtor["first"].pk if i["invoice_id"] == "FIRST" else i["invoice_id"]}
             for i in body["items"]]
    api = Api(people["collector"])
    before = state()
    response = api.post("/write-offs", {**body, "items": items, "customer_id": debtor["customer"].pk})
    assert_error(response, status, code, field)
    assert state() == before


def test_who_may_ask_and_sign(people, debtor):
    body = {"customer_id": debtor["customer"].pk, "reason": "limitation_expired",
            "items": [{"invoice_id": debtor["second"].pk, "amount_minor": 100}]}
    auditor = Api(people["auditor"])
    assert_error(auditor.post("/write-offs", body), 403, "forbidden", None)
    wid = Api(people["legal"]).post("/write-offs", body).json()["id"]
    assert_error(Api(people["clerk"]).post(f"/write-offs/{wid}/sign", {"role": "finance"}), 403, "forbidden", "role")
    assert_error(Api(people["legal"]).post(f"/write-offs/{wid}/sign", {"role": "legal"}), 403, "four_eyes", None)
    sales = factories.user("s1", role="sales")
    assert Api(sales).get(f"/write-offs/{wid}").status_code == 403
    assert WriteOffRequest.objects.get(pk=wid).sign_offs.count() == 0
