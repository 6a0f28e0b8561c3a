"""The limitation pages: list and export, a claim's chain, recording an interruption with its evidence from the web
form (refused input writes nothing), the customer page, settings, the invoice and case pages' limitation date, the
evidence bundle's limitation chain, and the CLI."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pypdf import PdfReader

from arms.cases.services.bundles import evidence_bundle
from arms.common.attachments import attachment_store
from arms.common.models import Attachment
from arms.customers.services import company_ensure
from arms.limitation.models import LimitationInterruption, LimitationSettings
from arms.limitation.services import interruption_record, limitation_refresh
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, today):
    collector = factories.user("liujing", role="collector")
    legal = factories.user("zhouyang", role="legal")
    customer = factories.customer("HD001", name="华东精密机械有限公司", collector=collector)
    old = factories.invoice(customer, number="INV-1", issued=today - timedelta(days=400))
    new = factories.invoice(customer, number="INV-2", issued=today - timedelta(days=40))
    limitation_refresh(company=company_ensure())
    return {"collector": collector, "legal": legal, "customer": customer, "old": old, "new": new}


def test_list_claim_and_export(world, client):
    client.force_login(world["collector"])
    page = client.get("/limitation/").content.decode()
    assert f'data-claim="{world["old"].pk}"' in page and f'data-claim="{world["new"].pk}"' in page
    assert 'href="/limitation/"' in page  # the nav entry
    claim = client.get(f"/limitation/invoices/{world['old'].pk}/").content.decode()
    assert 'id="record-form"' in claim and 'id="write-off-suggestion"' not in claim
    export = client.get("/limitation/?export=csv")
    body = b"".join(export.streaming_content) if export.streaming else export.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row[5] for row in rows[1:]] == ["INV-1", "INV-2"]


def test_record_an_interruption_with_its_evidence_from_the_claim_page(world, client, today):
    client.force_login(world["legal"])
    response = client.post(f"/limitation/customers/{world['customer'].pk}/record/", {
        "invoice": str(world["old"].pk), "kind": "demand_delivered", "date": str(today - timedelta(days=2)),
        "note": "律师函已签收", "evidence": SimpleUploadedFile("EMS回执.pdf", b"%PDF-1.4 EMS")})
    assert response.status_code == 302 and response["Location"] == f"/limitation/invoices/{world['old'].pk}/"
    row = LimitationInterruption.objects.get()
    assert (row.invoice, row.kind, row.date, row.evidence_name, row.recorded_by) == (
        world["old"], "demand_delivered", today - timedelta(days=2), "EMS回执.pdf", world["legal"])
    claim = client.get(f"/limitation/invoices/{world['old'].pk}/").content.decode()
    assert f'data-interruption="{row.pk}"' in claim and "EMS回执.pdf" in claim
    download = client.get(f"/limitation/interruptions/{row.pk}/evidence/")
    assert download.content == b"%PDF-1.4 EMS" and "attachment" in download["Content-Disposition"]


def test_record_on_all_open_invoices_from_the_customer_page(world, client, today):
    client.force_login(world["collector"])
    response = client.post(f"/limitation/customers/{world['customer'].pk}/record/", {
        "invoice": "", "kind": "promise", "date": str(today)})
    assert response.status_code == 302 and response["Location"] == f"/limitation/customers/{world['customer'].pk}/"
    assert set(LimitationInterruption.objects.values_list("invoice__number", flat=True)) == {"INV-1", "INV-2"}


@pytest.mark.parametrize(("data", "field"), [
    ({"date": "future"}, "date"),
    ({"kind": "phone_call"}, "kind"),
    ({"invoice": "other"}, "invoice"),
])
def test_bad_input_on_the_form_names_the_field_and_writes_nothing(world, client, today, data, field):
    other = factories.invoice(factories.customer("XN001"), issued=today - timedelta(days=400))
    post = {"invoice": str(world["old"].pk), "kind": "demand_delivered", "date": str(today),
            "evidence": SimpleUploadedFile("录音.mp3", b"ID3 call")}
    post.update(data)
    if data.get("date") == "future":
        post["date"] = str(today + timedelta(days=1))
    if data.get("invoice") == "other":
        post["invoice"] = str(other.pk)
    client.force_login(world["legal"])
    response = client.post(f"/limitation/customers/{world['customer'].pk}/record/", post)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert (LimitationInterruption.objects.count(), Attachment.objects.count()) == (0, 0)


def test_who_may_see_and_record(world, client, today):
    client.force_login(factories.user("wangwei", role="sales"))
    assert client.get("/limitation/").status_code == 403
    client.force_login(factories.user("wuyan", role="auditor"))
    assert client.get("/limitation/").status_code == 200
    assert 'id="record-form"' not in client.get(f"/limitation/invoices/{world['old'].pk}/").content.decode()
    assert client.post(f"/limitation/customers/{world['customer'].pk}/record/", {
        "kind": "promise", "date": str(today)}).status_code == 403
    assert client.post("/limitation/settings/", {"period_years": 5, "alert_days": "30"}).status_code == 403
    assert LimitationInterruption.objects.count() == 0


def test_settings_page(world, client):
    client.force_login(factories.user("huangjun", role="finance_manager"))
    assert client.post("/limitation/settings/", {"period_years": 5, "alert_days": "120, 60"}).status_code == 302
    assert client.post("/limitation/settings/", {"period_years": 5, "alert_days": "60, 60"}).status_code == 400
    settings = LimitationSettings.objects.get()
    assert (settings.period_years, settings.alert_days) == (5, [120, 60])


def test_the_invoice_and_case_pages_show_the_limitation_date(world, client):
    client.force_login(world["collector"])
    invoice_page = client.get(f"/invoices/{world['old'].pk}/").content.decode()
    assert 'id="invoice-limitation"' in invoice_page and f'/limitation/invoices/{world["old"].pk}/' in invoice_page
    case_page = client.get(f"/collections/customers/{world['customer'].pk}/").content.decode()
    assert 'id="customer-limitation"' in case_page
    client.force_login(factories.user("wangwei", role="sales"))
    assert 'id="invoice-limitation"' not in client.get(f"/invoices/{world['old'].pk}/").content.decode()


def test_the_evidence_bundle_carries_the_limitation_chain(world, today):
    stored = attachment_store(content=b"%PDF-1.4 EMS", name="EMS回执.pdf")
    interruption_record(actor=world["legal"], invoices=[world["old"]], kind="demand_delivered",
                        on=today - timedelta(days=5), evidence=stored, evidence_name="EMS回执.pdf")
    bundle = evidence_bundle(customer=world["customer"], actor=world["legal"], recipient="上海某律师事务所")
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    rows = list(csv.reader(io.StringIO(archive.read("limitation.csv").decode("utf-8-sig"))))
    events = [(row[0], row[2]) for row in rows[1:]]
    assert events[0][0] == "INV-1" and events[1] == ("INV-1", str(today - timedelta(days=5)))
    [evidence] = [name for name in archive.namelist() if name.startswith("limitation/")]
    assert archive.read(evidence) == b"%PDF-1.4 EMS"
    manifest = json.loads(archive.read("manifest.json"))
    assert "limitation.csv" in [f["path"] for f in manifest["files"]]
    text = "".join("".join(page.extract_text().split())
                   for page in PdfReader(io.BytesIO(archive.read("00-index.pdf"))).pages)
    assert "INV-1" in text and str(today - timedelta(days=5)) in text


def test_cli(world, capsys, today):
    call_command("limitation", "refresh")
    assert json.loads(capsys.readouterr().out)["clocks"] == 2
    call_command("limitation", "alerts")
    assert json.loads(capsys.readouterr().out) == {"date": str(today), "claims": 0, "customers": 0}
    call_command("limitation", "list", "--json")
    assert [row["invoice"] for row in json.loads(capsys.readouterr().out)] == ["INV-1", "INV-2"]
