"""The worklist on a small book, ranked as worked out by hand; the evidence bundle opened and read."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

from pypdf import PdfReader

from arms.audit.models import AuditEvent
from arms.cases import selectors
from arms.cases.models import Activity, PromiseToPay
from arms.cases.services import activity_record, dispute_raise, task_create
from arms.cases.services.bundles import evidence_bundle
from arms.contracts.services import contract_create
from tests import factories

AS_OF = date(2026, 3, 20)


def test_the_worklist_ranks_a_small_book_as_computed_by_hand(book):
    # C1 (book): INV-1 113,000 fen due 9 Feb (39 days), INV-2 56,500 due 3 Mar (17 days): ¥1,695 overdue
    #   -> amount 4 + age 10 + unrated 6 + 1 broken promise 5 = 25
    PromiseToPay.objects.create(customer=book.customer, currency="CNY", amount_minor=100, made_on=date(2026, 1, 1),
                                promised_on=date(2026, 1, 5), status="broken", closed_on=date(2026, 1, 6))
    # C2: ¥120,000 due 30 days after 1 Dec 2025 = 31 Dec (79 days) -> 24 + 20 + 6 = 50
    big = factories.customer("C2", collector=book.collector, region="north")
    factories.invoice(big, number="INV-B", net=12_000_000, tax=0, issued=date(2025, 12, 1), actor=book.clerk)
    # C3: ¥500 not yet due (due 26 Mar, in 6 days: act before the due date) -> 0 + 2 + 6 = 8, with an open task
    later = factories.customer("C3", collector=book.finmgr)
    factories.invoice(later, number="INV-L", net=50_000, tax=0, issued=date(2026, 2, 24), actor=book.clerk)
    task_create(customer=later, kind="call", title="Remind before due", level="finance", due_on=AS_OF)
    # C4: settled, not on the list
    paid = factories.customer("C4")
    factories.invoice(paid, number="INV-P", issued=date(2026, 1, 1), actor=book.clerk)
    factories.payment(paid, amount=113_000, received=date(2026, 1, 20), actor=book.clerk, auto_allocate=True)

    rows = selectors.worklist(user=book.clerk, as_of=AS_OF)

    assert [(r.customer.code, r.score) for r in rows] == [("C2", 50), ("C1", 25), ("C3", 8)]
    c1 = rows[1]
    assert (c1.overdue_base_minor, c1.max_days_overdue, c1.facts.broken_promises) == (169_500, 39, 1)
    assert rows[2].open_tasks == 1 and rows[2].max_days_overdue == -6
    assert [r.customer.code for r in selectors.worklist(user=book.clerk, as_of=AS_OF,
                                                        collector_id=book.collector.pk)] == ["C2", "C1"]
    assert [r.customer.code for r in selectors.worklist(user=book.clerk, as_of=AS_OF, bucket="61_90")] == ["C2"]
    assert [r.customer.code for r in selectors.worklist(user=book.clerk, as_of=AS_OF, bucket="current")] == ["C3"]
    assert [r.customer.code for r in selectors.worklist(user=book.clerk, as_of=AS_OF, has_open_tasks=True)] == ["C3"]
    assert [r.customer.code for r in selectors.worklist(user=book.clerk, as_of=AS_OF, region="north")] == ["C2"]
    assert [r.customer.code for r in selectors.worklist(user=book.clerk, as_of=AS_OF, grade="A")] == []
    # sales staff see only their own customers
    assert [r.customer.code for r in selectors.worklist(user=book.sales, as_of=AS_OF)] == ["C1"]


def test_the_evidence_bundle_is_a_zip_with_a_pdf_index_in_chinese(book):
    contract_create(actor=book.clerk, customer=book.customer, number="HT-2026-007", signed_date=date(2025, 12, 1),
                    amount_minor=5_000_000, title="数控机床供货合同")
    activity_record(customer=book.customer, kind="lawyer_letter", outcome="sent", note="律师函已寄出",
                    actor=book.legal, attachment_name="律师函.pdf", attachment_bytes=b"%PDF-1.4 lawyer letter")
    activity_record(customer=book.customer, kind="call", outcome="refused", note="客户拒绝付款", actor=book.collector)
    activity_record(customer=book.customer, kind="call", outcome="refused", note="=cmd|' /C calc'!A0",
                    actor=book.collector)
    dispute_raise(invoice=book.inv2, amount_minor=5_000, reason_code="quality", actor=book.clerk,
                  raised_on=date(2026, 3, 5))

    bundle = evidence_bundle(customer=book.customer, actor=book.legal, recipient="上海某律师事务所",
                             as_of=date(2026, 3, 20))

    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    names = archive.namelist()
    assert names[0] == "00-index.pdf"
    assert {"invoices.csv", "statement.csv", "activities.csv", "manifest.json"} <= set(names)
    letter = [n for n in names if n.startswith("attachments/")]
    assert len(letter) == 1 and archive.read(letter[0]) == b"%PDF-1.4 lawyer letter"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("00-index.pdf"))).pages)
    squeezed = "".join(text.split())
    for expected in ("证据清单", book.customer.name, "上海某律师事务所", "HT-2026-007", "INV-1", "INV-2",
                     "律师函已寄出", "客户拒绝付款", "1,130.00"):
        assert expected in squeezed, expected
    manifest = json.loads(archive.read("manifest.json"))
    assert [f["path"] for f in manifest["files"]][:1] == ["00-index.pdf"]
    assert "INV-1" in archive.read("invoices.csv").decode("utf-8-sig")
    activities_csv = list(csv.reader(io.StringIO(archive.read("activities.csv").decode("utf-8-sig"))))
    assert "'=cmd|' /C calc'!A0" in [row[6] for row in activities_csv]  # a note never becomes a formula
    handoff = Activity.objects.get(kind="handoff")
    assert bundle.sha256 in handoff.note and handoff.actor == book.legal
    assert AuditEvent.objects.filter(action="evidence_bundle_made").count() == 1
