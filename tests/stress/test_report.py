"""The monthly management report's risk outlook: the 13-week forecast, the standard scenario with its effect and
the recommendations, on the page's data and read back from the PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from arms.reports.render import monthly_pdf
from arms.reports.selectors.monthly import monthly_report_data

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-10-20")]


def test_the_report_has_the_forecast_the_standard_scenario_and_recommendations(book):
    with translation.override("en"):
        report = monthly_report_data(month=date(2026, 10, 1), today=date(2026, 10, 20))
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(monthly_pdf(report))).pages)
    # the forecast is the book's: 4,900.00 over the 13 weeks
    assert report.forecast.footer[1] == 490_000
    # the built-in standard scenario: 10% of the items slip 60 days and BIG (3,000.00) defaults
    assert report.stress.rows[0][1] == 490_000
    assert report.stress.rows[0][2] < 490_000
    assert report.recommendations and report.warnings is not None
    assert "Risk outlook" in text and "4,900.00" in text and "Recommendations" in text
    assert report.recommendations[0][:30] in text.replace("\n", " ")
