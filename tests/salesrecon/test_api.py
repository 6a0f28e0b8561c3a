"""The sales–finance reconciliation over the API: who may do what, and a salesperson sees only their own."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.salesrecon.models import ReconciliationDifference, SalesReconciliation
from tests import factories
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db


def test_open_answer_resolve_and_sign_off_over_the_api(book, month):
    finance, ann, bob = Api(book["finance"]), Api(book["ann"]), Api(book["bob"])
    response = finance.post("/sales-reconciliations", {"month": f"{month[0]:%Y-%m}"})
    assert response.status_code == 201, response.content
    ids = {row["salesperson_id"]: row["id"] for row in response.json()}
    ann_id = ids[book["ann"].pk]

    listed = ann.get("/sales-reconciliations").json()
    assert [row["id"] for row in listed["items"]] == [ann_id]  # only her own
    assert bob.get(f"/sales-reconciliations/{ann_id}").status_code == 404
    detail = ann.get(f"/sales-reconciliations/{ann_id}").json()
    assert (detail["month"], detail["total_base_minor"], detail["total_base"]) == (f"{month[0]:%Y-%m}", 138_000,
                                                                                  "1,380.00")
    assert [(r["code"], r["balance_minor"], r["balance"]) for r in detail["snapshot"]] == [
        ("A1", 113_000, "1,130.00"), ("A2", 25_000, "250.00")]

    response = ann.post(f"/sales-reconciliations/{ann_id}/answer", {"agree": False, "differences": [
        {"customer_id": book["a1"].pk, "sales_minor": 100_000, "note": "credit note promised"}]})
    assert response.status_code == 200, response.content
    (diff,) = response.json()["differences"]
    assert (diff["ledger_minor"], diff["sales_minor"], diff["sales"]) == (113_000, 100_000, "1,000.00")

    assert_error(finance.post(f"/sales-reconciliations/{ann_id}/sign-off", {}), 409, "conflict", "differences")
    response = finance.post(f"/sales-reconciliations/differences/{diff['id']}/assign",
                            {"owner_id": book["finance"].pk})
    assert response.status_code == 200 and response.json()["owner_id"] == book["finance"].pk
    response = finance.post(f"/sales-reconciliations/differences/{diff['id']}/resolve",
                            {"resolution": "credit note posted"})
    assert response.json()["status"] == "resolved"
    response = finance.post(f"/sales-reconciliations/{ann_id}/sign-off", {"note": "ok"})
    assert response.status_code == 200 and response.json()["status"] == "signed_off"


def test_roles_are_held_to_their_part(book, month):
    finance, ann, bob = Api(book["finance"]), Api(book["ann"]), Api(book["bob"])
    collector = Api(factories.user("col", role="collector"))
    before = AuditEvent.objects.count()
    assert_error(ann.post("/sales-reconciliations", {"month": f"{month[0]:%Y-%m}"}), 403, "forbidden", None)
    assert SalesReconciliation.objects.count() == 0 and AuditEvent.objects.count() == before
    finance.post("/sales-reconciliations", {"month": f"{month[0]:%Y-%m}"})
    ann_id = SalesReconciliation.objects.get(salesperson=book["ann"]).pk
    before = AuditEvent.objects.count()
    # another salesperson cannot find it; finance cannot answer for the salesperson; the salesperson cannot sign off
    assert_error(bob.post(f"/sales-reconciliations/{ann_id}/answer", {"agree": True}), 404, "not_found",
                 "reconciliation_id")
    assert_error(finance.post(f"/sales-reconciliations/{ann_id}/answer", {"agree": True}), 403, "forbidden", None)
    ann.post(f"/sales-reconciliations/{ann_id}/answer", {"agree": True})
    assert_error(ann.post(f"/sales-reconciliations/{ann_id}/sign-off", {}), 403, "forbidden", None)
    assert_error(collector.get("/sales-reconciliations"), 403, "forbidden", None)
    assert AuditEvent.objects.count() == before + 1  # the one answer


@pytest.mark.parametrize(("path", "body", "field"), [
    ("", {"month": "2026-13"}, "month"),
    ("", {"month": "next"}, "month"),
    ("", {"month": "2026-01", "extra": 1}, "extra"),
    ("/{id}/answer", {"agree": False, "differences": [{"customer_id": 1, "sales_minor": 1.5}]},
     "differences[0].sales_minor"),
    ("/{id}/answer", {"agree": False, "differences": [{"customer_id": 1, "sales_minor": 1, "note": "x" * 5001}]},
     "differences[0].note"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(book, month, path, body, field):
    finance, ann = Api(book["finance"]), Api(book["ann"])
    finance.post("/sales-reconciliations", {"month": f"{month[0]:%Y-%m}"})
    ann_id = SalesReconciliation.objects.get(salesperson=book["ann"]).pk
    client = finance if path == "" else ann
    before = (SalesReconciliation.objects.count(), ReconciliationDifference.objects.count(),
              AuditEvent.objects.count())
    response = client.post("/sales-reconciliations" + path.format(id=ann_id), body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert field in (error.get("field"), *[f.get("field") for f in error.get("fields", [])]), error
    assert before == (SalesReconciliation.objects.count(), ReconciliationDifference.objects.count(),
                      AuditEvent.objects.count())
