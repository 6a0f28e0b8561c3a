"""The PDF helper lays out Chinese text with a real CJK font: the text comes back out of the PDF."""

from __future__ import annotations

import io

import pytest
from django.template import engines

from arms.common.pdf import cjk_font_installed, render_pdf


@pytest.mark.skipif(not cjk_font_installed(), reason="no CJK font installed (scripts/system-deps installs one)")
def test_chinese_text_survives_a_round_trip(tmp_path, settings):
    from pypdf import PdfReader

    template = tmp_path / "letter.html"
    template.write_text('{% extends "pdf/base.html" %}{% block content %}<h1>律师函</h1><p>应收账款 ¥1,234.56</p>'
                        "{% endblock %}", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    engines._templates = None
    engines.__dict__.pop("templates", None)
    pdf = render_pdf("letter.html", {})

    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "律师函" in text and "应收账款" in text and "1,234.56" in text
