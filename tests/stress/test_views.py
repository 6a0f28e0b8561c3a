"""The /stress/ pages: a scenario saved through the form (a share over 100% shown beside its field, nothing
written), run, its results page with the charts, Excel and PDF; the cost of overdue; the settings; roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arms.audit.models import AuditEvent
from arms.stress.models import Scenario, ScenarioRun, StressSettings

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-10-20")]


def test_save_run_and_read_a_scenario(book, client):
    client.force_login(book.finmgr)
    home = client.get(reverse("stress:home"))
    assert home.status_code == 200 and Scenario.objects.get().is_standard  # the built-in one, from the first visit
    events, scenarios = AuditEvent.objects.count(), Scenario.objects.count()
    refused = client.post(reverse("stress:scenario_new"), {"name": "延迟", "slip_share": "120", "slip_days": "60"})
    assert refused.status_code == 400 and 'id="error-slip_share"' in refused.content.decode()
    assert (Scenario.objects.count(), AuditEvent.objects.count()) == (scenarios, events)
    saved = client.post(reverse("stress:scenario_new"), {
        "name": "全部延迟30天+最大客户违约", "slip_share": "100", "slip_days": "30", "default_top_n": "1"})
    scenario = Scenario.objects.get(is_standard=False)
    assert saved.status_code == 302 and (scenario.slip_share_bp, scenario.slip_days) == (10_000, 30)
    ran = client.post(reverse("stress:scenario_run", args=[scenario.pk]), {"as_of": "2026-10-20"})
    run = ScenarioRun.objects.get()
    assert ran.status_code == 302 and ran.url == reverse("stress:run", args=[run.pk])
    page = client.get(ran.url).content.decode()
    assert 'id="summary-table"' in page and "<svg" in page and "-1,000.00" in page and "BIG" in page
    export = client.get(ran.url, {"export": "xlsx"})
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    pdf = client.get(reverse("stress:run_pdf", args=[run.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("stress:runs")).status_code == 200
    edit = client.get(reverse("stress:scenario_edit", args=[scenario.pk]))
    assert edit.status_code == 200 and 'value="100"' in edit.content.decode()


def test_cost_of_overdue_page_and_export(book, client):
    client.force_login(book.executive)
    page = client.get(reverse("stress:cost"), {"as_of": "2026-10-20", "by": "customer"})
    text = page.content.decode()
    assert page.status_code == 200 and "OTH" in text and "BIG" not in text
    collectors = client.get(reverse("stress:cost"), {"by": "collector"})
    assert collectors.status_code == 200
    export = client.get(reverse("stress:cost"), {"export": "csv"})
    assert export.status_code == 200 and "OTH" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_settings_are_changed_by_the_finance_manager_only(book, client):
    client.force_login(book.executive)
    assert client.get(reverse("stress:settings")).status_code == 200
    assert client.post(reverse("stress:settings"), {"opening_cash": "1", "weekly_outflow": "1",
                                                    "financing_rate": "5", "concentration_limit": "20"}
                       ).status_code == 403
    assert client.get(reverse("stress:scenario_new")).status_code == 403
    client.force_login(book.finmgr)
    saved = client.post(reverse("stress:settings"), {"opening_cash": "12,345.67", "weekly_outflow": "1000",
                                                     "financing_rate": "5.5", "concentration_limit": "25"})
    assert saved.status_code == 302
    row = StressSettings.objects.get()
    assert (row.opening_cash_minor, row.weekly_outflow_minor, row.financing_rate_bp, row.concentration_limit_bp) == (
        1_234_567, 100_000, 550, 2_500)
    client.force_login(book.sales)
    assert client.get(reverse("stress:home")).status_code == 403
