"""Forecast tables as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.domain.money import to_decimal
from arms.forecast.models import Forecast, ForecastLine
from arms.forecast.selectors import AccuracyReport
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table


def forecast_list_table(forecasts: Iterable[Forecast]) -> Table:
    columns = [Column(_("As of"), DATE), Column(_("Buckets")), Column(_("Periods"), INT),
               Column(_("Open items"), AMOUNT), Column(_("Expected in the horizon"), AMOUNT),
               Column(_("Beyond the horizon"), AMOUNT), Column(_("New sales"), AMOUNT),
               Column(_("Made at"), DATETIME), Column(_("Made by"))]
    rows = ([f.as_of, f.get_granularity_display(), f.periods, to_decimal(f.open_minor), to_decimal(f.expected_minor),
             to_decimal(f.beyond_minor), to_decimal(f.new_sales_minor), f.created_at,
             person_name(f.created_by) if f.created_by_id else _("Schedule")] for f in forecasts)
    return Table(_("Cash-in forecasts"), columns, rows)


def forecast_table(forecast: Forecast, lines: Iterable[ForecastLine], currency_lines: Iterable[ForecastLine]) -> Table:
    """One forecast: per bucket the expected cash-in in CNY with its band and sources, then per currency."""
    columns = [Column(_("From"), DATE), Column(_("To"), DATE), Column(_("Currency")), Column(_("Expected"), AMOUNT),
               Column(_("Low"), AMOUNT), Column(_("High"), AMOUNT), Column(_("From open items"), AMOUNT),
               Column(_("From promises to pay"), AMOUNT), Column(_("From installment plans"), AMOUNT),
               Column(_("From new sales"), AMOUNT)]

    def rows():
        for line in lines:
            yield [line.start, line.end, line.currency, to_decimal(line.expected_minor), to_decimal(line.low_minor),
                   to_decimal(line.high_minor), to_decimal(line.from_open_items_minor),
                   to_decimal(line.from_promises_minor), to_decimal(line.from_plans_minor),
                   to_decimal(line.from_new_sales_minor)]
        for line in currency_lines:
            yield [line.start, line.end, line.currency, to_decimal(line.expected_minor, line.currency),
                   None, None, None, None, None, None]

    footer = [[_("Beyond the horizon"), "", "CNY", to_decimal(forecast.beyond_minor)]]
    preamble = [[_("Cash-in forecast as of %(as_of)s") % {"as_of": forecast.as_of.isoformat()}],
                [_("Open items %(amount)s CNY") % {"amount": to_decimal(forecast.open_minor)}]]
    return Table(_("Cash-in forecast"), columns, rows(), footer=footer, preamble=preamble)


def accuracy_table(report: AccuracyReport) -> Table:
    columns = [Column(_("Forecast of"), DATE), Column(_("Horizon"), INT), Column(_("From"), DATE),
               Column(_("To"), DATE), Column(_("Forecast"), AMOUNT), Column(_("Cash applied"), AMOUNT),
               Column(_("Forecast error"), AMOUNT)]
    rows = ([row.as_of, row.horizon, row.start, row.end, to_decimal(row.forecast_minor),
             to_decimal(row.actual_minor), to_decimal(row.error_minor)] for row in report.rows)
    footer = [[_("Horizon %(horizon)s: mean absolute error") % {"horizon": h.horizon}, h.count, "", "",
               to_decimal(h.forecast_minor), to_decimal(h.actual_minor), to_decimal(h.mae_minor)]
              for h in report.horizons]
    return Table(_("Forecast accuracy"), columns, rows, footer=footer)
