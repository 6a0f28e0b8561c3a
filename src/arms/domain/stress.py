"""Stress tests (压力测试) of the receivables, and the cost of carrying overdue items. Plain Python, no Django.

**A scenario** combines any of these shocks (at least one):

- *slip*: a share (basis points, 0..10000) of the open items is paid ``slip_days`` (30, 60 or 90) later than
  predicted. Which items slip is a stable rule of the invoice id: item ``i`` slips when
  ``(i × 7919) mod 10000 < share``. 7919 is prime to 10000, so of any 10000 consecutive ids exactly ``share``
  slip, and the same items slip each time a scenario is run.
- *largest N customers default*: the N customers (1..``MAX_TOP_N``) with the largest open CNY balance on the day
  pay nothing more.
- *a grade defaults*: every customer of a credit grade (A/B/C/D) pays nothing more.
- *a grade migrates down*: every customer of grade X is treated as X+1 (A→B, B→C, C→D): its items are paid later
  by the difference of the two grades' typical days late (``GRADE_DAYS_LATE``: A 0, B 15, C 45, D 90 days; so
  A→B slips 15 days, B→C 30, C→D 45), and, because the allowance reads the age of an item, the slipped items sit
  in the older bands of the provision matrix — the worse bucket's rate, read from the matrix itself. A customer
  that migrates slips whole; the share slip applies to the others.
- *an exchange-rate shock*: items in one foreign currency are worth ``fx_move_bp`` more (or, negative, less) in
  CNY (−9000..+10000 bp).

A defaulted customer's items drop out of cash-in; for the ratios its whole open balance is overdue (acceleration,
加速到期) and written off as bad debt; for the allowance it is provided for at 100%.

**Cash position.** Week by week: opening balance + cash-in of the week − the configured weekly outflows,
carried forward; the minimum and the first week it is reached.

**Cost of overdue (逾期资金占用成本).** The financing cost of what a customer has overdue on a day:
``Σ(amount × days overdue) × annual rate (bp) / (10000 × 365)`` over its overdue items (CNY fen), rounded half up
(ties away from zero) once per customer; a team's cost is the sum of its customers' (so the tables add up).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from arms.domain.money import divide_half_up

FULL_BP = 10_000
SLIP_DAYS = (30, 60, 90)
MAX_TOP_N = 50
GRADES = ("A", "B", "C", "D")
#: typical days late of a customer of each grade: what a migration down by one grade adds to a payment date
GRADE_DAYS_LATE: Mapping[str, int] = {"A": 0, "B": 15, "C": 45, "D": 90}
MIN_FX_MOVE_BP, MAX_FX_MOVE_BP = -9_000, 10_000
#: a stable spread of invoice ids over 0..9999 (prime to 10000)
SLIP_MULTIPLIER = 7919
MAX_RATE_BP = 10_000  # an annual financing rate of at most 100%
DAYS_IN_YEAR = 365
#: the parameters of a shock, in the order a refusal names the first one given
SHOCK_FIELDS = ("default_top_n", "slip_share_bp", "default_grade", "migrate_grade", "fx_move_bp")


class ScenarioError(ValueError):
    """Parameters that cannot be used: ``code``, ``field`` and ``params``."""

    NOTHING = "nothing"
    SHARE = "share"  # params: value
    SLIP_DAYS = "slip_days"  # params: allowed
    TOP_N = "top_n"  # params: most
    GRADE = "grade"  # params: value
    MIGRATE_GRADE = "migrate_grade"  # params: value
    CURRENCY = "currency"  # params: value
    FX_MOVE = "fx_move"  # params: low, high
    WHOLE = "whole"

    _ENGLISH = {
        NOTHING: "a scenario needs at least one shock",
        SHARE: "a share is between 0 and 10000 basis points (0%..100%), not {value}",
        SLIP_DAYS: "items slip by one of {allowed} days",
        TOP_N: "the number of largest customers is between 1 and {most}",
        GRADE: "a grade is one of A, B, C, D, not {value}",
        MIGRATE_GRADE: "a grade migrating down is one of A, B, C, not {value}",
        CURRENCY: "a foreign currency is three capital letters other than CNY, not {value}",
        FX_MOVE: "an exchange-rate move is between {low} and {high} basis points",
        WHOLE: "a whole number",
    }

    def __init__(self, code: str, *, field: str, **params: object) -> None:
        self.code, self.field, self.params = code, field, params
        super().__init__(f"{field}: " + self._ENGLISH[code].format(**params))


@dataclass(frozen=True, slots=True)
class Scenario:
    slip_share_bp: int = 0
    slip_days: int = 0
    default_top_n: int = 0
    default_grade: str = ""
    migrate_grade: str = ""
    fx_currency: str = ""
    fx_move_bp: int = 0

    @property
    def migrate_days(self) -> int:
        """How much later a customer of the migrating grade pays: the gap to the next grade's typical lateness."""
        if not self.migrate_grade:
            return 0
        worse = GRADES[GRADES.index(self.migrate_grade) + 1]
        return GRADE_DAYS_LATE[worse] - GRADE_DAYS_LATE[self.migrate_grade]

    def as_data(self) -> dict[str, object]:
        return {"slip_share_bp": self.slip_share_bp, "slip_days": self.slip_days,
                "default_top_n": self.default_top_n, "default_grade": self.default_grade,
                "migrate_grade": self.migrate_grade, "fx_currency": self.fx_currency, "fx_move_bp": self.fx_move_bp}


def _whole(value: object, field: str) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(ScenarioError.WHOLE, field=field)
    return value


def scenario_check(raw: Mapping[str, object]) -> Scenario:
    """A ``Scenario`` from plain data (the names of its fields; missing = not used), or the first error."""
    share = _whole(raw.get("slip_share_bp"), "slip_share_bp")
    if not 0 <= share <= FULL_BP:
        raise ScenarioError(ScenarioError.SHARE, field="slip_share_bp", value=share)
    days = _whole(raw.get("slip_days"), "slip_days")
    if (share and days not in SLIP_DAYS) or (not share and days not in (0, *SLIP_DAYS)):
        raise ScenarioError(ScenarioError.SLIP_DAYS, field="slip_days", allowed="/".join(map(str, SLIP_DAYS)))
    if not share:
        days = 0
    top_n = _whole(raw.get("default_top_n"), "default_top_n")
    if not 0 <= top_n <= MAX_TOP_N:
        raise ScenarioError(ScenarioError.TOP_N, field="default_top_n", most=MAX_TOP_N)
    grade = str(raw.get("default_grade") or "").strip()
    if grade and grade not in GRADES:
        raise ScenarioError(ScenarioError.GRADE, field="default_grade", value=grade)
    migrate = str(raw.get("migrate_grade") or "").strip()
    if migrate and migrate not in GRADES[:-1]:
        raise ScenarioError(ScenarioError.MIGRATE_GRADE, field="migrate_grade", value=migrate)
    currency = str(raw.get("fx_currency") or "").strip()
    move = _whole(raw.get("fx_move_bp"), "fx_move_bp")
    if currency and (len(currency) != 3 or not currency.isascii() or not currency.isupper()
                     or not currency.isalpha() or currency == "CNY"):
        raise ScenarioError(ScenarioError.CURRENCY, field="fx_currency", value=currency)
    if not MIN_FX_MOVE_BP <= move <= MAX_FX_MOVE_BP:
        raise ScenarioError(ScenarioError.FX_MOVE, field="fx_move_bp", low=MIN_FX_MOVE_BP, high=MAX_FX_MOVE_BP)
    if move and not currency:
        raise ScenarioError(ScenarioError.CURRENCY, field="fx_currency", value="")
    if not move:
        currency = ""
    scenario = Scenario(slip_share_bp=share, slip_days=days, default_top_n=top_n, default_grade=grade,
                        migrate_grade=migrate, fx_currency=currency, fx_move_bp=move)
    if scenario == Scenario():
        # name the shock the caller gave (a 0 for N is "no default": nothing to run), else the first one
        given = [name for name in SHOCK_FIELDS if name in raw]
        raise ScenarioError(ScenarioError.NOTHING, field=given[0] if given else "slip_share_bp")
    return scenario


def item_slips(invoice_id: int, share_bp: int) -> bool:
    """Whether an item slips under a share: ``(id × 7919) mod 10000 < share`` (see the module docstring)."""
    return (invoice_id * SLIP_MULTIPLIER) % FULL_BP < share_bp


def fx_shocked(base_minor: int, move_bp: int) -> int:
    """A CNY amount after its currency moves by ``move_bp`` against CNY, rounded half up."""
    return divide_half_up(base_minor * (FULL_BP + move_bp), FULL_BP)


def ratio_bp(part: int, whole: int) -> int | None:
    """``part / whole`` in basis points, rounded half up; None when ``whole`` is not positive."""
    if whole <= 0:
        return None
    return divide_half_up(part * FULL_BP, whole)


@dataclass(frozen=True, slots=True)
class Position:
    positions: tuple[int, ...]  # the cash at the end of each week
    minimum: int
    minimum_index: int  # the first week (0-based) the minimum is reached


def cash_position(*, opening: int, cash_in: Sequence[int], outflow: int) -> Position:
    """Opening balance + each week's cash-in − the weekly outflows, carried forward."""
    positions: list[int] = []
    cash = opening
    for amount in cash_in:
        cash += amount - outflow
        positions.append(cash)
    if not positions:
        return Position((), opening, 0)
    minimum = min(positions)
    return Position(tuple(positions), minimum, positions.index(minimum))


def overdue_cost(amount_days: int, rate_bp: int) -> int:
    """The financing cost of ``amount_days`` (Σ amount × days overdue, fen-days) at ``rate_bp`` a year, half up."""
    if amount_days <= 0 or rate_bp <= 0:
        return 0
    return divide_half_up(amount_days * rate_bp, FULL_BP * DAYS_IN_YEAR)


def recommendations(*, stressed_minimum: int, minimum_week: str, financing_before: str,
                    largest_share_bp: int | None, concentration_limit_bp: int,
                    allowance_delta: int, overdue_ratio_bp: int | None,
                    overdue_limit_bp: int) -> list[tuple[str, dict[str, object]]]:
    """Rule-based advice from a run's figures, as (code, params) for the edge to word:

    - the stressed cash position falls below zero → ``financing`` (arrange financing before that week starts);
    - the largest customer holds more than ``concentration_limit_bp`` of the receivables → ``diversify``;
    - the stressed allowance is higher → ``provide`` (plan the extra provision);
    - the stressed overdue ratio is above ``overdue_limit_bp`` → ``collect`` (step up collections).
    Nothing crossed → ``steady``."""
    advice: list[tuple[str, dict[str, object]]] = []
    if stressed_minimum < 0:
        advice.append(("financing", {"week": minimum_week, "before": financing_before, "shortfall": -stressed_minimum}))
    if largest_share_bp is not None and largest_share_bp > concentration_limit_bp:
        advice.append(("diversify", {"share_bp": largest_share_bp, "limit_bp": concentration_limit_bp}))
    if allowance_delta > 0:
        advice.append(("provide", {"amount": allowance_delta}))
    if overdue_ratio_bp is not None and overdue_ratio_bp > overdue_limit_bp:
        advice.append(("collect", {"ratio_bp": overdue_ratio_bp, "limit_bp": overdue_limit_bp}))
    if not advice:
        advice.append(("steady", {}))
    return advice


def sum_by_index(rows: Iterable[Sequence[int]], size: int) -> list[int]:
    totals = [0] * size
    for row in rows:
        for index, value in enumerate(row):
            totals[index] += value
    return totals
