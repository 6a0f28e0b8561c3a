"""The early-warning pages: the log with its counts and filters, a warning acknowledged from its page, the
indicator form (a threshold typed as a percentage; bad input shown beside its field, nothing written), risk
signals raised from the field with an evidence file and acknowledged by a credit manager."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arms.audit.models import AuditEvent
from arms.earlywarning.models import Indicator, RiskSignal, Warning
from arms.earlywarning.services import IndicatorFields, indicator_create, warnings_evaluate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(today):
    manager = factories.user("fm", role="finance_manager")
    sales = factories.user("sales1", role="sales")
    customer = factories.customer("HD001", name="华东机电有限公司", salesperson=sales)
    factories.invoice(customer, issued=today - timedelta(days=130), due_date=today - timedelta(days=100))
    indicator = indicator_create(actor=manager, fields=IndicatorFields(
        name="最早逾期超过90天", metric="oldest_overdue_days", threshold=90, severity="critical",
        responsible_role="finance_manager"))
    warnings_evaluate(as_of=today, indicator_ids=[indicator.pk])
    return {"manager": manager, "sales": sales, "customer": customer, "indicator": indicator,
            "warning": Warning.objects.get()}


def test_the_log_and_acknowledging_a_warning(client, world):
    client.force_login(world["manager"])
    page = client.get(reverse("earlywarning:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-warning="{world["warning"].pk}"' in html and "华东机电有限公司" in html
    assert client.get(reverse("earlywarning:home"), {"severity": "info"}).content.decode().count("data-warning=") == 0
    url = reverse("earlywarning:warning_acknowledge", args=[world["warning"].pk])
    assert client.post(url, {"note": ""}).status_code == 400
    response = client.post(url, {"note": "已约谈客户"})
    assert response.status_code == 302
    world["warning"].refresh_from_db()
    assert world["warning"].status == "acknowledged"
    detail = client.get(reverse("earlywarning:warning", args=[world["warning"].pk])).content.decode()
    assert "已约谈客户" in detail


def test_a_salesperson_sees_the_log_but_may_not_evaluate(client, world):
    client.force_login(world["sales"])
    assert client.get(reverse("earlywarning:home")).status_code == 200
    assert client.post(reverse("earlywarning:evaluate")).status_code == 403
    assert client.get(reverse("earlywarning:indicators")).status_code == 200


def test_the_indicator_form_takes_a_percentage_and_refuses_bad_input(client, world):
    client.force_login(world["manager"])
    assert client.get(reverse("earlywarning:indicator_new")).status_code == 200
    form = {"name": "逾期比例超过12.5%", "metric": "overdue_ratio", "threshold": "12.5", "scope": "company",
            "severity": "warning", "responsible_role": "finance_manager", "notify_roles": ["finance_manager"],
            "active": "on"}
    before = (Indicator.objects.count(), AuditEvent.objects.count())
    bad = client.post(reverse("earlywarning:indicator_new"), {**form, "threshold": "很多"})
    assert bad.status_code == 400 and "id_threshold" in bad.content.decode()
    window = client.post(reverse("earlywarning:indicator_new"), {**form, "window": "3"})
    assert window.status_code == 400
    assert (Indicator.objects.count(), AuditEvent.objects.count()) == before
    assert client.post(reverse("earlywarning:indicator_new"), form).status_code == 302
    made = Indicator.objects.get(name="逾期比例超过12.5%")
    assert (made.threshold, made.notify_roles) == (1250, ["finance_manager"])
    edit = client.get(reverse("earlywarning:indicator", args=[made.pk])).content.decode()
    assert 'value="12.5"' in edit
    changed = client.post(reverse("earlywarning:indicator", args=[made.pk]), {**form, "threshold": "20"})
    assert changed.status_code == 302
    made.refresh_from_db()
    assert made.threshold == 2000
    client.force_login(world["sales"])
    assert client.post(reverse("earlywarning:indicator", args=[made.pk]), form).status_code == 403


def test_a_risk_signal_from_the_field(client, world, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world["sales"])
    assert client.get(reverse("earlywarning:signal_new")).status_code == 200
    form = {"customer": world["customer"].pk, "category": "paying_later", "description": "财务说本月资金紧张",
            "observed_on": today.isoformat(), "observed_time": "08:00",
            "evidence": SimpleUploadedFile("微信截图.png", b"\x89PNG shot", content_type="image/png")}
    response = client.post(reverse("earlywarning:signal_new"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    signal = RiskSignal.objects.get()
    assert (signal.evidence_name, signal.late) == ("微信截图.png", False)
    future = {**form, "observed_on": (today + timedelta(days=1)).isoformat(), "evidence": ""}
    assert client.post(reverse("earlywarning:signal_new"), future).status_code == 400
    assert RiskSignal.objects.count() == 1
    assert client.get(reverse("earlywarning:signal_evidence", args=[signal.pk])).status_code == 200
    listing = client.get(reverse("earlywarning:signals")).content.decode()
    assert f'data-signal="{signal.pk}"' in listing
    credit = factories.user("cm", role="credit_manager")
    client.force_login(credit)
    done = client.post(reverse("earlywarning:signal_acknowledge", args=[signal.pk]), {"note": "已核实"})
    assert done.status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.acknowledged_by) == ("acknowledged", credit)
