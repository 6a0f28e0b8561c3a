"""The collections pages through Django's test client: who sees what, logging a contact, refusals by field."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from arms.cases.models import Activity, Dispute, PromiseToPay, Task
from arms.cases.services import task_create
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_worklist_shows_the_customers_and_exports(client, book):
    client.force_login(book.clerk)

    page = client.get(reverse("cases:worklist"))
    assert page.status_code == 200
    assert book.customer.name in page.content.decode()

    exported = client.get(reverse("cases:worklist") + "?export=csv")
    rows = list(csv.reader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))
    assert rows[1][1:3] == ["C1", book.customer.name]
    book_xlsx = load_workbook(io.BytesIO(client.get(reverse("cases:worklist") + "?export=xlsx").getvalue()))
    assert book_xlsx.active["B2"].value == "C1"


def test_the_worklist_export_names_the_collector_family_name_first(client, book):
    book.collector.first_name, book.collector.last_name = "磊", "陈"
    book.collector.save(update_fields=["first_name", "last_name"])
    client.force_login(book.clerk)

    exported = client.get(reverse("cases:worklist") + "?export=csv")

    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    line = dict(zip(header, rows[1], strict=True))
    assert (line["Customer code"], line["Customer"], line["Collector"]) == ("C1", book.customer.name, "陈磊")


def test_sales_see_only_their_own_case_and_the_auditor_reads_but_cannot_write(client, book):
    other_sales = factories.user("sales2", role="sales")
    client.force_login(other_sales)
    assert client.get(reverse("cases:case", args=[book.customer.pk])).status_code == 404
    assert book.customer.name not in client.get(reverse("cases:worklist")).content.decode()

    client.force_login(book.auditor)
    assert client.get(reverse("cases:case", args=[book.customer.pk])).status_code == 200
    refused = client.post(reverse("cases:activity_add", args=[book.customer.pk]), {"kind": "call"})
    assert refused.status_code == 403
    assert Activity.objects.count() == 0


def test_log_a_call_with_a_file_from_the_case_page(client, book):
    client.force_login(book.collector)
    response = client.post(reverse("cases:activity_add", args=[book.customer.pk]), {
        "kind": "call", "direction": "out", "outcome": "no_answer", "note": "无人接听",
        "invoices": [str(book.inv1.pk)], "attachment": SimpleUploadedFile("记录.txt", "通话记录".encode()),
    }, **HTMX)

    assert response.status_code == 200 and response["HX-Redirect"] == f"/collections/customers/{book.customer.pk}/"
    activity = Activity.objects.get()
    assert (activity.outcome, activity.attachment_name, list(activity.invoices.all())) == (
        "no_answer", "记录.txt", [book.inv1])
    page = client.get(reverse("cases:case", args=[book.customer.pk])).content.decode()
    assert "无人接听" in page and "记录.txt" in page
    download = client.get(reverse("cases:attachment", args=[activity.pk]))
    assert download.content == "通话记录".encode()


def test_a_refused_dispute_comes_back_with_the_error_beside_the_amount(client, book):
    client.force_login(book.collector)
    response = client.post(reverse("cases:dispute_add", args=[book.customer.pk]), {
        "invoice": str(book.inv2.pk), "amount": "565.01", "reason_code": "quantity"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-amount"' in html and 'id="dispute-form"' in html
    assert Dispute.objects.count() == 0


def test_promise_task_and_plan_decision_from_the_pages(client, book, today):
    client.force_login(book.collector)
    client.post(reverse("cases:promise_add", args=[book.customer.pk]), {
        "amount": "500.00", "promised_on": (today + timedelta(days=27)).isoformat(), "invoices": [str(book.inv1.pk)]})
    assert PromiseToPay.objects.get().amount_minor == 50_000
    client.post(reverse("cases:plan_add", args=[book.customer.pk]), {
        "invoices": [str(book.inv2.pk)], "installments": "2", "first_due_on": (today + timedelta(days=30)).isoformat(),
        "every_months": "1", "grace_days": "7"})
    task = task_create(customer=book.customer, kind="call", title="回访", level="finance",
                       due_on=book.inv1.due_date)
    client.post(reverse("cases:task_complete", args=[task.pk]), {"outcome": "reached", "note": "已联系"})
    task.refresh_from_db()
    assert task.status == "done" and task.activity.note == "已联系"

    client.force_login(book.finmgr)
    plan = book.customer.installment_plans.get()
    page = client.get(reverse("cases:case", args=[book.customer.pk])).content.decode()
    assert reverse("cases:plan_decide", args=[plan.pk, "approve"]) in page
    client.post(reverse("cases:plan_decide", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == "active"


@pytest.mark.parametrize("name", ["cases:tasks", "cases:disputes"])
def test_the_lists_render(client, book, name):
    task_create(customer=book.customer, kind="call", title="回访客户", level="finance", due_on=book.inv1.due_date)
    client.force_login(book.collector)
    response = client.get(reverse(name))
    assert response.status_code == 200
    if name == "cases:tasks":
        assert "回访客户" in response.content.decode()
    assert Task.objects.count() == 1


def test_the_pages_speak_chinese(client, book):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(book.collector)
    worklist = client.get(reverse("cases:worklist")).content.decode()
    case = client.get(reverse("cases:case", args=[book.customer.pk])).content.decode()
    assert "催收工作台" in worklist and "得分" in worklist
    assert "记录联系" in case and "付款承诺" in case and "登记争议" in case


def test_the_case_page_queues_the_bundle_and_shows_the_job_with_its_download(client, book,
                                                                            django_capture_on_commit_callbacks):
    client.force_login(book.legal)
    url = reverse("cases:bundle", args=[book.customer.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"recipient": "上海某律师事务所", "note": ""})

    assert response.status_code == 302
    assert response.url == reverse("cases:case", args=[book.customer.pk]) + "#bundle-jobs"
    page = client.get(response.url).content.decode()
    from arms.common.models import Job

    job = Job.objects.get(kind="cases.bundle")
    assert job.status == "done" and job.started_by == book.legal
    assert f'id="job-{job.pk}"' in page and reverse("web:job_file", args=[job.pk]) in page
    assert Activity.objects.get(kind="handoff").actor == book.legal
