"""Every PDF ARMS hands to a customer, a lawyer or an executive is complete on A4: no glyph off the page, no
amount cut or overprinted, Chinese drawn with the CJK font.

One checker (``assert_complete_on_a4``) reads a PDF back with pdfminer.six, which gives each glyph's box, and
checks what the reader of the paper would see. The documents are made from a deliberately hard book: long
customer names and contract numbers, 20-digit 数电发票 numbers, amounts of 123,456,789.01 per invoice (totals in
the billions), enough items for a second page, in Chinese and in English.

pypdf's ``visitor_text`` would give only where each run of text starts, not where it ends, so a run that starts
on the page and ends past its edge (the cut '22,519' of '22,519.49') could only be found by measuring glyphs
from the font's widths; pdfminer.six does that and is pure Python.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from arms.common.pdf import cjk_font_installed
from arms.domain.interest import late_interest
from arms.domain.money import format_amount
from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

pytestmark = pytest.mark.skipif(not cjk_font_installed(),
                                reason="no CJK font installed (scripts/system-deps installs one)")

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
#: nearer the edge than this a printer does not print; the page number in the bottom margin is further in
PRINTABLE_MM = 5
#: glyph boxes on one line may overlap by kerning (the 'o' tucked under a 'T'), up to this share of the type size
KERNING = 0.25
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    baseline: float
    size: float
    font: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]

    def lines(self) -> list[list[Glyph]]:
        """The glyphs that share a baseline, left to right: what a reader reads as one line across the page."""
        lines: list[list[Glyph]] = []
        for glyph in sorted(self.glyphs, key=lambda g: (-g.baseline, g.x0)):
            if lines and abs(lines[-1][0].baseline - glyph.baseline) < 0.6:
                lines[-1].append(glyph)
            else:
                lines.append([glyph])
        return [sorted(line, key=lambda g: g.x0) for line in lines]


def line_text(line: list[Glyph]) -> str:
    """The line's text, with a space wherever the glyphs stand apart (between table cells, words)."""
    text, previous = "", None
    for glyph in line:
        if previous is not None and glyph.x0 - previous.x1 > 0.2 * glyph.size and not text.endswith(" "):
            text += " "
        text += glyph.text
        previous = glyph
    return text


def read_pages(pdf: bytes) -> list[Page]:
    """Every glyph of every page with its box in points (origin bottom left), in form XObjects (SVG) too."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []

    def walk(item, into: list[Glyph]) -> None:
        if isinstance(item, LTChar):
            into.append(Glyph(item.get_text(), item.x0, item.x1, item.y0, item.y1, item.matrix[5], item.size,
                              item.fontname))
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child, into)

    for number, pdf_page in enumerate(PDFPage.get_pages(io.BytesIO(pdf)), start=1):
        interpreter.process_page(pdf_page)
        layout = device.get_result()
        x0, y0, x1, y1 = pdf_page.mediabox
        glyphs: list[Glyph] = []
        walk(layout, glyphs)
        pages.append(Page(number, x1 - x0, y1 - y0, glyphs))
    return pages


def amount_pattern(amount: str) -> re.Pattern:
    """``22,519.49`` as a whole number: not the tail or head of a longer one."""
    return re.compile(r"(?<![\d,.])" + re.escape(amount) + r"(?![\d,]|\.\d)")


def assert_complete_on_a4(pdf: bytes, *, amounts: Iterable[str], side_margin_mm: float, texts: Iterable[str] = (),
                          landscape: bool = False) -> list[Page]:
    """The checker every PDF test uses. Fails listing each problem:

    - a page that is not A4 (portrait, or landscape when asked);
    - a glyph outside the page's left and right margins (``side_margin_mm`` less 0.5 mm) or nearer the top or
      bottom edge than a printer prints;
    - two glyphs of one line drawn over each other (a number spilling out of its table cell onto the next);
    - a Chinese character not drawn with the CJK font (it would print as an empty box);
    - an amount of ``amounts`` that appears on no line whole (cut by the page edge, wrapped, or overprinted);
    - a text of ``texts`` (names, headings) missing from the document, spaces and line breaks aside.
    """
    pages = read_pages(pdf)
    problems: list[str] = []
    expected_size = (A4[1], A4[0]) if landscape else A4
    all_lines: list[str] = []
    for page in pages:
        if abs(page.width - expected_size[0]) > 1 or abs(page.height - expected_size[1]) > 1:
            problems.append(f"page {page.number} is {page.width / MM:.0f} x {page.height / MM:.0f} mm, not A4"
                            f"{' landscape' if landscape else ''}")
        left, right = (side_margin_mm - 0.5) * MM, page.width - (side_margin_mm - 0.5) * MM
        bottom, top = PRINTABLE_MM * MM, page.height - PRINTABLE_MM * MM
        for line in page.lines():
            text = line_text(line)
            all_lines.append(text)
            visible = [g for g in line if g.text.strip()]
            outside = [g for g in visible if g.x0 < left - 0.01 or g.x1 > right + 0.01 or g.y0 < bottom or g.y1 > top]
            if outside:
                problems.append(f"page {page.number}: {''.join(g.text for g in outside)!r} of {text!r} lies outside "
                                f"the page's margins (x {outside[0].x0 / MM:.1f}-{outside[-1].x1 / MM:.1f} mm "
                                f"of {page.width / MM:.0f} mm)")
            for before, after in itertools.pairwise(visible):
                if after.x0 < before.x1 - KERNING * before.size:
                    problems.append(f"page {page.number}: {before.text!r} and {after.text!r} are drawn over each "
                                    f"other in {text!r}")
                    break
            boxes = [g.text for g in visible if _CJK.search(g.text) and "CJK" not in g.font.upper()]
            if boxes:
                problems.append(f"page {page.number}: {''.join(boxes)!r} is not drawn with the CJK font")
    for amount in dict.fromkeys(amounts):
        pattern = amount_pattern(amount)
        if not any(pattern.search(text) for text in all_lines):
            near = [text for text in all_lines if amount[:5] in text][:2]
            problems.append(f"{amount} is on no line whole (lines with its start: {near})")
    flat = re.sub(r"\s+", "", "".join(g.text for page in pages for g in page.glyphs))  # as drawn: cell by cell
    for text in texts:
        if re.sub(r"\s+", "", text) not in flat:
            problems.append(f"{text!r} is missing")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:25])
    return pages


# --- the checker catches what the reviewer saw ------------------------------------------------------------------

def _weasy(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def test_the_checker_finds_a_column_off_the_page_and_an_amount_cut_there():
    cells = "".join(f"<td style='white-space:nowrap'>22,519.4{i} 合计</td>" for i in range(10))
    pdf = _weasy(f"<html><body style='font-family: \"Noto Sans CJK SC\"; margin: 0'><table><tr>{cells}</tr>"
                 "</table></body></html>")

    with pytest.raises(AssertionError) as failure:
        assert_complete_on_a4(pdf, amounts=["22,519.40", "22,519.49"], side_margin_mm=15)
    assert "lies outside the page's margins" in str(failure.value)
    assert "22,519.49 is on no line whole" not in str(failure.value)  # off the page, but drawn whole


def test_the_checker_finds_an_amount_wrapped_or_drawn_over_its_neighbour():
    pdf = _weasy("<html><body style='font-family: \"Noto Sans CJK SC\"'>"
                 "<div style='width: 9mm; overflow-wrap: anywhere'>123,456,789.01</div>"
                 "<table style='table-layout: fixed; width: 40mm'><tr><td style='width: 10mm; white-space: nowrap'>"
                 "98,765,432.10</td><td style='white-space: nowrap'>55,555.55</td></tr></table></body></html>")

    with pytest.raises(AssertionError) as failure:
        assert_complete_on_a4(pdf, amounts=["123,456,789.01"], side_margin_mm=5)
    assert "123,456,789.01 is on no line whole" in str(failure.value)
    assert "drawn over each other" in str(failure.value)


def test_the_checker_passes_a_page_that_is_complete():
    pdf = _weasy("<html><body style='font-family: \"Noto Sans CJK SC\"'><p>合计 CNY 22,519.49</p></body></html>")

    [page] = assert_complete_on_a4(pdf, amounts=["22,519.49"], side_margin_mm=5, texts=["合计"])
    assert page.glyphs


# --- a hard book ---------------------------------------------------------------------------------------------

NAMES = {
    "zh-hans": "中国长江国际工业设备进出口贸易集团股份有限公司华东区域第二分公司（上海自由贸易试验区临港新片区）",
    "en": "Pacific Rim International Industrial Equipment Import and Export Trading Company Limited (Shanghai)",
}
#: open amounts per invoice, largest first: 123,456,789.01 and the others below it
AMOUNTS = [12_345_678_901 - i * 987_654_321 for i in range(12)]
LAWYER_ITEMS = 9  # 95 and more days overdue: the lawyer's letter (+90)
LETTER_ITEMS = 9  # 35 and more days overdue: the letter (+30)


@dataclass
class Book:
    as_of: object
    customer: object
    legal: object
    contracts: list
    invoices: list  # (invoice, contract)
    grace_days: int


def _book(language: str) -> Book:
    """One customer in ``language`` with 18 overdue invoices on two contracts, as of today."""
    from arms.contracts.models import Contract
    from arms.dunning.services import policy_ensure_default

    policy = policy_ensure_default()
    sales, collector = factories.user(role="sales"), factories.user(role="collector")
    legal = factories.user(role="legal")
    customer = factories.customer(
        name=NAMES[language], region="overseas" if language == "en" else "east", salesperson=sales,
        collector=collector, address="上海市浦东新区世纪大道1000号环球金融中心写字楼第八十八层8801-8808室",
    )
    as_of = timezone.localdate()
    contracts = [Contract.objects.create(
        company=customer.company, customer=customer, number=f"HT-2026-华东-工业阀门及配套设备采购-{n:06d}",
        title="工业阀门、执行机构及配套控制系统年度框架采购合同", signed_date=as_of - timedelta(days=400),
        amount_minor=987_654_321_098, payment_terms_days=30, late_interest_rate_daily=Decimal("0.0005"),
        penalty_rate=Decimal("0.05"), dispute_venue="上海国际经济贸易仲裁委员会（上海国际仲裁中心）",
        penalty_clause="买方逾期付款的，每逾期一日按逾期金额的万分之五支付逾期利息，并按逾期金额的5%支付违约金。",
    ) for n in (1, 2)]
    invoices = []
    for i in range(LAWYER_ITEMS + LETTER_ITEMS):
        overdue = 95 + 3 * i if i < LAWYER_ITEMS else 35 + i - LAWYER_ITEMS
        gross = AMOUNTS[i % len(AMOUNTS)] + i
        tax = gross * 13 // 113
        contract = contracts[i % 2]
        invoice = factories.invoice(
            customer, net=gross - tax, tax=tax, issued=as_of - timedelta(days=overdue + 30),
            number=f"INV-2026-EAST-{i + 1:08d}", vat_invoice_number=f"2631200000{i + 1:010d}", contract=contract,
        )
        invoices.append((invoice, contract))
    return Book(as_of, customer, legal, contracts, invoices, policy.grace_days)


def _charges(book: Book, invoices) -> list[str]:
    """Each item's open amount, interest, penalty and total, and the sums, as the documents must print them."""
    amounts, sums = [], {"open": 0, "interest": 0, "penalty": 0, "total": 0}
    for invoice, contract in invoices:
        charge = late_interest(amount_minor=invoice.gross_minor, due_date=invoice.due_date, as_of=book.as_of,
                               daily_rate=contract.late_interest_rate_daily, penalty_rate=contract.penalty_rate,
                               grace_days=book.grace_days)
        row = {"open": invoice.gross_minor, "interest": charge.interest_minor, "penalty": charge.penalty_minor}
        row["total"] = sum(row.values())
        for key, value in row.items():
            sums[key] += value
        amounts += [format_amount(value, "CNY") for value in row.values()]
    return amounts + [format_amount(value, "CNY") for value in sums.values()]


# --- the documents -------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_letters_and_the_statement_are_complete_on_a4(language):
    from arms.dunning.documents import letter_for, render_letter_pdf, render_statement_pdf
    from arms.dunning.models import DunningAction
    from arms.dunning.services import dunning_run

    book = _book(language)
    # the lawyer's letter in a law firm's name (律师函, signed by its lawyer); our legal department's is a 催告函
    from arms.customers.services import company_ensure
    from arms.legal.services import legal_settings_update

    legal_settings_update(actor=None, company=company_ensure(), issuer_mode="law_firm",
                          firm_name="上海市明理律师事务所", lawyer_name="张明", licence_number="13101200910123456",
                          firm_address="上海市黄浦区中山东一路1号", firm_phone="021-63210000")
    dunning_run(as_of=book.as_of, process=False)
    actions = {a.stage.letter_kind: a for a in DunningAction.objects.filter(customer=book.customer)
               .select_related("stage", "customer") if a.stage.letter_kind}
    assert set(actions) == {"letter", "lawyer_letter"}
    heading = {"zh-hans": ("催款函", "律师函", "催收对账单"),
               "en": ("Payment Demand", "Lawyer's Letter", "Statement of Overdue Items")}[language]
    differences = {"zh-hans": "5个工作日内", "en": "within 5 working days"}[language]

    lawyer_amounts = _charges(book, book.invoices[:LAWYER_ITEMS])
    letter_amounts = _charges(book, book.invoices[LAWYER_ITEMS:])
    every_amount = _charges(book, book.invoices)
    letter = letter_for(actions["letter"])
    assert_complete_on_a4(render_letter_pdf(letter), amounts=letter_amounts, side_margin_mm=15,
                          texts=[heading[0], book.customer.name, differences])
    lawyer = letter_for(actions["lawyer_letter"])
    assert_complete_on_a4(render_letter_pdf(lawyer), amounts=lawyer_amounts, side_margin_mm=15,
                          texts=[heading[1], book.customer.name, "上海市明理律师事务所", "13101200910123456"])
    pages = assert_complete_on_a4(render_statement_pdf(letter), amounts=every_amount, side_margin_mm=15,
                                  texts=[heading[2], book.customer.name, differences])
    assert len(pages) >= 2
    invoice_header = {"zh-hans": "发票", "en": "Invoice"}[language]
    for page in pages:  # the item table's header is repeated on every page it runs over
        if any("INV-2026-EAST" in line_text(line) for line in page.lines()):
            assert any(line_text(line).startswith(invoice_header) for line in page.lines()), page.number


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_evidence_bundle_index_is_complete_on_a4(language):
    from arms.cases.enums import ActivityKind
    from arms.cases.services.activities import activity_record
    from arms.cases.services.bundles import evidence_bundle

    book = _book(language)
    first = book.invoices[0][0]
    paid = 98_765_432_10
    payment = factories.payment(book.customer, amount=paid, received=book.as_of - timedelta(days=20),
                                number="RCV-2026-EAST-00000001")
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(first.pk, paid)],
                              on=book.as_of - timedelta(days=20))
    for n in range(3):
        activity_record(customer=book.customer, kind=ActivityKind.CALL, outcome="promised", actor=book.legal,
                        note="客户财务总监表示资金紧张，承诺月底前支付部分款项，但未给出具体金额和日期；" * 3 + str(n),
                        attachment_name=f"通话录音-客户财务总监-2026年第{n + 1}次催收电话录音文件.mp3",
                        attachment_bytes=b"ID3" + bytes([n]) * 64)
    with translation.override(language):
        bundle = evidence_bundle(customer=book.customer, actor=book.legal, as_of=book.as_of,
                                 recipient="上海市锦天城律师事务所（特殊普通合伙）金融与资本市场争议解决部",
                                 note="请代理诉讼并申请财产保全。" * 4)
    index = zipfile.ZipFile(io.BytesIO(bundle.content)).read("00-index.pdf")

    total = sum(invoice.gross_minor for invoice, _contract in book.invoices) - paid
    amounts = [format_amount(invoice.gross_minor, "CNY") for invoice, _contract in book.invoices]
    amounts += [format_amount(first.gross_minor - paid, "CNY"), format_amount(paid, "CNY"),
                format_amount(total, "CNY"), format_amount(987_654_321_098, "CNY")]
    assert_complete_on_a4(index, amounts=amounts, side_margin_mm=15, texts=[book.customer.name])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_monthly_report_is_complete_on_a4(language):
    from arms.reports.render import monthly_pdf
    from arms.reports.selectors.monthly import monthly_report_data
    from arms.reports.tables import MONEY

    book = _book(language)
    # a billion and more in every aging bucket, from not yet due (due in 20 days) to over two years overdue
    grosses = {days_overdue: 123_456_789_012 + days_overdue for days_overdue in (-20, 15, 45, 75, 120, 250, 500, 800)}
    for n, (days_overdue, gross) in enumerate(grosses.items(), start=1):
        other = factories.customer(name=f"{NAMES['zh-hans'][:24]}第{n}分公司", collector=book.customer.collector)
        factories.invoice(other, net=gross - gross * 13 // 113, tax=gross * 13 // 113,
                          issued=book.as_of - timedelta(days=30 + days_overdue))
    with translation.override(language):
        report = monthly_report_data(month=book.as_of.replace(day=1), today=book.as_of)
        pdf = monthly_pdf(report)

    total = sum(invoice.gross_minor for invoice, _contract in book.invoices) + sum(grosses.values())
    amounts = [format_amount(total, "CNY"), *(format_amount(gross, "CNY") for gross in grosses.values()),
               format_amount(sum(invoice.gross_minor for invoice, _contract in book.invoices), "CNY")]
    tables = (report.kpi_table, report.aging_summary, report.trend_table, report.top_overdue, *report.risk_tables,
              report.budget, report.team, *report.outlook_tables)
    for table in filter(None, tables):  # every amount of every table the PDF shows
        money = [n for n, column in enumerate(table.columns) if column.kind == MONEY]
        amounts += [row[n][0] for row in table.display_rows() for n in money if row[n][0] != "—"]
    assert_complete_on_a4(pdf, amounts=amounts, side_margin_mm=14, landscape=True, texts=[book.customer.name])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_balance_confirmation_letter_is_complete_on_a4(language):
    """对账确认函: a month of invoices in the billions, a payment, the open items and the reply slip with its
    signature lines and seal boxes, on A4 in the customer's language."""
    from arms.confirmations.documents import render_confirmation_pdf
    from arms.confirmations.models import Confirmation
    from arms.confirmations.services.runs import confirmation_run_start

    book = _book(language)
    period_end = book.as_of.replace(day=1) - timedelta(days=1)
    for n in range(6):  # movements in the month itself, beside the opening balance of the older invoices
        gross = AMOUNTS[n] + 7 * n
        factories.invoice(book.customer, net=gross - gross * 13 // 113, tax=gross * 13 // 113,
                          issued=period_end.replace(day=1 + 4 * n), number=f"INV-2026-EAST-M{n + 1:07d}",
                          vat_invoice_number=f"2631200001{n + 1:010d}")
    factories.payment(book.customer, amount=98_765_432_10, received=period_end.replace(day=20),
                      bank_reference="中国工商银行上海分行电汇20260001234567")
    run, _created = confirmation_run_start(company=book.customer.company, period_end=period_end, actor=None)
    letter = Confirmation.objects.get(run=run, customer=book.customer)
    data = letter.snapshot_data
    amounts = []
    for statement in data["statements"]:
        amounts += [format_amount(statement["opening_minor"], "CNY"), format_amount(statement["closing_minor"], "CNY")]
        for line in statement["lines"]:
            amounts += [format_amount(value, "CNY") for value in (line["debit_minor"], line["credit_minor"],
                                                                  line["balance_minor"]) if value]
    amounts += [format_amount(item["open_minor"], "CNY") for item in data["open_items"]]
    texts = {"zh-hans": ["对账确认函", "信息无误", "信息不符，差异如下", "授权代表签字", "公章"],
             "en": ["Balance Confirmation", "Reply slip", "the information differs", "Authorised signature"]}
    assert len(data["open_items"]) >= 18
    assert_complete_on_a4(render_confirmation_pdf(letter), amounts=amounts, side_margin_mm=15,
                          texts=[book.customer.name, *texts[language]])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_invoice_copy_is_complete_on_a4(language):
    from arms.ledger.documents import render_invoice_pdf
    from arms.ledger.services.deliveries import invoice_delivery_record

    book = _book(language)
    invoice = book.invoices[0][0]
    paid = 98_765_432_10
    payment = factories.payment(book.customer, amount=paid, received=book.as_of - timedelta(days=20),
                                number="RCV-2026-EAST-00000001")
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, paid)],
                              on=book.as_of - timedelta(days=20))
    credit = services.credit_note_post(actor=None, invoice=invoice, on=book.as_of - timedelta(days=10),
                                       net_minor=1_000_000_00, tax_minor=130_000_00, reason="价格折让",
                                       number="CN-2026-EAST-00000001")
    invoice_delivery_record(invoice=invoice, actor=None, channel="post", carrier="EMS",
                            tracking_no="EA123456789CN", delivered_on=invoice.issue_date + timedelta(days=2))
    invoice.refresh_from_db()
    with translation.override(language):
        pdf = render_invoice_pdf(invoice)
    heading = {"zh-hans": "应收账款通知", "en": "Accounts receivable notice"}[language]
    amounts = [format_amount(v, "CNY") for v in (invoice.net_minor, invoice.tax_minor, invoice.gross_minor, paid,
                                                 credit.gross_minor, invoice.amount_open_minor,
                                                 invoice.gross_minor - invoice.amount_open_minor)]
    [page] = assert_complete_on_a4(pdf, amounts=amounts, side_margin_mm=15,
                                   texts=[book.customer.name, invoice.number, invoice.vat_invoice_number,
                                          "EA123456789CN", credit.number, heading])
    assert page.glyphs


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_letters_say_when_each_invoice_was_delivered_and_stay_on_a4(language):
    from arms.dunning.documents import letter_for, render_letter_pdf, render_statement_pdf
    from arms.dunning.models import DunningAction
    from arms.dunning.services import dunning_run
    from arms.ledger.services.deliveries import invoice_delivery_record, invoice_receipt_confirm

    book = _book(language)
    posted, emailed = book.invoices[LAWYER_ITEMS][0], book.invoices[LAWYER_ITEMS + 1][0]
    invoice_delivery_record(invoice=posted, actor=None, channel="post", carrier="EMS", tracking_no="EA123456789CN",
                            delivered_on=posted.issue_date + timedelta(days=2))
    invoice_receipt_confirm(invoice=posted, actor=None, channel="email",
                            received_on=posted.issue_date + timedelta(days=5))
    invoice_delivery_record(invoice=emailed, actor=None, channel="email",
                            delivered_on=emailed.issue_date + timedelta(days=1))
    dunning_run(as_of=book.as_of, process=False)
    action = DunningAction.objects.select_related("stage", "customer").get(customer=book.customer,
                                                                          stage__letter_kind="letter")
    letter = letter_for(action)
    by_number = {line.number: line for line in letter.lines}
    assert by_number[posted.number].delivery.state == "confirmed"
    assert by_number[emailed.number].delivery.state == "delivered"
    assert by_number[book.invoices[-1][0].number].delivery.state == "undelivered"
    texts = ["EA123456789CN", f"{posted.issue_date + timedelta(days=2):%Y-%m-%d}",
             f"{posted.issue_date + timedelta(days=5):%Y-%m-%d}", f"{emailed.issue_date + timedelta(days=1):%Y-%m-%d}"]
    assert_complete_on_a4(render_letter_pdf(letter), amounts=_charges(book, book.invoices[LAWYER_ITEMS:]),
                          side_margin_mm=15, texts=texts)
    assert_complete_on_a4(render_statement_pdf(letter), amounts=_charges(book, book.invoices), side_margin_mm=15,
                          texts=texts)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_stress_run_report_is_complete_on_a4(language):
    """A stress run of the hard book (amounts in the billions, the largest customer defaulting): every figure of
    the summary and of the 13 weeks on A4, in Chinese and in English."""
    from arms.stress.documents import render_run_pdf
    from arms.stress.exports import summary_rows
    from arms.stress.services import scenario_create, scenario_run, shocks_text
    from arms.web.exports import AMOUNT

    book = _book(language)
    with translation.override(language):
        scenario = scenario_create(actor=None, company=book.customer.company, name=NAMES[language][:60],
                                   parameters={"slip_share_bp": 5_000, "slip_days": 90, "default_top_n": 1})
        run = scenario_run(actor=None, scenario=scenario, as_of=book.as_of)
        pdf = render_run_pdf(run, shocks=shocks_text(scenario.parameters()))
    amounts = [format_amount(int(base), "CNY") for _label, kind, base, _stressed in summary_rows(run.results)
               if kind == AMOUNT]
    amounts += [format_amount(w[key], "CNY") for w in run.results["weeks"]
                for key in ("base_minor", "stressed_minor", "base_position_minor", "stressed_position_minor")]
    assert_complete_on_a4(pdf, amounts=amounts, side_margin_mm=15, texts=[book.customer.name[:20]])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_invoice_copy_prints_its_early_payment_discount_on_a4(language):
    from arms.ledger.documents import render_invoice_pdf

    customer = factories.customer(name=NAMES[language])
    today = timezone.localdate()
    invoice = factories.invoice(customer, net=109_253_795_58, tax=14_202_993_43, issued=today - timedelta(days=2),
                                number="INV-2026-EAST-DISCOUNT-0001", discount_bp=200,
                                discount_until=today + timedelta(days=8))
    discount = (invoice.gross_minor * 200 + 5_000) // 10_000
    with translation.override(language):
        pdf = render_invoice_pdf(invoice)
    pay = format_amount(invoice.gross_minor - discount, "CNY")
    [page] = assert_complete_on_a4(pdf, amounts=[format_amount(invoice.gross_minor, "CNY"), pay,
                                                 format_amount(discount, "CNY")],
                                   side_margin_mm=15, texts=[invoice.number, "2/10, n/30"])
    assert page.glyphs


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_handover_list_is_complete_on_a4_landscape(language):
    """逾期账款交接表 of the hard book: 18 overdue invoices in the billions, a promise, open tasks and the totals,
    on A4 landscape with both names and the hash."""
    from arms.cases.services.promises import promise_record
    from arms.cases.services.tasks import task_create
    from arms.handover.documents import render_handover_pdf
    from arms.handover.services import handover_acknowledge, handover_open

    book = _book(language)
    collector = book.customer.collector
    successor = factories.user(role="collector")
    promise_record(customer=book.customer, amount_minor=AMOUNTS[0], promised_on=book.as_of + timedelta(days=7),
                   actor=collector, contact_name="财务总监办公室应付账款组负责人")
    for n in range(3):
        task_create(customer=book.customer, kind="call", title="与客户财务总监电话沟通逾期发票的付款安排" * 3,
                    assignee=collector, level="finance", due_on=book.as_of + timedelta(days=n + 1), actor=None)
    clerk = factories.user(role="finance_clerk")
    with translation.override(language):
        handover = handover_open(actor=clerk, role="collector", from_user=collector, to_user=successor,
                                 reason="离职")
        handover_acknowledge(actor=collector, handover=handover, note="已移交")
        pdf = render_handover_pdf(handover)
    data = handover.snapshot_data
    amounts = [format_amount(item["open_minor"], "CNY") for item in data["open_items"]]
    amounts += [format_amount(total["open_minor"], "CNY") for total in data["totals"]]
    amounts += [format_amount(AMOUNTS[0], "CNY")]
    assert len(data["open_items"]) == 18
    assert_complete_on_a4(pdf, amounts=amounts, side_margin_mm=14, landscape=True,
                          texts=[book.customer.code, handover.sha256])
