"""The clerk's cash workbench (/cash/): lines by status with counts, filters and exports; the review screen with the
suggestion and its reasons in Chinese words; learned payers; unapplied cash by age; the bank reconciliation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from arms.bank.models import PayerAlias
from tests import factories
from tests.web import cash_book


@pytest.fixture
def clerk(db):
    return factories.user("cash-clerk", role="finance_clerk")


@pytest.fixture
def day(db):
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def lines(day):
    """Four lines on one account: a suggestion, an unmatched receipt, a fee set aside, money out."""
    cust = factories.customer("HD001", name="华东精密机械有限公司")
    invoice = factories.invoice(cust, number="INV-HD-1", net=100_000, tax=13_000, issued=day - timedelta(days=40))
    account = cash_book.bank_account()
    stmt = cash_book.statement(account, first=day - timedelta(days=5), last=day)
    suggested = cash_book.line(
        stmt, amount=113_000, on=day - timedelta(days=2), payer="华东精密机械有限公司", text="INV-HD-1 货款",
        status="suggested", customer=cust, confidence=75, match={"allocations": [[invoice.pk, 113_000]]},
        reasons=[{"code": "name", "points": 50, "detail": ""}, {"code": "items_part", "points": 25, "detail": ""}])
    unmatched = cash_book.line(stmt, amount=50_000, on=day - timedelta(days=1), payer="某某贸易有限公司",
                               status="unmatched")
    fee = cash_book.line(stmt, amount=1_500, on=day - timedelta(days=3), text="结息", status="ignored",
                         ignored_kind="interest")
    out = cash_book.line(stmt, amount=-20_000, on=day, text="付货款", status="ignored", ignored_kind="outgoing")
    return {"customer": cust, "invoice": invoice, "account": account, "suggested": suggested,
            "unmatched": unmatched, "fee": fee, "out": out}


def test_the_lines_come_by_status_with_counts_and_filter_by_amount(client, clerk, lines):
    client.force_login(clerk)

    html = client.get(reverse("cash:lines")).content.decode()

    assert 'data-status="suggested"' in html
    assert html.count('data-line="') == 4
    tabs = {s: html.split(f'data-status="{s}"', 1)[1].split("</a>", 1)[0] for s in ("", "suggested", "ignored")}
    assert '<span class="count">4</span>' in tabs[""]
    assert '<span class="count">1</span>' in tabs["suggested"]
    assert '<span class="count">2</span>' in tabs["ignored"]

    html = client.get(reverse("cash:lines"), {"status": "ignored"}).content.decode()
    assert html.count('data-line="') == 2

    html = client.get(reverse("cash:lines"), {"amount_min": "500", "amount_max": "1,130.00"}).content.decode()
    assert f'data-line="{lines["suggested"].pk}"' in html and f'data-line="{lines["unmatched"].pk}"' in html
    assert f'data-line="{lines["fee"].pk}"' not in html


def test_a_bad_amount_filter_is_shown_beside_its_field_and_filters_nothing(client, clerk, lines):
    client.force_login(clerk)

    with translation.override("en"):
        html = client.get(reverse("cash:lines"), {"amount_min": "abc"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'id="error-amount_min"' in html
    assert html.count('data-line="') == 4


def test_the_lines_export_follows_the_tab(client, clerk, lines):
    client.force_login(clerk)

    response = client.get(reverse("cash:lines"), {"status": "ignored", "export": "csv"})

    body = response.getvalue().decode("utf-8-sig").splitlines()
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(body) == 3  # the header and the two lines set aside


def test_the_review_screen_shows_the_line_the_suggestion_and_its_reasons_in_chinese(client, clerk, lines):
    client.force_login(clerk)

    html = client.get(reverse("cash:review", args=[lines["suggested"].pk])).content.decode()

    assert "华东精密机械有限公司" in html and "INV-HD-1" in html
    assert 'id="confidence">75<' in html
    # the reasons as sentences (translated by the catalogue), with their points; never the raw codes
    reasons = html.split('id="reasons">', 1)[1].split("</ul>", 1)[0]
    assert "name is the customer" in reasons and "+50" in reasons and "+25" in reasons
    assert "items_part" not in html
    assert 'id="accept-button"' in html and 'id="edit-button"' in html and 'id="ignore-button"' in html
    # j/k: the older open line follows, the newer one precedes (newest first, like the list)
    assert 'id="prev-line"' in html and reverse("cash:review", args=[lines["unmatched"].pk]) in html


def test_the_review_panel_alone_comes_to_htmx(client, clerk, lines):
    client.force_login(clerk)

    html = client.get(reverse("cash:review", args=[lines["unmatched"].pk]), HTTP_HX_REQUEST="true").content.decode()

    assert html.lstrip().startswith('<section id="review"')
    assert "<html" not in html


def test_customer_search_offers_customers_and_a_share_shows_their_open_items(client, clerk, lines):
    client.force_login(clerk)
    line = lines["unmatched"]

    html = client.get(reverse("cash:customer_search", args=[line.pk]), {"q": "华东", "share": 1}).content.decode()
    assert "HD001" in html and "share=1&amp;customer=" in html

    html = client.get(reverse("cash:share", args=[line.pk]),
                      {"share": 1, "customer": lines["customer"].pk}).content.decode()
    assert 'name="share-1-customer"' in html and "INV-HD-1" in html
    assert f'name="share-1-amount-{lines["invoice"].pk}"' in html

    assert client.get(reverse("cash:share", args=[line.pk]), {"share": 99}).status_code == 404


def test_a_collector_may_look_but_not_decide(client, lines):
    collector = factories.user("cash-collector", role="collector")
    client.force_login(collector)

    html = client.get(reverse("cash:review", args=[lines["suggested"].pk])).content.decode()

    assert 'id="accept-button"' not in html
    assert client.post(reverse("cash:accept", args=[lines["suggested"].pk])).status_code == 403
    assert client.get(reverse("cash:customer_search", args=[lines["suggested"].pk])).status_code == 403


def test_learned_payers_are_listed_per_customer(client, clerk, lines):
    alias = PayerAlias.objects.create(company=lines["customer"].company, customer=lines["customer"], kind="account",
                                      value="6228480012345678", key="6228480012345678",
                                      learned_from=lines["suggested"], created_by=clerk)
    client.force_login(clerk)

    html = client.get(reverse("cash:aliases"), {"q": "华东"}).content.decode()

    assert f'data-alias="{alias.pk}"' in html and "6228480012345678" in html
    assert reverse("cash:alias_remove", args=[alias.pk]) in html


def test_unapplied_cash_shows_its_age_in_buckets(client, clerk, day):
    cust = factories.customer("UA001", name="预收客户有限公司")
    recent = factories.payment(cust, amount=10_000, received=day - timedelta(days=10))
    old = factories.payment(cust, amount=20_000, received=day - timedelta(days=100))
    client.force_login(clerk)

    html = client.get(reverse("cash:unapplied")).content.decode()

    assert f'data-payment="{recent.pk}"' in html and f'data-payment="{old.pk}"' in html
    bucket_row = html.split('data-currency="CNY"', 1)[1].split("</tr>", 1)[0]
    assert [cell.split("<", 1)[0] for cell in bucket_row.split('class="num">')[1:]] == [
        "100.00", "0.00", "0.00", "200.00", "0.00"]
    html = client.get(reverse("cash:unapplied"), {"bucket": "91-180"}).content.decode()
    assert f'data-payment="{old.pk}"' in html and f'data-payment="{recent.pk}"' not in html
    rows = client.get(reverse("cash:unapplied"), {"export": "csv"}).getvalue().decode("utf-8-sig").splitlines()
    assert len(rows) == 3 and rows[1].split(",")[4] == "100"
