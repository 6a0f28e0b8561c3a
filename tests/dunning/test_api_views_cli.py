"""/api/v1/dunning, the /dunning/ pages and `arms dunning`: permissions, visibility, downloads, bad input."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from arms.dunning.models import DunningAction, DunningExclusion, DunningPolicy, DunningRun
from arms.dunning.services import dunning_run
from tests import factories
from tests.api.conftest import Api
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract, make_customer

pytestmark = [pytest.mark.django_db, AFTER_THE_STORIES]

DUE = date(2026, 2, 9)


@pytest.fixture
def dunned(policy, people, django_capture_on_commit_callbacks):
    """Two customers of two salespeople, each with a letter at +30."""
    other_sales = factories.user("sales-other", role="sales")
    mine = make_customer(people, name="甲公司")
    theirs = make_customer({**people, "sales": other_sales}, name="乙公司")
    for cust in (mine, theirs):
        factories.invoice(cust, contract=make_contract(cust))
    with django_capture_on_commit_callbacks(execute=True):
        run = dunning_run(as_of=DUE + timedelta(days=30))
    return {"run": run, "mine": mine, "theirs": theirs}


def test_sales_see_only_their_customers_actions(dunned, people):
    api = Api(people["sales"])
    body = api.get("/dunning/actions").json()
    assert [a["customer_id"] for a in body["items"]] == [dunned["mine"].pk]
    theirs = DunningAction.objects.get(customer=dunned["theirs"])
    assert api.get(f"/dunning/actions/{theirs.pk}").status_code == 404
    assert api.post("/dunning/runs", {}).status_code == 403


def test_manager_starts_a_run_and_reads_the_letter(dunned, people, django_capture_on_commit_callbacks):
    api = Api(people["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/dunning/runs", {"as_of": str(DUE + timedelta(days=30))})
    assert response.status_code == 202 and response["Location"] == f"/api/v1/jobs/{response.json()['id']}"
    job = api.get(response["Location"].removeprefix("/api/v1")).json()
    # the day has its run already: one run per company and day, so the job answers with it
    assert (job["status"], job["result_data"]["run_id"]) == ("done", dunned["run"].pk)
    assert job["result_api_url"] == f"/api/v1/dunning/runs/{dunned['run'].pk}"
    action = DunningAction.objects.get(customer=dunned["mine"])
    detail = api.get(f"/dunning/actions/{action.pk}").json()
    assert (detail["stage_code"], detail["open"], detail["has_letter"]) == ("letter", "1,130.00", True)
    assert detail["interest_minor"] == 1_695 and detail["items"][0]["days_past_due"] == 30
    letter = api.get(f"/dunning/actions/{action.pk}/letter.pdf")
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
    assert api.get("/dunning/runs").json()["count"] == 1


def test_interest_preview_by_invoice_and_by_figures(dunned, people):
    api = Api(people["collector"])
    invoice = dunned["mine"].invoices.get()
    body = api.get("/dunning/interest", {"invoice_id": invoice.pk, "as_of": "2026-03-21"}).json()
    assert (body["days_overdue"], body["interest_minor"], body["penalty_minor"]) == (40, 2_260, 5_650)
    body = api.get("/dunning/interest", {"amount_minor": 1_000_000, "due_date": "2026-01-01", "as_of": "2026-01-11",
                                         "daily_rate": "0.0005"}).json()
    assert (body["interest"], body["total_minor"]) == ("50.00", 5_000)
    bad = api.get("/dunning/interest", {"amount_minor": 1.5, "due_date": "2026-01-01"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "amount_minor"
    assert api.get("/dunning/interest").json()["error"]["field"] == "invoice_id"


def test_exclusions_through_the_api(dunned, people):
    api = Api(people["collector"])
    made = api.post("/dunning/exclusions", {"customer_id": dunned["mine"].pk, "reason": "破产重整"})
    assert made.status_code == 201
    again = api.post("/dunning/exclusions", {"customer_id": dunned["mine"].pk, "reason": "again"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_excluded")
    assert api.get(f"/dunning/customers/{dunned['mine'].pk}").json()["excluded"] is True
    lifted = api.post(f"/dunning/exclusions/{made.json()['id']}/lift", {"note": "重整完成"})
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]
    assert Api(people["sales"]).post("/dunning/exclusions", {"customer_id": dunned["mine"].pk,
                                                             "reason": "x"}).status_code == 403


def test_policy_api_validates_the_ladder(policy, people):
    api = Api(people["manager"])
    body = {"code": "vip", "name": "VIP", "grade": "A", "stages": [
        {"code": "a", "name": "财务跟进", "offset_days": 5, "level": "finance"},
        {"code": "b", "name": "销售提醒", "offset_days": 10, "level": "sales"}]}
    refused = api.post("/dunning/policies", body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "ladder_level_steps_down")
    assert not DunningPolicy.objects.filter(code="vip").exists()
    body["stages"][1]["level"] = "credit_legal"
    made = api.post("/dunning/policies", body)
    assert made.status_code == 201 and [s["offset_days"] for s in made.json()["stages"]] == [5, 10]
    changed = api.client.put(f"/api/v1/dunning/policies/{made.json()['id']}", json.dumps({"priority": 5}),
                             content_type="application/json", headers=api._headers(None))
    assert changed.status_code == 200 and changed.json()["priority"] == 5
    unknown = api.client.put(f"/api/v1/dunning/policies/{made.json()['id']}",
                             json.dumps({"priority": 7, "colour": "red"}), content_type="application/json",
                             headers=api._headers(None))
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (422, "colour")
    assert DunningPolicy.objects.get(code="vip").priority == 5
    assert Api(people["collector"]).post("/dunning/policies", body).status_code == 403


def test_lawyers_letters_are_for_legal_not_for_sales(policy, people, django_capture_on_commit_callbacks):
    cust = make_customer(people)
    factories.invoice(cust)
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=DUE + timedelta(days=95))
    action = DunningAction.objects.get()
    assert action.stage.code == "lawyer_letter"
    assert Api(people["sales"]).get("/dunning/actions").json()["count"] == 1  # the action, yes
    assert Api(people["sales"]).get(f"/dunning/actions/{action.pk}/letter.pdf").status_code == 403  # the letter, no
    assert Api(people["sales"]).get(f"/dunning/actions/{action.pk}/statement.pdf").status_code == 200
    assert Api(people["legal"]).get(f"/dunning/actions/{action.pk}/letter.pdf").status_code == 200


def test_pages_render_in_chinese(dunned, people, client):
    client.force_login(people["manager"])
    client.cookies["django_language"] = "zh-hans"
    overview = client.get(reverse("dunning:overview"))
    assert overview.status_code == 200
    assert "甲公司" in overview.content.decode() and "乙公司" in overview.content.decode()
    action = DunningAction.objects.get(customer=dunned["mine"])
    page = client.get(reverse("dunning:action", args=[action.pk])).content.decode()
    assert "1,130.00" in page and "16.95" in page
    for name in ("dunning:emails", "dunning:policies", "dunning:exclusions"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("dunning:run", args=[dunned["run"].pk])).status_code == 200
    assert client.get(reverse("dunning:letter", args=[action.pk]))["Content-Type"] == "application/pdf"
    book = load_workbook(io.BytesIO(client.get(reverse("dunning:overview") + "?export=xlsx").getvalue()))
    rows = list(book.active.values)
    assert len(rows) == 3 and {r[2] for r in rows[1:]} == {"甲公司", "乙公司"}
    csv_text = client.get(reverse("dunning:overview") + "?export=csv&stage_code=letter").getvalue().decode(
        "utf-8-sig")
    assert csv_text.count("\n") == 3


def test_sales_pages_show_only_their_customers_and_no_run_button(dunned, people, client):
    client.force_login(people["sales"])
    page = client.get(reverse("dunning:overview")).content.decode()
    assert "甲公司" in page and "乙公司" not in page
    assert f'action="{reverse("dunning:run_start")}"' not in page
    theirs = DunningAction.objects.get(customer=dunned["theirs"])
    assert client.get(reverse("dunning:action", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("dunning:run_start"), {"as_of": "2026-03-11"}).status_code == 403


def test_a_run_from_the_ui_and_an_exclusion_form(policy, people, client, django_capture_on_commit_callbacks):
    cust = make_customer(people)
    factories.invoice(cust)
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dunning:run_start"), {"as_of": str(DUE + timedelta(days=1))})
    run = DunningRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('dunning:overview')}?as_of={DUE + timedelta(days=1)}"
    assert (run.trigger, run.started_by, run.actions_count) == ("ui", people["collector"], 1)
    page = client.get(response["Location"]).content.decode()
    assert reverse("dunning:run", args=[run.pk]) in page  # the finished job links to its run
    bad = client.post(reverse("dunning:exclusions"), {"customer_code": cust.code, "reason": ""})
    assert bad.status_code == 400 and not DunningExclusion.objects.exists()
    good = client.post(reverse("dunning:exclusions"), {"customer_code": cust.code, "reason": "战略客户"})
    assert good.status_code == 302 and DunningExclusion.objects.get().reason == "战略客户"


def test_auditor_reads_and_changes_nothing(dunned, people, client):
    auditor = factories.user("auditor-d", role="auditor")
    api = Api(auditor)
    assert api.get("/dunning/actions").json()["count"] == 2
    assert api.post("/dunning/runs", {}).status_code == 403
    assert api.post("/dunning/emails/retry").status_code == 403


def test_cli_runs_for_a_date_and_is_idempotent(policy, people, capsys):
    cust = make_customer(people, email=None)
    factories.invoice(cust)
    call_command("dunning", "run", "--date", str(DUE + timedelta(days=15)))
    first = json.loads(capsys.readouterr().out)
    assert (first["actions"], first["items"], first["processed"]) == (1, 1, {"done": 1, "failed": 0})
    call_command("dunning", "run", "--date", str(DUE + timedelta(days=15)))
    again = json.loads(capsys.readouterr().out)  # one run per day: the same run, nothing carried out twice
    assert (again["run"], again["processed"]) == (first["run"], {"done": 0, "failed": 0})
    call_command("dunning", "exclude", cust.code, "--reason", "诉讼中")
    assert json.loads(capsys.readouterr().out)["customer"] == cust.code
    call_command("dunning", "status")
    assert [r["actions"] for r in json.loads(capsys.readouterr().out)["runs"]] == [1]


def test_a_finance_manager_edits_the_ladder_in_the_ui(policy, people, client):
    from arms.dunning.models import DunningStage

    client.force_login(people["manager"])
    page = client.get(reverse("dunning:policy_edit", args=[policy.pk]))
    assert page.status_code == 200
    stages = list(policy.stages.order_by("offset_days"))
    form = {"rows": str(len(stages) + 1), "is_active": "on"}
    for n, stage in enumerate(stages):
        for name in ("code", "name", "offset_days", "level", "email_template", "letter_kind", "task_kind",
                     "deadline_days"):
            form[f"stage-{n}-{name}"] = str(getattr(stage, name))
        for name in ("send_email", "attach_statement", "stop_supply"):
            if getattr(stage, name):
                form[f"stage-{n}-{name}"] = "on"
    form["stage-1-offset_days"] = "3"  # the reminder moves from +1 to +3
    new = len(stages)
    form.update({f"stage-{new}-code": "sms", f"stage-{new}-name": "短信提醒", f"stage-{new}-offset_days": "7",
                 f"stage-{new}-level": "sales", f"stage-{new}-email_template": "overdue",
                 f"stage-{new}-letter_kind": "", f"stage-{new}-task_kind": "call", f"stage-{new}-deadline_days": "3"})
    assert client.post(reverse("dunning:policy_edit", args=[policy.pk]), form).status_code == 302
    assert list(policy.stages.order_by("offset_days").values_list("offset_days", flat=True)) == [
        -7, 3, 7, 15, 30, 60, 90, 180]
    form[f"stage-{new}-level"] = "credit_legal"  # above the +15 call by sales: escalation would step down
    refused = client.post(reverse("dunning:policy_edit", args=[policy.pk]), form)
    assert refused.status_code == 400 and DunningStage.objects.get(policy=policy, code="sms").level == "sales"
    client.force_login(people["collector"])
    assert client.get(reverse("dunning:policy_edit", args=[policy.pk])).status_code == 403
