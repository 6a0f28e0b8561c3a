"""Stress lists and results as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, PERCENT, Column, Table

if TYPE_CHECKING:
    from collections.abc import Iterable

    from arms.stress.models import ScenarioRun
    from arms.stress.selectors import CostRow

CHUNK = 2000


def percent(bp: int | None) -> Decimal | None:
    """Basis points as a Decimal number of percent (1250 -> 12.5) for a PERCENT cell."""
    return None if bp is None else Decimal(int(bp)) / 100


def scenario_table(scenarios, describe) -> Table:
    columns = [Column(_("Name"), width=30), Column(_("Shocks"), width=60), Column(_("Standard scenario")),
               Column(_("Created at"), DATETIME), Column(_("Created by"))]
    rows = ([s.name, describe(s), _("Yes") if s.is_standard else _("No"), s.created_at, person_name(s.created_by)]
            for s in scenarios.iterator(chunk_size=CHUNK))
    return Table(_("Stress scenarios"), columns, rows)


def run_list_table(runs) -> Table:
    columns = [Column(_("Scenario"), width=30), Column(_("As of"), DATE), Column(_("Stressed minimum cash"), AMOUNT),
               Column(_("Allowance change"), AMOUNT), Column(_("Run at"), DATETIME), Column(_("Run by"))]
    rows = ([r.scenario_name, r.as_of, to_decimal(r.stressed_minimum_minor), to_decimal(r.allowance_delta_minor),
             r.created_at, person_name(r.created_by)] for r in runs.iterator(chunk_size=CHUNK))
    return Table(_("Scenario runs"), columns, rows)


def summary_rows(results: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """(label, kind, base, stressed) of a run's headline figures: the page, the PDF and the workbook show these."""
    base, stressed = results["base"], results["stressed"]
    return [
        (_("Cash-in over 13 weeks"), AMOUNT, base["cash_in_minor"], stressed["cash_in_minor"]),
        (_("Minimum cash position"), AMOUNT, base["minimum_minor"], stressed["minimum_minor"]),
        (_("Week of the minimum"), DATE, base["minimum_week"], stressed["minimum_week"]),
        (_("Open receivables"), AMOUNT, base["open_minor"], stressed["open_minor"]),
        (_("Overdue"), AMOUNT, base["overdue_minor"], stressed["overdue_minor"]),
        (_("Overdue ratio"), PERCENT, base["overdue_ratio_bp"], stressed["overdue_ratio_bp"]),
        (_("Bad debts over the last 12 months"), AMOUNT, base["bad_debt_minor"], stressed["bad_debt_minor"]),
        (_("Bad-debt ratio"), PERCENT, base["bad_debt_ratio_bp"], stressed["bad_debt_ratio_bp"]),
        (_("Required allowance"), AMOUNT, base["allowance_minor"], stressed["allowance_minor"]),
    ]


def _cell(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == AMOUNT:
        return to_decimal(int(value))
    if kind == PERCENT:
        return percent(value)
    return value


def run_result_table(run: ScenarioRun) -> Table:
    """A run's report: the headline figures base beside stressed, then the 13 weeks."""
    results = run.results
    columns = [Column(_("Week of"), width=14), Column(_("Base cash-in"), AMOUNT), Column(_("Stressed cash-in"), AMOUNT),
               Column(_("Base cash position"), AMOUNT), Column(_("Stressed cash position"), AMOUNT)]
    rows = ([w["start"], to_decimal(w["base_minor"]), to_decimal(w["stressed_minor"]),
             to_decimal(w["base_position_minor"]), to_decimal(w["stressed_position_minor"])]
            for w in results["weeks"])
    preamble: list[list[Any]] = [
        [_("Stress scenario %(name)s as of %(day)s") % {"name": run.scenario_name, "day": run.as_of.isoformat()}],
        [_("Figure"), _("Base"), _("Stressed")],
        *([label, _cell(kind, base), _cell(kind, stressed)] for label, kind, base, stressed in summary_rows(results)),
        [],
    ]
    return Table(_("Scenario run %(day)s") % {"day": run.as_of.isoformat()}, columns, rows, preamble=preamble)


def cost_table(rows: Iterable[CostRow], *, labels, group_label: str, as_of, rate_bp: int) -> Table:
    columns = [Column(_("Code")), Column(group_label, width=36), Column(_("Customers"), INT),
               Column(_("Overdue"), AMOUNT), Column(_("Average days overdue"), INT),
               Column(_("Cost of overdue"), AMOUNT)]
    body = ([*labels(row.key), row.customers, to_decimal(row.overdue_minor), row.average_days,
             to_decimal(row.cost_minor)] for row in rows)
    preamble = [[_("Cost of overdue receivables as of %(day)s at %(rate)s a year") % {
        "day": as_of.isoformat(), "rate": f"{percent(rate_bp)}%"}]]
    return Table(_("Cost of overdue receivables"), columns, body, preamble=preamble)
