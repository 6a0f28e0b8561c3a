"""The bank reconciliation (银行余额调节表) on a small book: the statement balance, the 1002 book balance and the items
between them, each figure exact; the page and its export show the same figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from arms.bank.selectors import bank_only_lines, bank_reconciliation, book_only_entries
from tests import factories
from tests.web import cash_book


@pytest.fixture
def book(db):
    """Opening 1,000.00; in the bank: a receipt applied (1,130.00), one not yet applied (500.00), money out (-200.00)
    and, after the day, a receipt the books took earlier (300.00); in the books: those two receipts and one keyed in
    by hand (400.00) that the bank never showed."""
    today = timezone.localdate()
    on = today - timedelta(days=1)
    cust = factories.customer("RC001", name="对账客户有限公司")
    other = factories.customer("RC002", name="另一客户有限公司")
    account = cash_book.bank_account()
    stmt = cash_book.statement(account, first=today - timedelta(days=6), last=today, opening=100_000)
    applied = factories.payment(cust, amount=113_000, received=today - timedelta(days=5))
    cash_book.line(stmt, amount=113_000, on=today - timedelta(days=5), status="manual", customer=cust,
                   payment=applied)
    waiting = cash_book.line(stmt, amount=50_000, on=today - timedelta(days=3), status="unmatched")
    out = cash_book.line(stmt, amount=-20_000, on=today - timedelta(days=2), status="ignored", ignored_kind="outgoing")
    early = factories.payment(other, amount=30_000, received=today - timedelta(days=2))
    cash_book.line(stmt, amount=30_000, on=today, status="manual", customer=other, payment=early)
    by_hand = factories.payment(cust, amount=40_000, received=today - timedelta(days=4))
    return {"account": account, "on": on, "waiting": waiting, "out": out, "early": early, "by_hand": by_hand}


def test_the_reconciliation_names_every_item_between_the_two_balances(book):
    rec = bank_reconciliation(account=book["account"], on=book["on"])

    assert rec.statement_balance_minor == 100_000 + 113_000 + 50_000 - 20_000
    assert rec.book_balance_minor == 113_000 + 30_000 + 40_000
    assert (rec.bank_only_minor, rec.bank_only_count) == (30_000, 2)
    assert (rec.book_only_minor, rec.book_only_count) == (70_000, 2)
    assert rec.adjusted_statement_minor == 313_000
    assert rec.adjusted_book_minor == 213_000
    # what is left is the opening balance, which the receivables books do not carry
    assert rec.unexplained_minor == 100_000
    assert [line.pk for line in bank_only_lines(book["account"], book["on"])] == [book["waiting"].pk, book["out"].pk]
    assert sorted(row["payment_id"] for row in book_only_entries(book["account"], book["on"])) == sorted(
        [book["early"].pk, book["by_hand"].pk])


def test_on_the_day_the_bank_shows_the_early_receipt_it_leaves_the_list(book):
    rec = bank_reconciliation(account=book["account"], on=book["on"] + timedelta(days=1))

    assert rec.statement_balance_minor == 273_000
    assert (rec.book_only_minor, rec.book_only_count) == (40_000, 1)
    assert rec.unexplained_minor == 100_000


def test_with_two_accounts_each_book_holds_its_own_receipts(book):
    today = timezone.localdate()
    second = cash_book.bank_account(name="建行一般户", number="4340610000000001", ledger_account="100202")
    stmt = cash_book.statement(second, first=today - timedelta(days=3), last=today, opening=0)
    cust = factories.customer("RC003", name="第二账户客户有限公司")
    received = factories.payment(cust, amount=77_000, received=today - timedelta(days=3))
    cash_book.line(stmt, amount=77_000, on=today - timedelta(days=3), status="manual", customer=cust,
                   payment=received)
    reversed_by_hand = factories.payment(cust, amount=5_000, received=today - timedelta(days=3))
    from arms.ledger.services import payment_reverse

    payment_reverse(actor=None, payment=reversed_by_hand, reason="录错", on=today - timedelta(days=2))

    first = bank_reconciliation(account=book["account"], on=book["on"])
    other = bank_reconciliation(account=second, on=book["on"])

    # the first account (plain 1002) keeps its figures: the second account's receipt is not in its book, and the
    # receipt keyed in and reversed nets to nothing
    assert first.book_balance_minor == 113_000 + 30_000 + 40_000
    assert (first.book_only_minor, first.book_only_count) == (70_000, 2)
    # the second (sub-account 100202) holds only the receipt traced to its own line, and balances
    assert (other.statement_balance_minor, other.book_balance_minor) == (77_000, 77_000)
    assert (other.bank_only_count, other.book_only_count, other.unexplained_minor) == (0, 0, 0)


def test_a_gap_between_statements_counts_in_the_bank_balance(book):
    later = cash_book.statement(book["account"], first=book["on"] + timedelta(days=1),
                                last=book["on"] + timedelta(days=1), opening=999, gap=5_000)
    assert later.gap_minor == 5_000

    rec = bank_reconciliation(account=book["account"], on=book["on"] + timedelta(days=1))

    assert rec.statement_balance_minor == 273_000 + 5_000


def test_the_page_and_its_export_show_the_same_figures(client, book):
    clerk = factories.user("rec-clerk", role="finance_clerk")
    client.force_login(clerk)
    query = {"account": book["account"].pk, "on": book["on"].isoformat()}

    html = client.get(reverse("cash:reconciliation"), query).content.decode()

    assert 'id="rec-statement"' in html and "2,430.00" in html
    assert "1,830.00" in html and "3,130.00" in html and "2,130.00" in html
    assert html.split('id="rec-unexplained"', 1)[1].split("</tr>", 1)[0].count("1,000.00") == 1
    assert f'data-line="{book["waiting"].pk}"' in html
    rows = client.get(reverse("cash:reconciliation"), {**query, "export": "csv"}).getvalue().decode("utf-8-sig")
    lines = rows.splitlines()
    assert lines[2].endswith(",2430.00") and lines[8].endswith(",1000.00")
    assert len(lines) == 9 + 1 + 4  # the figures, the header, two items on each side


def test_a_day_that_is_not_a_date_is_refused_beside_the_field(client, book):
    client.force_login(factories.user("rec-clerk", role="finance_clerk"))

    response = client.get(reverse("cash:reconciliation"), {"account": book["account"].pk, "on": "yesterday"})

    assert response.status_code == 400
    assert 'id="error-on"' in response.content.decode()
