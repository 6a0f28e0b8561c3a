"""The SVG chart module, tested by parsing what it draws: bar heights proportional to values, labels present."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.web import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def test_stacked_bars_are_proportional_to_their_values_and_stack_on_each_other():
    chart = charts.stacked_bars(
        title="账龄", chart_id="aging", categories=["2026-09", "2026-10"],
        series=[charts.Series("未到期", [300, 100]), charts.Series("1-30 天", [100, 0])],
    )
    root = parse(chart)
    rects = root.findall(".//svg:g[@class='bar']/svg:rect", NS)
    values = [(int(r.get("data-value")), Decimal(r.get("height")), Decimal(r.get("y"))) for r in rects]
    # 300 and 100 in the first bar, 100 and 0 in the second; the axis tops at 500
    assert [v for v, _h, _y in values] == [300, 100, 100, 0]
    per_unit = values[0][1] / 300
    for value, height, _y in values:
        assert abs(height - per_unit * value) <= Decimal("0.01")
    # the second series sits on top of the first: its bottom is the first one's top
    first, second = values[0], values[1]
    assert second[2] + second[1] == first[2]


def test_a_chart_is_labelled_for_screen_readers_and_every_bar_has_a_title():
    chart = charts.stacked_bars(title="账龄 <月末>", desc="按逾期天数", chart_id="c1", categories=["A"],
                                series=[charts.Series("S", [5])], value_format=lambda v: f"¥{v}")
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find("svg:title", NS).text == "账龄 <月末>"
    assert root.find("svg:desc", NS).text == "按逾期天数"
    assert root.find(".//svg:rect[@data-series='S']/svg:title", NS).text == "A · S: ¥5"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "A" in texts and "S" in texts  # the category under its bar, the series in the legend


def test_the_table_fallback_holds_the_same_numbers():
    chart = charts.stacked_bars(title="t", categories=["A", "B"], series=[
        charts.Series("x", [1, 2]), charts.Series("y", [3, 4])])
    assert chart.table.headers == ["", "x", "y", "Σ"]
    assert chart.table.rows == [["A", "1", "3", "4"], ["B", "2", "4", "6"]]


def test_horizontal_bars_widths_are_proportional_and_the_largest_fills_the_plot():
    chart = charts.horizontal_bars(title="逾期最多的客户", labels=["甲公司", "乙公司", "丙公司"], values=[400, 100, 0],
                                   width=640, label_width=200)
    rects = parse(chart).findall(".//svg:rect", NS)
    widths = [Decimal(r.get("width")) for r in rects]
    assert widths[0] == 640 - 200 - 110
    assert widths[1] == widths[0] / 4
    assert widths[2] == 0
    labels = [t.text for t in parse(chart).iter("{http://www.w3.org/2000/svg}text")]
    assert "甲公司" in labels and "400" in labels


def test_a_line_chart_puts_points_by_value_and_breaks_at_a_gap():
    chart = charts.line_chart(title="DSO", chart_id="dso", labels=["7月", "8月", "9月", "10月"],
                              series=[charts.Series("DSO", [Decimal("40"), Decimal("50"), None, Decimal("20")])],
                              height=260)
    root = parse(chart)
    points = root.findall(".//svg:circle", NS)
    assert [p.get("data-value") for p in points] == ["40", "50", "20"]
    base = 260 - 58  # the x axis
    ys = [Decimal(p.get("cy")) for p in points]
    # heights above the axis are proportional to the values (axis from 0)
    assert (base - ys[0]) / (base - ys[1]) == Decimal("0.8")
    assert (base - ys[2]) * 2 == base - ys[0]
    # the missing September leaves two pieces; the lone October point draws no line
    assert len(root.findall(".//svg:polyline", NS)) == 1
    assert chart.table.rows[2] == ["9月", "—"]


def test_a_line_chart_shades_a_band_between_its_low_and_high_series():
    chart = charts.line_chart(title="回款预测", chart_id="fc", labels=["W1", "W2", "W3"],
                              series=[charts.Series("预计", [50, 100, 75])],
                              band=(charts.Series("低", [40, 80, 50]), charts.Series("高", [60, 100, 100])),
                              height=260)
    root = parse(chart)
    polygon = root.find(".//svg:polygon[@class='band']", NS)
    corners = [tuple(Decimal(c) for c in point.split(",")) for point in polygon.get("points").split()]
    base = 260 - 58
    top = base - corners[2][1]  # the high of W3 (100) is the top of the axis
    # high left to right, then low right to left, at heights proportional to the values
    assert [round((base - y) * 100 / top) for _x, y in corners] == [60, 100, 100, 50, 80, 40]
    assert corners[0][0] == corners[5][0] and corners[2][0] == corners[3][0]
    assert chart.table.headers == ["", "预计", "低", "高"] and chart.table.rows[0] == ["W1", "50", "40", "60"]


def test_the_gauge_fills_the_share_of_its_arc_and_stops_at_full():
    half = parse(charts.gauge(title="回款", value=50, target=200)).find(".//svg:path[@class='gauge-value']", NS)
    filled, length = (Decimal(x) for x in half.get("stroke-dasharray").split())
    assert filled == (length / 4).quantize(Decimal("0.01"))
    assert half.get("data-share") == "25"
    over = parse(charts.gauge(title="回款", value=300, target=200)).find(".//svg:path[@class='gauge-value']", NS)
    filled, length = (Decimal(x) for x in over.get("stroke-dasharray").split())
    assert filled == length and over.get("data-share") == "150"
    no_target = charts.gauge(title="回款", value=300, target=0)
    assert "—" in no_target.svg and no_target.table.rows == [["300", "—", "—"]]


def test_text_is_escaped():
    chart = charts.horizontal_bars(title='A & "B"', labels=["<script>"], values=[1])
    assert "<script>" not in chart.svg
    parse(chart)


@pytest.mark.parametrize(("largest", "top"), [(0, 1), (7, 10), (10, 10), (11, 20), (123, 200), (2100, 2500),
                                               (499_999, 500_000), (Decimal("0.3"), Decimal("0.5"))])
def test_the_value_axis_tops_at_a_round_number(largest, top):
    assert charts.nice_top(largest) == top


@given(st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=12))
def test_no_bar_ever_leaves_the_plot(values):
    chart = charts.stacked_bars(title="t", categories=[str(i) for i in range(len(values))],
                                series=[charts.Series("s", values)], height=300)
    for rect in parse(chart).findall(".//svg:rect[@data-series]", NS):
        assert Decimal(rect.get("y")) >= 14 - Decimal("0.01")
        assert Decimal(rect.get("height")) >= 0
