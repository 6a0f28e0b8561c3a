"""The warning log and the risk signals as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from arms.accounts.names import person_name
from arms.domain.earlywarning import METRICS, format_value
from arms.earlywarning.labels import figures_text, role_label, scope_label, subject_label
from arms.web.exports import DATE, DATETIME, INT, Column, Table

CHUNK = 2000


def warning_table(warnings: Any) -> Table:
    columns = [Column(_("Raised on"), DATE), Column(_("Severity")), Column(_("Status")),
               Column(_("Indicator"), width=32), Column(pgettext("early warning", "Subject"), width=32),
               Column(_("Figures"), width=60), Column(_("Closed on"), DATE),
               Column(_("Acknowledged by")), Column(_("Acknowledgement note"), width=40)]
    rows = ([w.raised_on, w.get_severity_display(), w.get_status_display(), w.indicator.name,
             subject_label(w.indicator, w.customer_id, w.customer), figures_text(w.indicator.metric, w.figures),
             w.closed_on, person_name(w.acknowledged_by), w.acknowledgement_note]
            for w in warnings.iterator(chunk_size=CHUNK))
    return Table(_("Early warning log"), columns, rows)


def signal_table(signals: Any) -> Table:
    columns = [Column(_("Raised at"), DATETIME), Column(_("Noticed at"), DATETIME), Column(_("Raised late")),
               Column(_("Customer code")),
               Column(_("Customer"), width=32), Column(_("Category")), Column(_("Description"), width=60),
               Column(_("Raised by")), Column(_("Status")), Column(_("Acknowledged by")),
               Column(_("Acknowledgement note"), width=40)]
    rows = ([s.raised_at, s.observed_at, _("Yes") if s.late else _("No"),
             s.customer.code, s.customer.name, s.get_category_display(), s.description, person_name(s.raised_by),
             s.get_status_display(), person_name(s.acknowledged_by), s.acknowledgement_note]
            for s in signals.iterator(chunk_size=CHUNK))
    return Table(_("Risk signals"), columns, rows)


def indicator_table(indicators: Any) -> Table:
    columns = [Column(_("Indicator"), width=32), Column(_("Metric"), width=32), Column(_("Scope"), width=28),
               Column(_("Threshold")), Column(_("Window")), Column(_("Severity")), Column(_("Responsible role")),
               Column(_("Active")), Column(_("Standing warnings"), INT)]
    rows = ([i.name, i.get_metric_display(), scope_label(i), format_value(METRICS[i.metric].unit, i.threshold),
             i.window, i.get_severity_display(), role_label(i.responsible_role), _("Yes") if i.active else _("No"),
             i.standing] for i in indicators.iterator(chunk_size=CHUNK))
    return Table(_("Risk indicators"), columns, rows)
