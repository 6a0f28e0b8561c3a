"""Making, storing, e-mailing and scheduling the monthly report; the CLI and the API around it."""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from arms.audit.models import AuditEvent
from arms.reports.models import ReportRun
from arms.reports.services import monthly_report_scheduled, report_generate
from arms.reports.tasks import monthly_management_report
from tests import factories
from tests.reports.conftest import AGING_TOTAL_OCTOBER, OCTOBER, ON_BOOK_DAY, TODAY
from tests.smtp import attachments, body_text
from tests.web.conftest import PASSWORD

pytestmark = ON_BOOK_DAY
SHANGHAI = ZoneInfo("Asia/Shanghai")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_pdf_has_chinese_headings_and_the_aging_total(book):
    run = report_generate(month="2026-10", fmt="pdf", trigger="cli", today=TODAY)
    text = pdf_text(bytes(run.content))
    assert "应收账款管理月报 2026-10" in text
    for heading in ("关键指标", "账龄", "主要风险", "团队"):
        assert heading in text
    assert "102,210.00" in text  # the aging total on 31 Oct, computed by hand in conftest
    assert "华东精密机械有限公司" in text and "88,650.00" in text  # the largest overdue customer
    assert run.sha256 == hashlib.sha256(bytes(run.content)).hexdigest() and run.size_bytes == len(run.content)
    assert AuditEvent.objects.filter(action="report_generated", subject_id=str(run.pk)).count() == 1


@pytest.mark.django_db
def test_the_workbook_has_its_sheets_and_numbers(book):
    run = report_generate(month="2026-10", fmt="xlsx", trigger="cli", today=TODAY)
    book_ = load_workbook(io.BytesIO(bytes(run.content)))
    assert book_.sheetnames == ["概要", "账龄", "指标趋势", "主要风险", "团队", "风险展望"]
    cells = [[c.value for c in row] for row in book_["概要"].iter_rows()]
    aging_header = next(i for i, row in enumerate(cells) if row[0] == "币种")
    assert cells[aging_header + 1][0] == "CNY"
    assert cells[aging_header][-2] == "合计"  # then the count of open items
    assert cells[aging_header + 1][-2] * 100 == AGING_TOTAL_OCTOBER
    risks = [[c.value for c in row] for row in book_["主要风险"].iter_rows()]
    assert ["HD001 华东精密机械有限公司", 88650, 88650] in [row[:3] for row in risks]


@pytest.mark.django_db
def test_a_month_not_begun_or_malformed_is_refused_naming_the_month(book):
    from arms.common.errors import ValidationFailed

    for bad in ("2026-13", "2026/10", "", "2999-01"):
        with pytest.raises(ValidationFailed) as refused:
            report_generate(month=bad, fmt="pdf", trigger="cli", today=TODAY)
        assert refused.value.field == "month"
    with pytest.raises(ValidationFailed) as refused:
        report_generate(month="2026-10", fmt="doc", trigger="cli", today=TODAY)
    assert refused.value.field == "format"
    assert ReportRun.objects.count() == 0


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_the_schedule_sends_last_months_report_to_the_executives_once(book, smtp_server):
    other = factories.user("ceo", role="executive")
    other.email = "ceo@example.com"
    other.save(update_fields=["email"])
    factories.user("noaddress", role="executive")  # no e-mail address: not sent to
    # 1 Nov 2026 is a Sunday, 2 Nov the first working day: nothing before 08:00 that Monday
    assert monthly_report_scheduled(now=at(2026, 11, 1, 9))["status"] == "not_due"
    assert monthly_report_scheduled(now=at(2026, 11, 2, 7, 59))["status"] == "not_due"

    result = monthly_report_scheduled(now=at(2026, 11, 2, 8))
    assert result["status"] == "generated" and result["month"] == "2026-10"
    assert result["emailed_to"] == ["boss@example.com", "ceo@example.com"]
    [message] = smtp_server.messages
    assert message["To"] == "boss@example.com, ceo@example.com"
    assert "2026-10" in message["Subject"]
    files = attachments(message)
    assert sorted(files) == ["arms-monthly-report-2026-10.pdf", "arms-monthly-report-2026-10.xlsx"]
    assert files["arms-monthly-report-2026-10.pdf"].startswith(b"%PDF")
    assert "102,210.00" in pdf_text(files["arms-monthly-report-2026-10.pdf"])
    load_workbook(io.BytesIO(files["arms-monthly-report-2026-10.xlsx"]))
    assert "/reports/monthly/" in body_text(message)
    runs = ReportRun.objects.filter(trigger="schedule")
    assert runs.count() == 2 and all(r.emailed_to == ["boss@example.com", "ceo@example.com"] for r in runs)

    # an hour later, and on the next run: nothing is made or sent again
    again = monthly_report_scheduled(now=at(2026, 11, 2, 9))
    assert again["status"] == "exists" and again["emailed_to"] == []
    assert len(smtp_server.messages) == 1 and ReportRun.objects.count() == 2


@pytest.mark.django_db
def test_after_the_national_day_holiday_the_october_report_waits_for_8_october(book):
    assert monthly_report_scheduled(now=at(2026, 10, 7, 8))["status"] == "not_due"
    from arms.reports.schedule import first_working_day

    assert first_working_day(date(2026, 10, 1)) == date(2026, 10, 8)


@pytest.fixture
def quick_build(monkeypatch):
    """For tests of when and to whom, not of what: a stand-in file instead of laying out the real report."""
    monkeypatch.setattr("arms.reports.services.report_build_formats",
                        lambda *, month, formats, **kw: {fmt: f"{fmt} {month:%Y-%m}".encode() for fmt in formats})


@pytest.mark.django_db
def test_a_refused_e_mail_is_sent_again_at_the_next_check(book, smtp_server, quick_build):
    smtp_server.refuse_next(1)
    first = monthly_report_scheduled(now=at(2026, 11, 2, 8))
    assert first["status"] == "generated" and first["emailed_to"] == [] and smtp_server.messages == []
    assert ReportRun.objects.filter(emailed_at__isnull=True).count() == 2
    retry = monthly_report_scheduled(now=at(2026, 11, 2, 9))
    assert retry["emailed_to"] == ["boss@example.com"] and len(smtp_server.messages) == 1
    monthly_report_scheduled(now=at(2026, 11, 2, 10))
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_the_huey_task_runs_the_service_and_its_schedule_reads_beijing_time(book, smtp_server, quick_build):
    from arms.reports.tasks import hourly_in_the_first_days_of_the_month

    # Huey hands UTC: 00:00 UTC is 08:00 in Beijing
    assert hourly_in_the_first_days_of_the_month(datetime(2026, 11, 2, 0, 0))
    assert not hourly_in_the_first_days_of_the_month(datetime(2026, 11, 2, 0, 30))
    assert not hourly_in_the_first_days_of_the_month(datetime(2026, 11, 25, 0, 0))
    result = monthly_management_report.call_local(now=at(2026, 11, 2, 8))
    assert result["status"] == "generated" and len(smtp_server.messages) == 1


# ------------------------------------------------------------------------------------------------ CLI


@pytest.mark.django_db
def test_the_cli_writes_the_file(book, tmp_path, capsys):
    target = tmp_path / "october.xlsx"
    call_command("report", "monthly", "--month", "2026-10", "--format", "xlsx", "--output", str(target))
    assert load_workbook(target).sheetnames[0] == "概要"
    out = capsys.readouterr().out
    assert str(target) in out and "sha256" in out
    run = ReportRun.objects.get()
    assert (run.trigger, run.format, run.period) == ("cli", "xlsx", OCTOBER)


@pytest.mark.django_db
def test_the_cli_refuses_a_bad_month_clearly(book, tmp_path):
    with pytest.raises(CommandError, match=r"month: .2026-13.: the month must be between 01 and 12\."):
        call_command("report", "monthly", "--month", "2026-13", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists() and ReportRun.objects.count() == 0


@pytest.mark.django_db
def test_the_cli_can_email_the_report(book, tmp_path, smtp_server, capsys):
    call_command("report", "monthly", "--month", "2026-10", "--format", "xlsx", "--output",
                 str(tmp_path / "r.xlsx"), "--email")
    [message] = smtp_server.messages
    assert list(attachments(message)) == ["arms-monthly-report-2026-10.xlsx"]


# ------------------------------------------------------------------------------------------------ API and UI


@pytest.mark.django_db
def test_the_api_downloads_the_stored_report_and_makes_it_once(client, book, django_capture_on_commit_callbacks):
    client.login(username="fm", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):  # none stored: 202, the job that makes it
        accepted = client.get("/api/v1/reports/monthly", {"month": "2026-10", "format": "xlsx"})
    assert accepted.status_code == 202 and accepted["Location"] == f"/api/v1/jobs/{accepted.json()['id']}"
    assert client.get(accepted["Location"]).json()["status"] == "done"
    first = client.get("/api/v1/reports/monthly", {"month": "2026-10", "format": "xlsx"})
    assert first.status_code == 200
    assert first["Content-Disposition"] == (
        'attachment; filename="arms-monthly-report-2026-10.xlsx"; filename*=UTF-8\'\'arms-monthly-report-2026-10.xlsx')
    second = client.get("/api/v1/reports/monthly", {"month": "2026-10", "format": "xlsx"})
    assert second.content == first.content and ReportRun.objects.count() == 1
    assert second["X-Content-SHA256"] == hashlib.sha256(second.content).hexdigest()
    runs = client.get("/api/v1/reports/runs").json()
    assert runs["count"] == 1 and runs["items"][0]["month"] == "2026-10"
    assert client.get(runs["items"][0]["download_url"]).content == first.content


@pytest.mark.django_db
def test_api_refusals_name_the_field(client, book):
    client.login(username="fm", password=PASSWORD)
    response = client.get("/api/v1/reports/monthly", {"month": "2026-13", "format": "pdf"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "month"
    response = client.get("/api/v1/reports/monthly", {"month": "2026-10", "format": "docx"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "format"
    response = client.post("/api/v1/reports/monthly", {"month": "2026-10", "format": "pdf", "colour": "red"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["field"] == "colour"
    assert ReportRun.objects.count() == 0


@pytest.mark.django_db
def test_who_may_read_and_make_reports(client, book, django_capture_on_commit_callbacks):
    client.login(username="sales_a", password=PASSWORD)
    assert client.get("/api/v1/reports/monthly", {"month": "2026-10"}).status_code == 403
    assert client.get("/reports/monthly/").status_code == 403
    client.logout()
    client.login(username="clerk", password=PASSWORD)  # reads stored reports, makes none
    response = client.get("/api/v1/reports/monthly", {"month": "2026-10"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_generated"
    assert client.post("/api/v1/reports/monthly", {"month": "2026-10"},
                       content_type="application/json").status_code == 403
    client.logout()
    client.login(username="boss", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/monthly", {"month": "2026-10", "format": "xlsx"},
                               content_type="application/json")
    assert response.status_code == 202 and response.json()["kind"] == "reports.monthly"
    job = client.get(response["Location"]).json()
    run = ReportRun.objects.get()
    assert (job["status"], job["result_data"]["report_run_id"], run.generated_by) == ("done", run.pk, book.executive)
    assert client.get(job["result_api_url"]).content == bytes(run.content)


@pytest.mark.django_db
def test_the_monthly_page_makes_lists_and_downloads_reports(client, book, django_capture_on_commit_callbacks):
    client.login(username="fm", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/monthly/generate/", {"month": "2026-10", "format": "xlsx"})
    assert response.status_code == 302 and response["Location"] == "/reports/monthly/?month=2026-10&format=xlsx"
    page = client.get(response["Location"]).content.decode()
    run = ReportRun.objects.get()
    assert f"/reports/monthly/{run.pk}/download/" in page and "2026-10" in page
    assert "arms-monthly-report-2026-10.xlsx" in page  # the finished job's link to its file
    assert client.get(f"/reports/monthly/{run.pk}/download/").content == bytes(run.content)
    client.post("/reports/monthly/generate/", {"month": "2026-13", "format": "xlsx"})
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_the_demo_stores_last_months_report_as_the_schedule_would_once(book, quick_build):
    from arms.reports.demo import seed_demo

    assert seed_demo(today=TODAY, seed=1) == {"report_runs": 2}
    assert seed_demo(today=TODAY, seed=1) == {"report_runs": 0}
    assert sorted(ReportRun.objects.values_list("format", "trigger", "period")) == [
        ("pdf", "schedule", OCTOBER), ("xlsx", "schedule", OCTOBER)]
    assert monthly_report_scheduled(now=at(2026, 11, 2, 9))["status"] == "exists"
