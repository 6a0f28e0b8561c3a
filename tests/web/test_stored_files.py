"""Every route that serves a stored file serves it as a download with a safe type (arms.common.files), and every
response carries the Content-Security-Policy: an uploaded HTML page or SVG image never runs in the ARMS origin."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from arms.cases.models import Activity
from arms.cases.services import activity_record
from arms.common.files import content_disposition, file_response, safe_content_type
from arms.dunning.models import DunningAction
from arms.dunning.services import dunning_run
from arms.reports.models import ReportRun
from tests import factories
from tests.api.conftest import Api
from tests.dunning import conftest as dunning
from tests.dunning.conftest import make_contract, make_customer

# the dunning tests' fixtures: its people and ladder, a fresh MEDIA_ROOT, and the PDF stub (autouse here too)
people, policy, _media, _pdf_stub = dunning.people, dunning.policy, dunning._media, dunning._pdf_stub

pytestmark = [pytest.mark.django_db, pytest.mark.clock(date(2026, 6, 1))]

HTML = b"<html><body><script>fetch('/api/v1/customers').then(r=>r.text()).then(alert)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HOSTILE = {"页面.html": HTML, "logo.svg": SVG, "x.xhtml": HTML, "y.xml": SVG}


def assert_download(response, *, filename: str | None = None, content_type: str | None = None) -> None:
    """The headers every stored file must carry."""
    assert response.status_code == 200, response.content[:300]
    served = response["Content-Type"]
    assert served.split(";")[0] in {"application/octet-stream", "application/pdf", "application/zip",
                                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                     "text/csv", "text/plain"}, served
    assert "html" not in served and "svg" not in served and "xml" not in served.replace("openxmlformats", "")
    if content_type:
        assert served == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    if filename:
        assert disposition == content_disposition(filename)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


@pytest.fixture
def hostile(people):
    """Activities carrying an HTML page, an SVG with a script (and their XML cousins), on one customer."""
    collector = people["collector"]
    cust = make_customer(people, name="甲公司")
    made = {name: activity_record(customer=cust, kind="note", note="附件", actor=collector, attachment_name=name,
                                  attachment_bytes=content)
            for name, content in HOSTILE.items()}
    return cust, made


def test_an_uploaded_page_or_svg_is_served_as_bytes_to_download_through_the_api_and_the_page(hostile, people):
    _cust, made = hostile
    api = Api(people["collector"])
    web = Client()
    web.force_login(people["collector"])
    for name, activity in made.items():
        for response in (api.get(f"/collections/activities/{activity.pk}/attachment"),
                         web.get(reverse("cases:attachment", args=[activity.pk]))):
            assert_download(response, filename=name, content_type="application/octet-stream")
            assert response.content == HOSTILE[name]
            assert response["X-Content-SHA256"] == hashlib.sha256(HOSTILE[name]).hexdigest()


def test_an_svg_uploaded_from_the_case_page_is_never_served_as_an_image(people, client):
    cust = make_customer(people, name="乙公司")
    client.force_login(people["collector"])
    response = client.post(reverse("cases:activity_add", args=[cust.pk]), {
        "kind": "call", "direction": "out", "outcome": "no_answer", "note": "图",
        "attachment": SimpleUploadedFile("图.svg", SVG, content_type="image/svg+xml")})
    assert response.status_code in (200, 302)
    activity = Activity.objects.get(customer=cust)

    assert_download(client.get(reverse("cases:attachment", args=[activity.pk])), filename="图.svg",
                    content_type="application/octet-stream")


def test_evidence_bundles_are_downloads(hostile, people, monkeypatch, django_capture_on_commit_callbacks):
    """A bundle is made by a background job; the file it made is served as an attachment, by the API and the page."""
    from arms.cases.services import bundles

    monkeypatch.setattr(bundles, "render_pdf", lambda template, context: b"%PDF-1.7 index")  # layout is slow
    cust, _made = hostile
    manager = people["manager"]
    api = Api(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/collections/customers/{cust.pk}/bundle", {"recipient": "某律师事务所"})
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert_download(api.get(f"/jobs/{job_id}/file"), content_type="application/zip")
    web = Client()
    web.force_login(manager)
    assert_download(web.get(reverse("web:job_file", args=[job_id])), content_type="application/zip")


def test_letters_and_statements_are_downloads(policy, people, django_capture_on_commit_callbacks):
    cust = make_customer(people, name="丙公司")
    factories.invoice(cust, contract=make_contract(cust))
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=date(2026, 2, 9) + timedelta(days=30))
    action = DunningAction.objects.get(customer=cust)
    api = Api(people["manager"])
    web = Client()
    web.force_login(people["manager"])
    for kind in ("letter", "statement"):
        assert_download(api.get(f"/dunning/actions/{action.pk}/{kind}.pdf"), content_type="application/pdf")
        assert_download(web.get(reverse(f"dunning:{kind}", args=[action.pk])),
                        content_type="application/pdf")


def test_stored_reports_are_downloads(people):
    content = b"%PDF-1.7 stub"
    run = ReportRun.objects.create(kind="monthly", period=date(2026, 5, 1), format="pdf", filename="月报-2026-05.pdf",
                                   content=content, size_bytes=len(content),
                                   sha256=hashlib.sha256(content).hexdigest(), generated_at=timezone.now(),
                                   trigger="cli")
    manager = people["manager"]
    web = Client()
    web.force_login(manager)
    assert_download(Api(manager).get(f"/reports/runs/{run.pk}/file"), filename="月报-2026-05.pdf",
                    content_type="application/pdf")
    assert_download(web.get(reverse("reports:run_download", args=[run.pk])), filename="月报-2026-05.pdf",
                    content_type="application/pdf")


@pytest.mark.parametrize(("stored", "served"), [
    ("text/html", "application/octet-stream"),
    ("text/html; charset=utf-8", "application/octet-stream"),
    ("image/svg+xml", "application/octet-stream"),
    ("application/xhtml+xml", "application/octet-stream"),
    ("text/xml", "application/octet-stream"),
    ("application/javascript", "application/octet-stream"),
    ("", "application/octet-stream"),
    (None, "application/octet-stream"),
    ("Application/PDF", "application/pdf"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("image/png", "image/png"),
])
def test_only_allow_listed_types_are_kept(stored, served):
    assert safe_content_type(stored) == served


def test_only_raster_images_may_be_inline():
    assert file_response(b"x", filename="a.png", content_type="image/png", inline=True)[
        "Content-Disposition"].startswith("inline;")
    for content_type in ("image/svg+xml", "text/html", "application/pdf"):
        response = file_response(b"x", filename="a", content_type=content_type, inline=True)
        assert response["Content-Disposition"].startswith("attachment;")


def test_a_hostile_file_name_cannot_break_the_header():
    header = content_disposition('a"; filename=evil.html\r\nX-Injected: 1.pdf')
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="a_filename_evil.html_X-Injected_1.pdf"')


@pytest.mark.parametrize("path", ["/", "/customers/", "/api/v1/customers", "/api/docs", "/healthz",
                                  "/static/web/arms.css", "/no-such-page/"])
def test_every_response_carries_the_content_security_policy(client, people, path, settings):
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True  # the static file, uncollected
    client.force_login(people["manager"])
    response = client.get(path)
    header = response["Content-Security-Policy"]
    assert response.status_code == (404 if path == "/no-such-page/" else 200), (path, response.status_code)
    directives = dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in header
