"""Prediction lists as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.domain.money import BASE_CURRENCY, to_decimal
from arms.prediction.enums import BacktestMethod, method_label
from arms.web.exports import AMOUNT, DATE, DATETIME, DECIMAL, INT, PERCENT, Column, Table


def _score(version, method: str, key: str) -> Decimal | None:
    """A backtest figure as a Decimal: days of error, or the share within 7 days as a percent number."""
    for entry in (version.metrics or {}).get("scores", []):
        if entry["method"] == method:
            value = Decimal(str(entry[key]))
            return value * 100 if key == "within_7" else value
    return None


def version_table(versions) -> Table:
    columns = [Column(_("Version"), INT), Column(_("Status")), Column(_("Training window start"), DATE),
               Column(_("Training window end"), DATE), Column(_("Training rows"), INT),
               Column(_("Model error (days)"), DECIMAL), Column(_("Customer average error (days)"), DECIMAL),
               Column(_("Due date error (days)"), DECIMAL), Column(_("Model within 7 days"), PERCENT),
               Column(_("Trained at"), DATETIME), Column(_("Trained by"))]
    rows = ([v.version, v.get_status_display(), v.window_start, v.window_end, v.rows,
             _score(v, BacktestMethod.MODEL, "mae_days"), _score(v, BacktestMethod.CUSTOMER_AVERAGE, "mae_days"),
             _score(v, BacktestMethod.DUE_DATE, "mae_days"), _score(v, BacktestMethod.MODEL, "within_7"),
             v.trained_at, person_name(v.trained_by)] for v in versions)
    return Table(_("Prediction model versions"), columns, rows)


def outlook_table(rows: Iterable[dict]) -> Table:
    columns = [Column(_("Invoice number")), Column(_("Customer"), width=32), Column(_("Currency")),
               Column(_("Open amount"), AMOUNT), Column(_("Open (CNY)"), AMOUNT), Column(_("Due date"), DATE),
               Column(_("P10 date"), DATE), Column(_("Predicted payment (P50)"), DATE), Column(_("P90 date"), DATE),
               Column(_("Prediction method"))]
    body = ([r["number"], r["customer_name"], r["currency"], to_decimal(r["open_minor"], r["currency"]),
             to_decimal(r["open_base_minor"], BASE_CURRENCY), r["due_date"], r["p10"], r["p50"], r["p90"],
             method_label(r["method"])] for r in rows)
    return Table(_("Open items with predicted payment dates"), columns, body)
