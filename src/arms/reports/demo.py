"""Demo data of reports: last month's management report, stored as the schedule would have made it.

So `make demo` shows a report to download at /reports/monthly/ at once. It is stored as the scheduled run of the
month (not e-mailed: the demo's addresses go nowhere), so a Huey consumer started on the demo does not make and
send it again. Deterministic in what it stores (the month, the formats, the figures); the files differ only in
their "generated at" time.
"""

from __future__ import annotations

from datetime import date

from arms.reports import schedule
from arms.reports.models import ReportFormat, ReportKind, ReportRun, ReportTrigger


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    from django.db import transaction

    from arms.reports.services import _store, report_build_formats

    month = schedule.previous_month(schedule.month_start(today))
    have = set(ReportRun.objects.filter(kind=ReportKind.MONTHLY, period=month, trigger=ReportTrigger.SCHEDULE)
               .values_list("format", flat=True))
    missing = [fmt for fmt in (ReportFormat.PDF, ReportFormat.XLSX) if fmt not in have]
    contents = report_build_formats(month=month, formats=missing, today=today) if missing else {}
    with transaction.atomic():
        for fmt in missing:
            _store(month=month, fmt=fmt, content=contents[fmt], trigger=ReportTrigger.SCHEDULE)
    return {"report_runs": len(missing)}
