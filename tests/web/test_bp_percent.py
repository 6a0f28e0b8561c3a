"""Basis points are shown one way on every page: ``bp_percent`` from arms_web, two decimals, exact."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client

from arms.web.templatetags.arms_web import bp_percent
from tests import factories
from tests.credit.helpers import pay

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"


@pytest.mark.parametrize(("bp", "shown"), [
    (1250, "12.50%"), (3333, "33.33%"), (0, "0.00%"), (10000, "100.00%"), (1, "0.01%"), (-250, "-2.50%"),
    ("8750", "87.50%"), (None, "—"), ("", "—"),
])
def test_bp_percent(bp, shown):
    assert bp_percent(bp) == shown
    assert Template("{% load arms_web %}{{ v|bp_percent }}").render(Context({"v": bp})) == shown


def test_one_bp_percent_filter():
    defined = [str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
               if "def bp_percent" in path.read_text(encoding="utf-8")]
    assert defined == ["web/templatetags/arms_web.py"]


@pytest.mark.django_db
def test_credit_file_shows_the_share_paid_on_time_with_two_decimals(customer, today):
    # three invoices of 1,130.00, due 30 days after issue: one paid on time, one 20 days late, one still open
    # and 30 days overdue -> one of three on time, 3333 bp
    first = today - timedelta(days=121)
    early = factories.invoice(customer, issued=first)
    late = factories.invoice(customer, issued=first + timedelta(days=31))
    factories.invoice(customer, issued=today - timedelta(days=60))
    pay(customer, early, on=early.due_date - timedelta(days=11))
    pay(customer, late, on=late.due_date + timedelta(days=20))
    client = Client()
    client.force_login(factories.user("cm", role="credit_manager"))

    page = client.get(f"/credit/customers/{customer.pk}/").content.decode()

    assert "<dd>33.33%</dd>" in page
