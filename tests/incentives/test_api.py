"""/api/v1/incentives through HTTP with a bearer token: a scheme made, rated, computed, approved by a second finance
manager, its lines and items read, the sheet downloaded; bad input refused with the field named, nothing written."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.incentives.models import IncentiveRating, IncentiveScheme
from tests.api.conftest import Api, assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-05")]

BODY = {"period": "2026-11-01", "base_pool_minor": 1_000_000, "weight_collections_bp": 6000,
        "weight_recovery_bp": 1500, "weight_dunning_bp": 1500, "weight_rating_bp": 1000, "dso_step_days": 2,
        "members": [{"username": "s1", "role": "salesperson"}, {"username": "s2", "role": "salesperson"}]}


def test_the_month_through_the_api(book):
    fm1, fm2, clerk = Api(book.fm1), Api(book.fm2), Api(book.clerk)
    made = fm1.post("/incentives/schemes", BODY)
    assert made.status_code == 201, made.content
    scheme = made.json()
    assert [m["username"] for m in scheme["members"]] == ["s1", "s2"]
    path = f"/incentives/schemes/{scheme['id']}"
    for api, ratee, score in ((fm1, "s1", 80), (clerk, "s1", 90), (fm1, "s2", 70)):
        rated = api.post(f"{path}/ratings", {"ratee": ratee, "score": score})
        assert rated.status_code == 201, rated.content
    computed = fm1.post(f"{path}/compute", {})
    assert computed.status_code == 200, computed.content
    assert computed.json()["pool_minor"] == 1_010_000
    assert_error(fm1.post(f"{path}/approve", {}), 403, "four_eyes", None)
    approved = fm2.post(f"{path}/approve", {})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    lines = {line["username"]: line for line in fm2.get(f"{path}/lines").json()["items"]}
    assert (lines["s1"]["total_minor"], lines["s2"]["total_minor"]) == (560_487, 439_513)
    items = fm2.get(f"{path}/lines/s1/items", {"part": "collections"}).json()
    assert [(i["receipt_number"], i["amount_minor"]) for i in items["items"]] == [("R-X-1", 40_000),
                                                                                   ("R-Y-1", 50_000)]
    assert fm2.get(f"{path}/lines/s1/items", {"part": "overdue"}).json()["items"][0]["invoice_number"] == "Y_OLD"
    sheet = fm2.get(f"{path}/sheet", {"format": "xlsx"})
    assert sheet.status_code == 200 and "attachment" in sheet["Content-Disposition"]
    assert_error(fm1.patch(path, {"base_pool_minor": 1}), 409, "incentive_scheme_locked", None)


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(book):
    fm1 = Api(book.fm1)
    before = AuditEvent.objects.count()
    assert_error(fm1.post("/incentives/schemes", {**BODY, "weight_rating_bp": 500}), 422, "invalid", "weights")
    assert not IncentiveScheme.objects.exists() and AuditEvent.objects.count() == before
    scheme = fm1.post("/incentives/schemes", BODY).json()
    path = f"/incentives/schemes/{scheme['id']}/ratings"
    assert_error(fm1.post(path, {"ratee": "s1", "score": 101}), 422, "invalid", "score")
    assert_error(Api(book.s1).post(path, {"ratee": "s1", "score": 100}), 422, "invalid", "ratee")
    assert not IncentiveRating.objects.exists()
    assert_error(Api(book.s1).post("/incentives/schemes", {**BODY, "period": "2026-10-01"}), 403, "forbidden", None)
