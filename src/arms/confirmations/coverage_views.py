"""The coverage page at /confirmations/coverage/: the shares confirmed for a period end, per salesperson and per
region, and the unconfirmed balances (paginated, exported as Excel or CSV)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from arms.confirmations.coverage import confirmation_coverage, coverage_default_period, coverage_periods
from arms.customers.enums import Region
from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, Column, Table, export_format, export_response
from arms.web.paging import paginate


def _period(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def unconfirmed_table(rows, period_end: date) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=30), Column(_("Salesperson")),
               Column(_("Region")), Column(_("Balance (CNY)"), AMOUNT), Column(_("Confirmation"))]
    return Table(_("Unconfirmed balances at %(day)s") % {"day": period_end.isoformat()}, columns,
                 ([r.code, r.name, r.salesperson, r.region_label, to_decimal(r.balance_base_minor), r.status_label]
                  for r in rows))


@require_GET
@login_required
@permission_required("confirmations.view_confirmation", raise_exception=True)
def coverage(request):
    period_end = _period(request.GET.get("period_end", "")) or coverage_default_period()
    region = request.GET.get("region", "")
    region = region if region in Region.values else ""
    result = confirmation_coverage(user=request.user, period_end=period_end, region=region)
    if export_format(request):
        return export_response(request, f"confirmation-coverage-{period_end:%Y%m%d}",
                               unconfirmed_table(result.unconfirmed, period_end))
    periods = coverage_periods()
    if period_end not in periods:
        periods = [period_end, *periods]
    return render(request, "confirmations/coverage.html", {
        "result": result, "page": paginate(request, result.unconfirmed), "periods": periods,
        "regions": Region.choices, "filters": {"period_end": period_end.isoformat(), "region": region}})
