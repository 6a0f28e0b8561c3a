"""Each page through Django's test client: status, permission, visibility and the exact figures shown."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from arms.audit.models import AuditEvent
from arms.ledger.models import Allocation, Payment
from tests import factories
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _chinese(client):
    """Pages render in Chinese, as for ARMS's users, unless a test switches (the test settings default to
    English so that other tests can assert on message ids)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with translation.override("zh-hans"):
        yield


# --- login, logout, layout --------------------------------------------------------------------------------

@pytest.mark.parametrize("name,args", [
    ("web:home", []), ("web:customer_list", []), ("web:customer_detail", [1]), ("web:customer_statement", [1]),
    ("web:invoice_list", []), ("web:invoice_detail", [1]), ("web:payment_list", []), ("web:payment_detail", [1]),
])
def test_every_page_asks_an_anonymous_visitor_to_log_in(client, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_login_with_a_wrong_password_shows_the_error_and_stays_anonymous(client, book):
    response = client.post(reverse("login"), {"username": "clerk", "password": "wrong"})

    assert response.status_code == 200
    assert 'id="login-error"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_lands_on_the_overview(client, book):
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("web:home")


def test_logout_is_a_post_and_returns_to_the_login_page(client, book):
    login(client, book.clerk)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_layout_shows_the_user_their_role_and_the_admin_link_only_to_staff(client, book):
    page = login(client, book.sales_a).get(reverse("web:home")).content.decode()
    assert "<strong>王明</strong>" in page
    assert "销售" in page
    assert reverse("admin:index") not in page

    admin = factories.user("boss", superuser=True)
    page = login(client, admin).get(reverse("web:home")).content.decode()
    assert reverse("admin:index") in page


def test_switching_the_language_to_english_changes_the_labels(client, book):
    login(client, book.clerk)
    assert "客户" in client.get(reverse("web:home")).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302
    with translation.override("en"):
        page = client.get(reverse("web:home")).content.decode()

    assert "Customers" in page
    assert "Open receivables" in page
    assert "应收" not in page.split("<main", 1)[1]


# --- home ---------------------------------------------------------------------------------------------------

def test_home_totals_cover_every_customer_for_the_clerk(client, book):
    response = login(client, book.clerk).get(reverse("web:home"))

    totals = response.context["totals"]
    assert (totals.customer_count, totals.base.open_minor, totals.base.overdue_minor, totals.base.unapplied_minor) \
        == (2, 1_130_000 + 565_000 + 226_000, 1_130_000 + 226_000, 300_000)
    page = response.content.decode()
    assert "19,210.00" in page and "13,560.00" in page and "3,000.00" in page


def test_home_totals_for_a_salesperson_cover_only_their_own_customers(client, book):
    totals = login(client, book.sales_b).get(reverse("web:home")).context["totals"]

    assert (totals.customer_count, totals.base.open_minor, totals.base.overdue_minor, totals.base.unapplied_minor) \
        == (1, 226_000, 226_000, 0)


# --- customers ----------------------------------------------------------------------------------------------

def test_customer_list_shows_each_customer_with_open_and_overdue_amounts(client, book):
    response = login(client, book.clerk).get(reverse("web:customer_list"))

    rows = {c.code: (c.open_minor, c.overdue_minor) for c in response.context["page"]}
    assert rows == {"HD001": (1_695_000, 1_130_000), "XN001": (226_000, 226_000)}
    assert "16,950.00" in response.content.decode()


def test_customer_list_search_by_htmx_returns_only_the_results_partial(client, book):
    response = login(client, book.clerk).get(reverse("web:customer_list"), {"q": "西南"}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="results"')
    assert "西南物流有限公司" in page
    assert "华东精密机械有限公司" not in page


@pytest.mark.parametrize("params,codes", [
    ({"region": "southwest"}, ["XN001"]),
    ({"industry": "manufacturing"}, ["HD001"]),
    ({"status": "on_hold"}, []),
    ({"q": "hd0"}, ["HD001"]),
    ({"region": "mars"}, ["HD001", "XN001"]),
])
def test_customer_list_filters(client, book, params, codes):
    response = login(client, book.clerk).get(reverse("web:customer_list"), params)

    assert [c.code for c in response.context["page"]] == codes


def test_customer_list_pages_by_25(client, book):
    for n in range(30):
        factories.customer(f"ZZ{n:03d}")

    first = login(client, book.clerk).get(reverse("web:customer_list"))
    last = client.get(reverse("web:customer_list"), {"page": 2})

    assert (len(first.context["page"]), len(last.context["page"])) == (25, 7)
    assert 'rel="prev"' in last.content.decode() and 'rel="next"' not in last.content.decode()


def test_a_salesperson_lists_only_their_own_customers(client, book):
    response = login(client, book.sales_a).get(reverse("web:customer_list"))

    assert [c.code for c in response.context["page"]] == ["HD001"]


def test_customer_page_shows_facts_balances_open_invoices_payments_and_contracts(client, book):
    response = login(client, book.clerk).get(reverse("web:customer_detail", args=[book.huadong.pk]))

    assert response.status_code == 200
    assert response.context["balances"] == {"CNY": {"open": 1_695_000, "unapplied": 300_000, "balance": 1_395_000}}
    assert [i.number for i in response.context["open_items"]] == ["INV-HD-1", "INV-HD-2"]
    page = response.content.decode()
    for text in ("HD001", book.huadong.uscc, "王明", "HT-2026-001", "李娜", "RCV-HD-1",
                 "16,950.00", "3,000.00", "13,950.00", "11,300.00", "5,650.00"):
        assert text in page, text
    assert '<span class="badge overdue">30</span>' in page
    assert 'id="payment-form"' in page


def test_another_salespersons_customer_page_is_not_found(client, book):
    response = login(client, book.sales_b).get(reverse("web:customer_detail", args=[book.huadong.pk]))

    assert response.status_code == 404
    assert "无权查看的客户" in response.content.decode()


def test_the_record_payment_form_is_shown_only_to_those_who_may_record(client, book):
    page = login(client, book.sales_a).get(reverse("web:customer_detail", args=[book.huadong.pk])).content.decode()

    assert 'id="payment-form"' not in page


# --- statement ----------------------------------------------------------------------------------------------

def _period(book, start_days_ago=50, end_days_ago=0) -> dict:
    return {"date_from": (book.today - timedelta(days=start_days_ago)).isoformat(),
            "date_to": (book.today - timedelta(days=end_days_ago)).isoformat()}


def test_statement_by_htmx_is_the_partial_with_opening_movements_and_closing(client, book):
    url = reverse("web:customer_statement", args=[book.huadong.pk])

    response = login(client, book.clerk).get(url, _period(book), **HTMX)

    page = response.content.decode()
    assert "<html" not in page
    assert '<td class="num statement-opening">11,300.00</td>' in page
    assert '<td class="num statement-closing">13,950.00</td>' in page
    assert re.findall(r'<td class="docno">([^<]+)</td>', page) == ["INV-HD-2", "RCV-HD-1"]
    assert "5,650.00" in page and "3,000.00" in page and "BR-0001" in page


def test_statement_sums_are_exact(client, book):
    url = reverse("web:customer_statement", args=[book.huadong.pk])

    response = login(client, book.clerk).get(url, _period(book))

    [statement] = response.context["statements"]
    assert (statement.opening_minor, statement.debit_total_minor, statement.credit_total_minor,
            statement.closing_minor) == (1_130_000, 565_000, 300_000, 1_395_000)


def test_statement_without_htmx_is_a_printable_page_and_bad_dates_are_a_400(client, book):
    url = reverse("web:customer_statement", args=[book.huadong.pk])
    login(client, book.clerk)

    good = client.get(url, _period(book))
    bad = client.get(url, {"date_from": "2026-05-01", "date_to": "2026-04-01"})

    assert good.status_code == 200 and "<html" in good.content.decode()
    assert bad.status_code == 400
    assert bad.context["statements"] is None


def test_statement_exports_to_excel_with_exact_amounts(client, book):
    url = reverse("web:customer_statement", args=[book.huadong.pk])

    response = login(client, book.clerk).get(url, {**_period(book), "export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=3)]
    assert [r[3] for r in rows] == [None, "INV-HD-2", "RCV-HD-1", None]
    assert [r[7] for r in rows] == [11300, 16950, 13950, 13950]
    assert Decimal(str(rows[1][5])) == Decimal("5650.00")


def test_statement_exports_to_csv(client, book):
    url = reverse("web:customer_statement", args=[book.huadong.pk])

    response = login(client, book.clerk).get(url, {**_period(book), "export": "csv"})

    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["HD001", "华东精密机械有限公司"]
    assert [r[7] for r in rows[2:]] == ["11300.00", "16950.00", "13950.00", "13950.00"]


def test_another_salespersons_statement_is_not_found(client, book):
    url = reverse("web:customer_statement", args=[book.huadong.pk])

    response = login(client, book.sales_b).get(url, {**_period(book), "export": "csv"})

    assert response.status_code == 404


# --- recording a payment ------------------------------------------------------------------------------------

def _payment_post(book, **overrides) -> dict:
    data = {"received_date": book.today.isoformat(), "amount": "12,000.00", "currency": "CNY",
            "method": "bank_transfer", "bank_reference": "BR-0002", "payer_name": "", "bill_number": "",
            "bill_maturity_date": "", "auto_allocate": "on", "idempotency_key": "k-1"}
    data.update(overrides)
    return data


def test_recording_a_payment_allocates_it_and_the_open_amount_falls(client, book):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])

    response = login(client, book.clerk).post(url, _payment_post(book))

    assert response.status_code == 302
    assert response.url == reverse("web:customer_detail", args=[book.huadong.pk])
    payment = Payment.objects.get(bank_reference="BR-0002")
    assert (payment.amount_minor, payment.amount_unallocated_minor, payment.posted_by) == (1_200_000, 0, book.clerk)
    book.invoice_overdue.refresh_from_db()
    book.invoice_current.refresh_from_db()
    assert (book.invoice_overdue.amount_open_minor, book.invoice_current.amount_open_minor) == (0, 495_000)
    page = client.get(response.url).content.decode()
    assert payment.number in page
    assert "4,950.00" in page


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_payment_form_refuses_a_date_outside_the_range_beside_the_field(client, book, day):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])
    before = (Payment.objects.count(), AuditEvent.objects.count())

    response = login(client, book.clerk).post(url, _payment_post(book, received_date=day), **HTMX)

    assert response.status_code == 200
    form = response.context["payment_form"]
    assert form.errors == {"received_date": [f"{day} 超出 ARMS 接受的日期范围（1900-01-01 至 2999-12-31）。"]}
    assert (Payment.objects.count(), AuditEvent.objects.count()) == before


def test_submitting_the_same_form_twice_records_the_payment_once(client, book):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])
    login(client, book.clerk)

    first = client.post(url, _payment_post(book))
    second = client.post(url, _payment_post(book))

    assert (first.status_code, second.status_code) == (302, 302)
    assert Payment.objects.filter(bank_reference="BR-0002").count() == 1
    assert AuditEvent.objects.filter(action="payment_recorded").count() == 2  # the fixture's and this one


def test_the_customer_page_gives_each_payment_form_a_fresh_key(client, book):
    url = reverse("web:customer_detail", args=[book.huadong.pk])
    login(client, book.clerk)

    keys = {client.get(url).context["payment_form"].initial["idempotency_key"] for _ in range(2)}

    assert len(keys) == 2


def test_recording_a_payment_by_htmx_answers_with_a_client_redirect(client, book):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])

    response = login(client, book.clerk).post(url, _payment_post(book, auto_allocate=""), **HTMX)

    assert response["HX-Redirect"] == reverse("web:customer_detail", args=[book.huadong.pk])
    payment = Payment.objects.get(bank_reference="BR-0002")
    assert payment.amount_unallocated_minor == 1_200_000


def test_an_unreadable_amount_is_shown_beside_the_amount_and_nothing_is_recorded(client, book):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])
    before = (Payment.objects.count(), Allocation.objects.count(), AuditEvent.objects.count())

    response = login(client, book.clerk).post(url, _payment_post(book, amount="12.345"), **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<form id="payment-form"')
    assert 'id="error-amount"' in page
    assert (Payment.objects.count(), Allocation.objects.count(), AuditEvent.objects.count()) == before


def test_a_service_refusal_is_shown_beside_the_field_it_names_and_nothing_is_recorded(client, book):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])
    before = (Payment.objects.count(), Allocation.objects.count(), AuditEvent.objects.count())
    data = _payment_post(book, method="bank_acceptance", bill_number="BA-9",
                         bill_maturity_date=(book.today - timedelta(days=1)).isoformat())

    response = login(client, book.clerk).post(url, data)

    assert response.status_code == 400
    form = response.context["payment_form"]
    assert list(form.errors) == ["bill_maturity_date"]
    assert 'id="error-bill_maturity_date"' in response.content.decode()
    assert (Payment.objects.count(), Allocation.objects.count(), AuditEvent.objects.count()) == before


def test_a_zero_amount_refused_by_the_service_lands_on_the_amount_field(client, book):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])

    response = login(client, book.clerk).post(url, _payment_post(book, amount="0"))

    assert response.status_code == 400
    assert list(response.context["payment_form"].errors) == ["amount"]
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("who", ["sales_a", "auditor"])
def test_roles_without_add_payment_cannot_record_a_payment(client, book, who):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])

    response = login(client, getattr(book, who)).post(url, _payment_post(book))

    assert response.status_code == 403
    assert Payment.objects.count() == 1


def test_a_payment_for_a_customer_one_may_not_see_is_not_found(client, book):
    from django.contrib.auth.models import Permission

    book.sales_b.user_permissions.add(Permission.objects.get(codename="add_payment"))
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])

    response = login(client, book.sales_b).post(url, _payment_post(book))

    assert response.status_code == 404
    assert Payment.objects.count() == 1


def test_payment_recording_needs_a_post(client, book):
    url = reverse("web:customer_payment_record", args=[book.huadong.pk])

    assert login(client, book.clerk).get(url).status_code == 405


# --- invoices -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("params,numbers", [
    ({}, ["INV-HD-2", "INV-XN-1", "INV-HD-1"]),
    ({"state": "overdue"}, ["INV-XN-1", "INV-HD-1"]),
    ({"q": "XN"}, ["INV-XN-1"]),
    ({"q": "华东"}, ["INV-HD-2", "INV-HD-1"]),
    ({"date_from": "{d50}", "date_to": "{d40}"}, ["INV-XN-1"]),
])
def test_invoice_list_filters(client, book, params, numbers):
    fill = {"d50": (book.today - timedelta(days=50)).isoformat(), "d40": (book.today - timedelta(days=40)).isoformat()}
    params = {k: v.format(**fill) for k, v in params.items()}

    response = login(client, book.clerk).get(reverse("web:invoice_list"), params)

    assert [i.number for i in response.context["page"]] == numbers


def test_invoice_list_open_only_leaves_out_settled_invoices(client, book):
    factories.payment(book.xinan, amount=226_000, received=book.today, actor=book.clerk, auto_allocate=True)

    response = login(client, book.clerk).get(reverse("web:invoice_list"), {"state": "open"})

    assert [i.number for i in response.context["page"]] == ["INV-HD-2", "INV-HD-1"]


def test_invoice_list_htmx_returns_the_partial_and_salespeople_see_their_own(client, book):
    response = login(client, book.sales_b).get(reverse("web:invoice_list"), **HTMX)

    assert response.content.decode().lstrip().startswith('<section id="results"')
    assert [i.number for i in response.context["page"]] == ["INV-XN-1"]


def test_invoice_detail_shows_allocations_and_credit_notes(client, book):
    from arms.ledger import services

    services.credit_note_post(actor=book.clerk, invoice=book.invoice_overdue, on=book.today, net_minor=100_000,
                              tax_minor=13_000, reason="质量折让", number="CN-1")
    factories.payment(book.huadong, number="RCV-HD-2", amount=500_000, received=book.today, actor=book.clerk,
                      auto_allocate=True)

    response = login(client, book.clerk).get(reverse("web:invoice_detail", args=[book.invoice_overdue.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "CN-1" in page and "质量折让" in page and "RCV-HD-2" in page
    assert "5,170.00" in page  # 11,300.00 - 1,130.00 credited - 5,000.00 paid


def test_another_salespersons_invoice_is_not_found(client, book):
    response = login(client, book.sales_a).get(reverse("web:invoice_detail", args=[book.invoice_xinan.pk]))

    assert response.status_code == 404


# --- payments -----------------------------------------------------------------------------------------------

def test_payment_list_filters_unallocated_and_search(client, book):
    factories.payment(book.xinan, number="RCV-XN-1", amount=226_000, received=book.today, actor=book.clerk,
                      auto_allocate=True)
    login(client, book.clerk)

    everything = client.get(reverse("web:payment_list"))
    unallocated = client.get(reverse("web:payment_list"), {"unallocated": "on"})
    by_reference = client.get(reverse("web:payment_list"), {"q": "BR-0001"}, **HTMX)

    assert [p.number for p in everything.context["page"]] == ["RCV-XN-1", "RCV-HD-1"]
    assert [p.number for p in unallocated.context["page"]] == ["RCV-HD-1"]
    assert [p.number for p in by_reference.context["page"]] == ["RCV-HD-1"]


def test_payment_detail_shows_its_allocations(client, book):
    pay = factories.payment(book.huadong, number="RCV-HD-2", amount=1_500_000, received=book.today, actor=book.clerk,
                            auto_allocate=True)

    response = login(client, book.clerk).get(reverse("web:payment_detail", args=[pay.pk]))

    page = response.content.decode()
    assert [a.invoice.number for a in response.context["allocations"]] == ["INV-HD-2", "INV-HD-1"]
    assert "11,300.00" in page and "3,700.00" in page


def test_another_salespersons_payment_is_not_found(client, book):
    response = login(client, book.sales_b).get(reverse("web:payment_detail", args=[book.payment.pk]))

    assert response.status_code == 404
