"""What limitation adds to apps below it, through ``arms.common.hooks`` (they never import limitation):

- ``cases.bundle_sections``: the evidence bundle of a customer gets ``limitation.csv`` (each open claim's
  limitation chain: start, every interruption with its source and evidence, the expiry) and the evidence files
  under ``limitation/``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from arms.common import hooks
from arms.common.models import Attachment
from arms.domain.limitation import clock_for, clock_status
from arms.ledger.models import Invoice
from arms.limitation.enums import InterruptionKind, Status
from arms.limitation.models import LimitationInterruption
from arms.limitation.selectors import settings_or_default

_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def bundle_sections(*, customer: Any, as_of: date) -> list[hooks.BundleSection]:
    invoices = list(Invoice.objects.filter(customer=customer, amount_open_minor__gt=0).order_by("due_date", "pk"))
    if not invoices:
        return []
    years, alert_days = settings_or_default(customer.company_id)
    chain: dict[int, list[LimitationInterruption]] = defaultdict(list)
    rows_of = (LimitationInterruption.objects.filter(customer=customer, invoice__amount_open_minor__gt=0)
               .select_related("evidence").defer("evidence__content").order_by("date", "pk"))
    for row in rows_of:
        chain[row.invoice_id].append(row)
    contents = dict(Attachment.objects.filter(
        pk__in=LimitationInterruption.objects.filter(customer=customer, evidence__isnull=False).values("evidence_id"))
        .values_list("pk", "content"))
    rows: list[list[Any]] = []
    files: dict[str, bytes] = {}
    for invoice in invoices:
        interruptions = chain.get(invoice.pk, [])
        clock = clock_for(invoice.due_date, [r.date for r in interruptions], years=years)
        rows.append([invoice.number, _("Start of the period"), clock.start.isoformat(), "", "", "", ""])
        for row in interruptions:
            path = ""
            if row.evidence_id is not None:
                path = f"limitation/{row.pk:06d}-{_UNSAFE.sub('_', row.evidence_name or 'evidence')}"
                files[path] = bytes(contents[row.evidence_id])
            rows.append([invoice.number, str(InterruptionKind(row.kind).label), row.date.isoformat(),
                         row.source_label, row.note, path, row.evidence.sha256 if row.evidence is not None else ""])
        status = clock_status(clock.expires_on, as_of, open_=True, alert_days=alert_days)
        rows.append([invoice.number, _("Limitation period ends") + f" ({Status(status.value).label})",
                     clock.expires_on.isoformat(), "", "", "", ""])
    return [hooks.BundleSection(
        name="limitation", title=_("Limitation periods (诉讼时效)"),
        columns=[_("Invoice"), _("Event"), _("Date"), _("Source"), _("Note"), _("Evidence file"), _("SHA-256")],
        rows=rows, files=sorted(files.items()))]


def register_hooks() -> None:
    hooks.register(hooks.BUNDLE_SECTIONS, "limitation.chain", bundle_sections)
