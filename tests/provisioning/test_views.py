"""The /provisioning/ pages: the matrix beside history, preview, post, the run's report (export, PDF, verify), a
new matrix version refused beside its band, individual assessments; roles."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arms.audit.models import AuditEvent
from arms.customers.models import Customer
from arms.provisioning.models import IndividualAssessment, ProvisionMatrix, ProvisionRun

pytestmark = pytest.mark.django_db


def test_preview_then_post_then_the_report(book, client):
    client.force_login(book.finmgr)
    home = client.get(reverse("provisioning:home"))
    assert home.status_code == 200 and 'id="band-table"' in home.content.decode()
    preview = client.get(reverse("provisioning:preview"), {"as_of": book.e1.isoformat()})
    page = preview.content.decode()
    assert preview.status_code == 200 and "689.30" in page and 'id="post-button"' in page
    assert not ProvisionRun.objects.exists()
    mid_month = client.get(reverse("provisioning:preview"), {"as_of": book.e1.replace(day=15).isoformat()})
    assert 'id="post-button"' not in mid_month.content.decode()
    posted = client.post(reverse("provisioning:post"), {"as_of": book.e1.isoformat()})
    run = ProvisionRun.objects.get()
    assert posted.status_code == 302 and posted.url == reverse("provisioning:run", args=[run.pk])
    report = client.get(reverse("provisioning:run", args=[run.pk]), {"verify": "1"}).content.decode()
    assert "678.00" in report and 'id="verification"' in report and "P1" in report
    export = client.get(reverse("provisioning:run", args=[run.pk]), {"export": "xlsx"})
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    again = client.post(reverse("provisioning:post"), {"as_of": book.e1.isoformat()})
    assert again.status_code == 400 and f"{book.e1:%Y-%m}" in again.content.decode()
    assert ProvisionRun.objects.count() == 1


def test_a_matrix_with_a_gap_is_shown_beside_the_band(book, client):
    client.force_login(book.finmgr)
    matrix_page = client.get(reverse("provisioning:matrix")).content.decode()
    assert 'id="history-table"' in matrix_page and "100.00%" in matrix_page  # the last band's rate, and history
    assert "Matrix in force: version 1, " in matrix_page
    events = AuditEvent.objects.count()
    response = client.post(reverse("provisioning:matrix"), {
        "name": "新矩阵", "b0_label": "一年内", "b0_low": 0, "b0_high": 365, "b0_rate": "5",
        "b1_label": "一年以上", "b1_low": 400, "b1_rate": "100"})
    assert response.status_code == 400
    assert 'id="error-b1_low"' in response.content.decode()
    assert ProvisionMatrix.objects.count() == 1 and AuditEvent.objects.count() == events
    ok = client.post(reverse("provisioning:matrix"), {
        "name": "新矩阵", "b0_label": "一年内", "b0_low": 0, "b0_high": 365, "b0_rate": "5",
        "b1_label": "一年以上", "b1_low": 366, "b1_rate": "100"})
    assert ok.status_code == 302
    assert ProvisionMatrix.objects.get(is_active=True).bands[0]["rate_bp"] == 500


def test_an_assessment_from_the_page(book, client):
    client.force_login(book.finmgr)
    response = client.post(reverse("provisioning:assessments"), {
        "customer": book.customer.pk, "rate": "150", "reason": "涉诉", "valid_from": book.e1.isoformat()})
    assert response.status_code == 400 and 'id="error-rate"' in response.content.decode()
    assert not IndividualAssessment.objects.exists()
    response = client.post(reverse("provisioning:assessments"), {
        "customer": book.customer.pk, "rate": "50", "reason": "涉诉", "valid_from": book.e1.isoformat(),
        "evidence": SimpleUploadedFile("判决书.pdf", b"%PDF-1.4 x", content_type="application/pdf")})
    assert response.status_code == 302
    made = IndividualAssessment.objects.get()
    assert made.rate_bp == 5_000
    evidence = client.get(reverse("provisioning:assessment_evidence", args=[made.pk]))
    assert evidence.status_code == 200 and "attachment" in evidence["Content-Disposition"]


def test_roles(book, client):
    client.force_login(book.clerk)
    assert client.get(reverse("provisioning:home")).status_code == 200
    assert client.post(reverse("provisioning:post"), {"as_of": book.e1.isoformat()}).status_code == 403
    assert client.post(reverse("provisioning:matrix"), {"name": "x"}).status_code == 403


def test_a_new_version_starts_from_a_shipped_table_and_keeps_its_industry_rates(book, client):
    """The 账龄分析法 table is one click away; per-industry rates are typed on the page, kept by a later save, used
    by the run, and a bad one is refused beside its industry with nothing written."""
    client.force_login(book.finmgr)
    start = client.get(reverse("provisioning:matrix"), {"start": "aging_method"}).content.decode()
    for label in ("1年以内", "1-2年", "2-3年", "3-4年", "4-5年", "5年以上"):
        assert f'value="{label}"' in start
    seeds = {"name": "按行业", "b0_label": "30天内", "b0_low": 0, "b0_high": 30, "b0_rate": "1",
             "b1_label": "1-6个月", "b1_low": 31, "b1_high": 180, "b1_rate": "5",
             "b2_label": "6-12个月", "b2_low": 181, "b2_high": 365, "b2_rate": "30",
             "b3_label": "1年以上", "b3_low": 366, "b3_rate": "100"}
    events = AuditEvent.objects.count()
    bad = client.post(reverse("provisioning:matrix"), {**seeds, "g_manufacturing": "2, 10, 150, 100"})
    assert bad.status_code == 400 and 'id="error-g_manufacturing"' in bad.content.decode()
    short = client.post(reverse("provisioning:matrix"), {**seeds, "g_manufacturing": "2, 10"})
    assert short.status_code == 400 and 'id="error-g_manufacturing"' in short.content.decode()
    assert ProvisionMatrix.objects.count() == 1 and AuditEvent.objects.count() == events
    ok = client.post(reverse("provisioning:matrix"), {**seeds, "g_manufacturing": "2，10, 50, 100"})
    assert ok.status_code == 302
    active = ProvisionMatrix.objects.get(is_active=True)
    assert active.group_rates == {"manufacturing": [200, 1000, 5000, 10000]}
    again = client.get(reverse("provisioning:matrix")).content.decode()
    assert 'value="2, 10, 50, 100"' in again  # a later save from this form keeps the rates
    Customer.objects.filter(pk=book.customer.pk).update(industry="manufacturing")
    preview = client.get(reverse("provisioning:preview"), {"as_of": book.e1.isoformat()}).content.decode()
    assert "1,152.60" in preview  # A 1,130.00 at 2% + B 2,260.00 at 50%, not the bands' 689.30
