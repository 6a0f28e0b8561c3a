"""The scorecard's inputs, bands and a rating's facts as people read them: no true/false, no industry codes."""

from django.utils import translation

from arms.credit.labels import band_label, fact_rows, value_label


def test_flags_and_industries_are_words_numbers_and_bureau_ratings_stay():
    with translation.override("zh-hans"):
        assert value_label("operating_cash_flow_positive", "true") == "是"
        assert value_label("business_abnormal", False) == "否"
        assert value_label("industry", "manufacturing") == "制造业"
        assert value_label("bureau_rating", "AA") == "AA"
        assert value_label("debt_ratio", "0.6000") == "0.6000"
        assert band_label("industry", "public, healthcare, energy") == "政府及事业单位, 医疗卫生, 能源"
        assert band_label("business_abnormal", "false") == "否"
        assert band_label("debt_ratio", "0.40 – 0.60") == "0.40 – 0.60"
        assert band_label("lawsuits_count", "any") == "任意值"


def test_a_ratings_facts_are_labelled_with_amounts_in_yuan():
    facts = {"external": {"bureau_rating": "AA", "dishonest_debtor": False},
             "financial_statement": {"fiscal_year": 2025, "revenue_minor": 60_000_000_00},
             "trade_history": {"customer_id": 7, "on_time_share_bp": 8750, "extra": {"dispute_count": 1}}}

    with translation.override("en"):
        rows = fact_rows(facts)

    assert rows == [
        ("External facts", [("Credit bureau rating", "AA"), ("Dishonest judgment debtor (失信被执行人)", "no")]),
        ("Financial statement", [("Fiscal year", "2025"), ("Revenue", "60,000,000.00 CNY")]),
        ("Trade history in ARMS", [("Share paid on time", "87.50%")]),
    ]
