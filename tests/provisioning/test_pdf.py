"""The run's report as a PDF: A4, every amount whole on its line, the Chinese drawn with the CJK font, read back
by the layout checker every PDF test uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from arms.common.pdf import cjk_font_installed
from arms.domain.money import format_amount
from arms.provisioning import services
from arms.provisioning.documents import render_run_pdf
from arms.provisioning.models import ProvisionLine
from tests import factories
from tests.test_pdf_layout import assert_complete_on_a4

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not cjk_font_installed(), reason="needs a CJK font (fonts-noto-cjk)")]


def test_the_run_report_is_complete_on_a4(book, company):
    # twenty customers with amounts in the hundreds of millions, long Chinese names
    for n in range(20):
        customer = factories.customer(f"PDF{n:03d}", name=f"中国东方重型装备制造集团股份有限公司第{n}分公司")
        gross = 987_654_321_00 + 7_777 * n
        factories.invoice(customer, net=gross - gross * 13 // 113, tax=gross * 13 // 113,
                          issued=book.e1 - timedelta(days=400 + n), due_date=book.e1 - timedelta(days=370 + n),
                          actor=book.clerk)
    run = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)
    with translation.override("zh-hans"):
        pdf = render_run_pdf(run)
    amounts = [format_amount(v) for v in (run.total_open_minor, run.total_required_minor, run.true_up_minor)]
    amounts += [format_amount(band["required_minor"]) for band in run.band_totals]
    amounts += [format_amount(line.required_minor) for line in ProvisionLine.objects.filter(run=run)]
    assert_complete_on_a4(pdf, amounts=amounts, side_margin_mm=15,
                          texts=["华东精密机械有限公司", "中国东方重型装备制造集团股份有限公司第19分公司", "1年以上"])
