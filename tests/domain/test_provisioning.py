"""The allowance rules (arms.domain.provisioning), with hand-computed figures."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain import provisioning as p

SEED = p.matrix_check(p.SEED_BANDS)


def test_the_shipped_matrices_are_valid_and_band_days_past_due():
    assert [b.rate_bp for b in SEED.bands] == [100, 500, 3000, 10000]
    assert [SEED.band_index(age) for age in (-40, 0, 30, 31, 180, 181, 365, 366, 5000)] == [0, 0, 0, 1, 1, 2, 2, 3, 3]
    aging = p.matrix_check(p.AGING_METHOD_BANDS)
    assert [b.rate_bp for b in aging.bands] == [500, 1000, 3000, 5000, 8000, 10000]
    assert p.matrix_check(**p.matrix_as_data(aging)) == aging  # type: ignore[arg-type]


def _bands(*rows):
    return [{"label": f"b{i}", "low": low, "high": high, "rate_bp": rate} for i, (low, high, rate) in enumerate(rows)]


@pytest.mark.parametrize(("bands", "code", "field"), [
    ([], p.MatrixError.EMPTY, "bands"),
    (_bands((0, 30, 100), (31, None, 10001)), p.MatrixError.RATE, "bands[1].rate_bp"),
    (_bands((0, 30, -1), (31, None, 100)), p.MatrixError.RATE, "bands[0].rate_bp"),
    (_bands((1, 30, 100), (31, None, 100)), p.MatrixError.FIRST_START, "bands[0].low"),
    (_bands((0, 30, 100), (40, None, 100)), p.MatrixError.GAP, "bands[1].low"),
    (_bands((0, 30, 100), (20, None, 100)), p.MatrixError.OVERLAP, "bands[1].low"),
    (_bands((0, None, 100), (31, None, 100)), p.MatrixError.OPEN_NOT_LAST, "bands[0].high"),
    (_bands((0, 30, 100), (31, 60, 100)), p.MatrixError.LAST_CLOSED, "bands[1].high"),
    (_bands((0, 30, 100), (31, 20, 100), (21, None, 0)), p.MatrixError.END_BEFORE_START, "bands[1].high"),
    ([{"label": " ", "low": 0, "high": None, "rate_bp": 0}], p.MatrixError.NO_LABEL, "bands[0].label"),
])
def test_a_bad_matrix_is_refused_naming_the_band_and_field(bands, code, field):
    with pytest.raises(p.MatrixError) as caught:
        p.matrix_check(bands)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_group_rates_need_one_valid_rate_per_band():
    with pytest.raises(p.MatrixError) as caught:
        p.matrix_check(p.SEED_BANDS, {"construction": [100, 500]})
    assert caught.value.field == "group_rates.construction"
    with pytest.raises(p.MatrixError) as caught:
        p.matrix_check(p.SEED_BANDS, {"construction": [100, 500, 3000, 20000]})
    assert caught.value.field == "group_rates.construction[3]"
    matrix = p.matrix_check(p.SEED_BANDS, {"construction": [200, 1000, 5000, 10000]})
    assert matrix.rates_for("construction") == (200, 1000, 5000, 10000)
    assert matrix.rates_for("retail") == (100, 500, 3000, 10000)


def test_required_by_the_matrix_rounds_each_band_half_up():
    # 1,000.50 at 1% = 10.005 -> 10.01; 333.33 at 5% = 16.6665 -> 16.67; 99.99 at 30% = 29.997 -> 30.00
    result = p.required_allowance([100_050, 33_333, 9_999, 5_000], matrix=SEED)
    assert result.basis == p.Basis.MATRIX
    assert result.required_by_band == (1_001, 1_667, 3_000, 5_000)
    assert result.required == 10_668


def test_an_individual_rate_takes_precedence_and_is_split_by_largest_remainder():
    # 100.00 + 200.00 + 0 + 0.01 open = 300.01 at 50% = 150.005 -> 150.01, split 10000:20000:0:1 gives
    # 5000.17, 10000.33, 0, 0.50: floors 5000, 10000, 0, 0 and the fen left goes to the largest remainder (0.50)
    result = p.required_allowance([10_000, 20_000, 0, 1], matrix=SEED, assessment=p.Assessment(rate_bp=5_000))
    assert result.basis == p.Basis.INDIVIDUAL_RATE
    assert result.required == 15_001
    assert result.required_by_band == (5_000, 10_000, 0, 1)


def test_an_individual_amount_never_exceeds_what_is_open():
    result = p.required_allowance([10_000, 0, 0, 20_000], matrix=SEED, assessment=p.Assessment(amount=10_000))
    assert result.required_by_band == (3_333, 0, 0, 6_667)
    capped = p.required_allowance([10_000, 0, 0, 0], matrix=SEED, assessment=p.Assessment(amount=99_999))
    assert capped.required == 10_000
    nothing = p.required_allowance([0, 0, 0, 0], matrix=SEED, assessment=p.Assessment(amount=5_000))
    assert nothing.required == 0


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=4, max_size=4),
       st.integers(min_value=0, max_value=10_000))
def test_an_individual_rate_adds_up_to_the_rate_of_the_whole(opens, rate):
    result = p.required_allowance(opens, matrix=SEED, assessment=p.Assessment(rate_bp=rate))
    assert result.required == p.rate_part(sum(opens), rate)
    assert all(0 <= part <= amount for part, amount in zip(result.required_by_band, opens, strict=True))


def test_the_true_up_is_required_less_booked():
    assert p.true_up(required=12_000, booked=10_000) == 2_000
    assert p.true_up(required=4_000, booked=10_000) == -6_000


def test_roll_rates_chain_into_loss_rates():
    # three buckets (current, 1 month, lost); two month-to-month steps
    snapshots = [[100_000, 0, 0], [80_000, 40_000, 0], [50_000, 20_000, 10_000]]
    rates = p.roll_rates(snapshots)
    # current -> 1 month: (40,000 + 20,000) / (100,000 + 80,000) = 1/3; 1 month -> lost: (0 + 10,000) / 40,000
    assert rates.roll_bp == (3_333, 2_500)
    # loss: current 1/3 × 1/4 = 1/12 = 8.33%; 1 month 25%; lost 100%
    assert rates.loss_bp == (833, 2_500, 10_000)
    assert rates.periods == 2
    matrix = p.matrix_check(_bands((0, 30, 0), (31, None, 0)))
    # band 0 (0-30 days) holds buckets 0 and 1 (which start on days 0 and 1), weighted by what they held over the
    # snapshots (230,000 and 60,000): (833 × 230,000 + 2,500 × 60,000) / 290,000 = 1,177.9; band 1 holds bucket 2
    assert p.band_loss_rates(matrix, rates) == [1_178, 10_000]


def test_a_bucket_that_never_held_anything_rolls_whole():
    rates = p.roll_rates([[0, 0, 0], [0, 0, 0]])
    assert rates.roll_bp == (None, None)
    assert rates.loss_bp == (10_000, 10_000, 10_000)


def test_monthly_buckets_of_ages():
    assert [p.roll_bucket(a) for a in (-5, 0, 1, 30, 31, 360, 361, 9999)] == [0, 0, 1, 1, 2, 12, 13, 13]
    assert p.snapshot_from_ages([(-3, 5), (10, 7), (45, 1)], buckets=4) == [5, 7, 1, 0]
