"""The portal's statement PDF is complete on A4 (the layout checker of tests/test_pdf_layout.py): a long name,
amounts in the billions, enough lines for a second page, in Chinese and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from arms.common.pdf import cjk_font_installed
from arms.customers.portal_access import portal_access_issue
from arms.customers.services import contact_create
from arms.domain.money import format_amount
from arms.ledger.selectors import customer_statement
from arms.portal.documents import render_statement_pdf
from tests import factories
from tests.test_pdf_layout import AMOUNTS, NAMES, assert_complete_on_a4

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not cjk_font_installed(), reason="no CJK font installed (scripts/system-deps)")]


def _customer(language: str):
    customer = factories.customer(name=NAMES[language])
    today = timezone.localdate()
    for i in range(40):
        gross = AMOUNTS[i % len(AMOUNTS)] + i
        tax = gross * 13 // 113
        factories.invoice(customer, net=gross - tax, tax=tax, issued=today - timedelta(days=80 - i),
                          number=f"INV-2026-EAST-{i + 1:08d}", vat_invoice_number=f"2631200000{i + 1:010d}",
                          description="工业阀门、执行机构及配套控制系统年度框架采购合同项下第二批交付货物")
    return customer, today


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_statement_pdf_is_complete_on_a4(language):
    customer, today = _customer(language)
    date_from = today - timedelta(days=90)
    statements = customer_statement(customer_id=customer.pk, date_from=date_from, date_to=today)
    amounts = [format_amount(line.balance_minor, "CNY") for line in statements[0].lines]
    amounts += [format_amount(line.debit_minor, "CNY") for line in statements[0].lines]
    with translation.override(language):
        pdf = render_statement_pdf(customer=customer, statements=statements, date_from=date_from, date_to=today)
    pages = assert_complete_on_a4(pdf, amounts=amounts, side_margin_mm=15, texts=[customer.name])
    assert len(pages) >= 2


def test_the_contact_downloads_the_statement_as_pdf():
    customer, today = _customer("zh-hans")
    contact = contact_create(actor=None, customer=customer, name="王会计")
    cache.clear()
    _access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client()
    client.get(f"/portal/enter/{raw}/")
    response = client.get(f"/portal/statement/?date_from={today - timedelta(days=90)}&date_to={today}&export=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and response.content.startswith(b"%PDF")
