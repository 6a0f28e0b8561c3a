"""Allocation planning (核销顺序): an exact amount first, else oldest first."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.allocation import AllocationLine, OpenItem, plan_exact_or_oldest_first, plan_oldest_first

D = date(2026, 1, 1)


def test_oldest_due_first_then_issue_date_then_id():
    items = [
        OpenItem(3, due_date=D + timedelta(30), issue_date=D, amount_open=500),
        OpenItem(2, due_date=D + timedelta(10), issue_date=D + timedelta(5), amount_open=300),
        OpenItem(1, due_date=D + timedelta(10), issue_date=D + timedelta(5), amount_open=200),
        OpenItem(4, due_date=D + timedelta(10), issue_date=D, amount_open=100),
    ]
    assert plan_oldest_first(650, items) == [
        AllocationLine(4, 100), AllocationLine(1, 200), AllocationLine(2, 300), AllocationLine(3, 50),
    ]


def test_nothing_available_plans_nothing_and_negative_is_refused():
    items = [OpenItem(1, D, D, 100)]
    assert plan_oldest_first(0, items) == []
    with pytest.raises(ValueError):
        plan_oldest_first(-1, items)


def test_settled_items_are_skipped():
    items = [OpenItem(1, D, D, 0), OpenItem(2, D + timedelta(1), D, 100)]
    assert plan_oldest_first(1000, items) == [AllocationLine(2, 100)]


items_strategy = st.lists(
    st.builds(
        OpenItem,
        id=st.integers(min_value=1, max_value=10**6),
        due_date=st.dates(min_value=D, max_value=D + timedelta(400)),
        issue_date=st.dates(min_value=D - timedelta(100), max_value=D),
        amount_open=st.integers(min_value=0, max_value=10**9),
    ),
    max_size=25,
    unique_by=lambda item: item.id,
)


@given(available=st.integers(min_value=0, max_value=5 * 10**9), items=items_strategy)
def test_a_plan_never_exceeds_what_is_available_nor_any_item(available, items):
    plan = plan_oldest_first(available, items)
    by_id = {item.id: item for item in items}
    assert sum(line.amount for line in plan) == min(available, sum(item.amount_open for item in items))
    assert len({line.item_id for line in plan}) == len(plan)
    for line in plan:
        assert 0 < line.amount <= by_id[line.item_id].amount_open


@given(available=st.integers(min_value=0, max_value=5 * 10**9), items=items_strategy)
def test_a_plan_settles_older_items_in_full_before_touching_newer_ones(available, items):
    plan = plan_oldest_first(available, items)
    order = sorted((i for i in items if i.amount_open > 0), key=lambda i: (i.due_date, i.issue_date, i.id))
    assert [line.item_id for line in plan] == [item.id for item in order[: len(plan)]]
    for line, item in zip(plan[:-1], order, strict=False):
        assert line.amount == item.amount_open


def test_an_item_open_for_exactly_the_amount_wins_over_oldest_first():
    older = OpenItem(1, due_date=D, issue_date=D, amount_open=1_000_000)
    exact = OpenItem(2, due_date=D + timedelta(30), issue_date=D + timedelta(30), amount_open=3_000_000)
    assert plan_exact_or_oldest_first(3_000_000, [older, exact]) == [AllocationLine(2, 3_000_000)]
    assert plan_oldest_first(3_000_000, [older, exact]) == [AllocationLine(1, 1_000_000), AllocationLine(2, 2_000_000)]


def test_of_several_exact_items_the_oldest_is_taken_and_without_one_it_is_oldest_first():
    items = [
        OpenItem(7, due_date=D + timedelta(20), issue_date=D, amount_open=500),
        OpenItem(5, due_date=D + timedelta(10), issue_date=D, amount_open=500),
        OpenItem(3, due_date=D, issue_date=D, amount_open=100),
    ]
    assert plan_exact_or_oldest_first(500, items) == [AllocationLine(5, 500)]
    assert plan_exact_or_oldest_first(550, items) == plan_oldest_first(550, items)
    assert plan_exact_or_oldest_first(0, items) == []


@given(available=st.integers(min_value=0, max_value=5 * 10**9), items=items_strategy)
def test_an_exact_plan_is_one_item_or_the_oldest_first_plan(available, items):
    plan = plan_exact_or_oldest_first(available, items)
    if available and any(item.amount_open == available for item in items):
        assert len(plan) == 1 and plan[0].amount == available
        assert {i.id: i for i in items}[plan[0].item_id].amount_open == available
    else:
        assert plan == plan_oldest_first(available, items)
