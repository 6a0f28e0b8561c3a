"""The demo (one completed hand-over, one awaiting), the command line, and the API through HTTP."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from arms.customers.models import Customer
from arms.handover.demo import seed_demo
from arms.handover.models import Handover
from tests import factories
from tests.api.conftest import Api


def test_demo_makes_one_completed_and_one_awaiting_hand_over(db, today):
    users = {name: factories.user(name, role=role) for name, role in [
        ("clerk", "finance_clerk"), ("finmgr", "finance_manager"), ("collector1", "collector"),
        ("collector2", "collector"), ("senior", "senior_collector")]}
    for i in range(3):
        factories.customer(f"D2{i}", collector=users["collector2"])
    factories.customer("D10", collector=users["collector1"])

    assert seed_demo(today=today, seed=1) == {"hand-overs completed": 1, "hand-overs awaiting": 1}
    assert sorted(Handover.objects.values_list("status", flat=True)) == ["awaiting", "completed"]
    assert list(Customer.objects.filter(collector=users["collector1"]).order_by("code")
                .values_list("code", flat=True)) == ["D10", "D20", "D21"]
    assert Customer.objects.get(code="D10").key_account is True
    assert seed_demo(today=today, seed=1) == {"hand-overs completed": 0, "hand-overs awaiting": 0}


def test_cli_lists_shows_and_routes(book, tmp_path):
    from arms.handover.services import handover_open

    handover = handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.new)
    out = StringIO()
    call_command("handover", "list", stdout=out)
    assert json.loads(out.getvalue().splitlines()[0])["reference"] == handover.reference
    out = StringIO()
    call_command("handover", "show", str(handover.pk), "--xlsx", str(tmp_path / "h.xlsx"), stdout=out)
    assert json.loads(out.getvalue())["list"]["open_items"][0]["number"] == "HINV-1"
    assert (tmp_path / "h.xlsx").read_bytes()[:2] == b"PK"
    Customer.objects.filter(pk=book.other.pk).update(key_account=True)
    out = StringIO()
    call_command("handover", "route-key-accounts", stdout=out)
    assert json.loads(out.getvalue())["routed"] == 1


def test_api_open_acknowledge_and_refusals(book):
    clerk, old, new = Api(book.clerk), Api(book.old), Api(book.new)
    refused = clerk.post("/handovers", {"role": "collector", "from_user_id": book.old.pk, "to_user_id": book.old.pk})
    assert refused.status_code == 422, refused.content
    assert refused.json()["error"]["field"] == "to_user_id"
    assert Handover.objects.count() == 0
    assert old.post("/handovers", {"role": "collector", "from_user_id": book.old.pk,
                                   "to_user_id": book.new.pk}).status_code == 403

    created = clerk.post("/handovers", {"role": "collector", "from_user_id": book.old.pk, "to_user_id": book.new.pk,
                                        "customer_ids": [book.c1.pk], "reason": "离职"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "awaiting" and [i["number"] for i in body["snapshot"]["open_items"]] == [
        "HINV-1", "HINV-2"]
    hid = body["id"]
    assert clerk.post(f"/handovers/{hid}/acknowledge", {"note": ""}).status_code == 403
    assert old.post(f"/handovers/{hid}/acknowledge", {"note": "已移交"}).json()["outgoing_ack_by"] == "old"
    done = new.post(f"/handovers/{hid}/acknowledge", {"note": "已接收"}).json()
    assert done["status"] == "completed" and done["moved"]["customers"] == 1
    again = new.post(f"/handovers/{hid}/acknowledge", {"note": ""})
    assert again.status_code == 409 and again.json()["error"]["code"] == "handover_not_open"
    assert clerk.get("/handovers").json()["count"] == 1
    pdf = clerk.get(f"/handovers/{hid}/xlsx")
    assert pdf.status_code == 200 and "attachment" in pdf["Content-Disposition"]
    sales = Api(factories.user("sales-x", role="sales"))
    assert sales.get(f"/handovers/{hid}").status_code == 404
    flagged = Api(book.finmgr).patch(f"/customers/{book.c2.pk}", {"key_account": True})
    assert flagged.status_code == 200 and flagged.json()["key_account"] is True
    assert Api(book.finmgr).get("/handovers/key-accounts").json()["items"][0]["collector_is_senior"] is False
