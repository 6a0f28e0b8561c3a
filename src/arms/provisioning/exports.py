"""Provisioning lists as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, PERCENT, Column, Table

CHUNK = 2000


def percent(bp: int | None) -> Decimal | None:
    """Basis points as a Decimal number of percent (1250 -> 12.5) for a PERCENT cell."""
    return None if bp is None else Decimal(int(bp)) / 100


def run_table(runs) -> Table:
    columns = [Column(_("Period end"), DATE), Column(_("Matrix version"), INT), Column(_("Customers"), INT),
               Column(_("Open receivables"), AMOUNT), Column(_("Required allowance"), AMOUNT),
               Column(_("Allowance booked before"), AMOUNT), Column(_("True-up"), AMOUNT),
               Column(_("Posted at"), DATETIME), Column(_("Posted by"))]
    rows = ([r.as_of, r.matrix.version, r.customer_count, to_decimal(r.total_open_minor),
             to_decimal(r.total_required_minor), to_decimal(r.total_booked_before_minor), to_decimal(r.true_up_minor),
             r.posted_at, person_name(r.posted_by)] for r in runs)
    return Table(_("Provision runs"), columns, rows)


def run_lines_table(run, lines) -> Table:
    """The run's report: per customer and band the open amount, the rate and the allowance required."""
    bands = run.band_totals
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Industry")),
               Column(_("Basis"))]
    for band in bands:
        columns += [Column(_("%(band)s open") % {"band": band["label"]}, AMOUNT),
                    Column(_("%(band)s rate") % {"band": band["label"]}, PERCENT),
                    Column(_("%(band)s required") % {"band": band["label"]}, AMOUNT)]
    columns += [Column(_("Open receivables"), AMOUNT), Column(_("Required allowance"), AMOUNT),
                Column(_("Allowance booked before"), AMOUNT), Column(_("True-up"), AMOUNT)]

    def rows():
        for line in lines.iterator(chunk_size=CHUNK):
            cells = [line.customer.code, line.customer.name, line.customer.get_industry_display(),
                     line.get_basis_display()]
            for index in range(len(bands)):
                cells += [to_decimal(line.open_by_band[index]), percent(line.rate_by_band[index]),
                          to_decimal(line.required_by_band[index])]
            cells += [to_decimal(line.open_minor), to_decimal(line.required_minor),
                      to_decimal(line.booked_before_minor), to_decimal(line.true_up_minor)]
            yield cells

    footer = [[_("Total"), "", "", "", *[value for band in bands for value in (
        to_decimal(band["open_minor"]), percent(band["rate_bp"]), to_decimal(band["required_minor"]))],
        to_decimal(run.total_open_minor), to_decimal(run.total_required_minor),
        to_decimal(run.total_booked_before_minor), to_decimal(run.true_up_minor)]]
    preamble = [[_("Allowance for doubtful accounts as of %(day)s") % {"day": run.as_of.isoformat()}],
                [_("Matrix version %(version)s: %(name)s") % {"version": run.matrix.version,
                                                              "name": run.matrix.name}]]
    return Table(_("Provision run %(period)s") % {"period": f"{run.as_of:%Y-%m}"}, columns, rows(),
                 preamble=preamble, footer=footer)


def assessment_table(assessments) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Rate"), PERCENT),
               Column(_("Amount"), AMOUNT), Column(_("Valid from"), DATE), Column(_("Ended on"), DATE),
               Column(_("Reason"), width=40), Column(_("Evidence")), Column(_("Recorded by"))]
    rows = ([a.customer.code, a.customer.name, percent(a.rate_bp),
             to_decimal(a.amount_minor) if a.amount_minor is not None else None, a.valid_from, a.ended_on, a.reason,
             a.evidence_name, person_name(a.created_by)] for a in assessments.iterator(chunk_size=CHUNK))
    return Table(_("Individual assessments"), columns, rows)
