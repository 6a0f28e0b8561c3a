"""The crossing rule of early warning: larger is worse, one warning per crossing, typed thresholds."""

import pytest

from arms.domain.earlywarning import (
    METRICS,
    Reading,
    ThresholdError,
    WindowError,
    crossed,
    drop_bp,
    format_value,
    rise,
    share_bp,
    threshold_error,
    transitions,
    window_error,
)


def test_a_reading_crosses_at_the_threshold_and_no_value_never_crosses():
    assert crossed(90, 90) and crossed(91, 90)
    assert not crossed(89, 90) and not crossed(None, 1)


def test_transitions_raise_new_crossings_close_recovered_ones_and_keep_the_rest():
    readings = [Reading("customer:1", 1, 100), Reading("customer:2", 2, 50), Reading("customer:3", 3, 95),
                Reading("scope", None, None)]
    change = transitions(readings, threshold=90, open_subjects=["customer:3", "customer:4", "scope"])
    assert [r.subject for r in change.raise_] == ["customer:1"]
    assert change.close == ["customer:4", "scope"]
    assert [r.subject for r in change.keep] == ["customer:3"]
    again = transitions(readings, threshold=90, open_subjects=["customer:1", "customer:3"])
    assert again.raise_ == [] and again.close == []


@pytest.mark.parametrize(("metric", "value", "error"), [
    ("oldest_overdue_days", 90, None),
    ("oldest_overdue_days", 90.0, ThresholdError.NOT_WHOLE),
    ("oldest_overdue_days", "90", ThresholdError.NOT_WHOLE),
    ("oldest_overdue_days", True, ThresholdError.NOT_WHOLE),
    ("oldest_overdue_days", 0, ThresholdError.TOO_SMALL),
    ("overdue_ratio", 10_000, None),
    ("overdue_ratio", 10_001, ThresholdError.TOO_LARGE),
    ("credit_utilisation", 15_000, None),  # over the limit is a utilisation above 100%
    ("external_facts", 4, ThresholdError.TOO_LARGE),
])
def test_a_threshold_is_a_whole_number_of_the_metric_unit_in_range(metric, value, error):
    assert threshold_error(metric, value) == error


def test_a_window_only_where_the_metric_has_one():
    assert window_error("overdue_ratio", None) is None
    assert window_error("overdue_ratio", 3) == WindowError.NOT_USED
    assert window_error("dso_rise", 3) is None
    assert window_error("dso_rise", 25) == WindowError.OUT_OF_RANGE
    assert window_error("dso_rise", None) == WindowError.NOT_WHOLE
    assert all(spec.default_window is None or window_error(code, spec.default_window) is None
               for code, spec in METRICS.items())
    assert all(threshold_error(code, spec.default_threshold) is None for code, spec in METRICS.items())


def test_shares_rises_drops_and_how_values_are_written():
    assert share_bp(1, 3) == 3333 and share_bp(2, 3) == 6667 and share_bp(1, 0) is None
    assert rise(25, 5) == 20 and rise(None, 5) is None
    assert drop_bp(45_000, 90_000) == 5000 and drop_bp(100, 90) == 0 and drop_bp(5, 0) is None
    assert format_value("bp", 1250) == "12.50%"
    assert format_value("money", 123456) == "1,234.56 CNY"
    assert format_value("days", 45) == "45" and format_value("count", None) == "—"
