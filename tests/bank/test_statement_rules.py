"""The rules of a statement, in plain Python: balances that must add up, and the identity of a line."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from arms.domain.bankstatement import (
    BalanceProblem,
    Statement,
    StatementLine,
    balance_problems,
    continuity_gap,
    line_keys,
)

DAY = date(2026, 3, 2)


def _line(amount, balance=None, day=DAY, ref=""):
    return StatementLine(booking_date=day, amount=amount, currency="CNY", balance_after=balance, bank_reference=ref)


def _statement(lines, opening=None, closing=None):
    return Statement(format="test", account="A", currency="CNY", lines=tuple(lines), opening_balance=opening,
                     closing_balance=closing)  # fmt: skip


def test_opening_plus_lines_must_be_closing():
    assert balance_problems(_statement([_line(500), _line(-200)], opening=1000, closing=1300)) == []
    assert balance_problems(_statement([_line(500), _line(-200)], opening=1000, closing=1299)) == [
        BalanceProblem("open_close", 1300, 1299)
    ]


def test_each_running_balance_follows_the_one_before():
    lines = [_line(500, 1500), _line(-200, 1300), _line(100, 1500)]
    assert balance_problems(_statement(lines, opening=1000)) == [BalanceProblem("running", 1400, 1500, 3)]


def test_unknown_balances_are_not_guessed():
    assert balance_problems(_statement([_line(500), _line(-200, 7)])) == []


def test_a_gap_between_statements_is_reported_with_its_size():
    assert continuity_gap(1300, 1300) is None
    assert continuity_gap(None, 1300) is None
    assert continuity_gap(1300, 1250) == -50


def test_identical_lines_on_one_day_are_told_apart_by_their_sequence():
    keys = line_keys("A", [_line(100), _line(100), _line(100, ref="R1")])
    assert keys == [("A", "", DAY, 100, 1), ("A", "", DAY, 100, 2), ("A", "R1", DAY, 100, 1)]


days = st.lists(
    st.lists(st.tuples(st.sampled_from(["", "R1", "R2"]), st.integers(-3, 3).filter(bool)), min_size=1, max_size=4),
    min_size=2, max_size=6,
)  # fmt: skip


@given(days, st.data())
def test_an_overlapping_statement_repeats_the_keys_of_the_days_it_repeats(per_day, data):
    """Statement 1 covers days 0..k, statement 2 days j..n (j <= k): the lines of the shared days get the same keys,
    so importing statement 2 after statement 1 adds exactly the lines of the days after k."""
    lines = [
        _line(amount, day=DAY + timedelta(days=d), ref=ref) for d, day_lines in enumerate(per_day)
        for ref, amount in day_lines
    ]  # fmt: skip
    last = len(per_day) - 1
    k = data.draw(st.integers(0, last))
    j = data.draw(st.integers(0, k))
    first = [ln for ln in lines if (ln.booking_date - DAY).days <= k]
    second = [ln for ln in lines if (ln.booking_date - DAY).days >= j]

    known = set(line_keys("A", first))
    new = [key for key in line_keys("A", second) if key not in known]

    assert len(new) == sum(1 for ln in lines if (ln.booking_date - DAY).days > k)
    assert len(set(line_keys("A", lines))) == len(lines)  # every line of one statement has its own key
