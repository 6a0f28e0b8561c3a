"""Oldest-first allocation planning (核销顺序)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.allocation import AllocationLine, OpenItem, plan_oldest_first

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
