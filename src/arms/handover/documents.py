"""The hand-over list (逾期账款交接表) as a page, a PDF (A4 landscape) and an Excel sheet, from the frozen snapshot
only: both people acknowledge exactly what was hashed, whatever the ledger says later. The snapshot holds codes
(a dispute's reason, a task's kind); they are labelled here, in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.cases.enums import DisputeReason, Level, PlanStatus, TaskKind
from arms.collectionplans.enums import PlanStatus as CollectionPlanStatus
from arms.common.pdf import render_pdf
from arms.domain.money import to_decimal
from arms.handover.models import Handover
from arms.web.exports import AMOUNT, DATE, INT, Column, Table


def file_stem(handover: Handover) -> str:
    return f"handover-{handover.reference}"


def _label(choices: Any, code: str) -> str:
    return str(choices(code).label) if code in choices.values else str(_("Other"))


def _dates(row: dict) -> dict:
    return {k: date.fromisoformat(v) if k.endswith(("_date", "_on")) and isinstance(v, str) and v else v
            for k, v in row.items()}


def handover_data(handover: Handover) -> dict:
    """The snapshot with dates as dates and codes as labels, for the page, the PDF and the sheet."""
    data = handover.snapshot_data
    data["open_items"] = [_dates(row) for row in data["open_items"]]
    data["promises"] = [_dates(row) for row in data["promises"]]
    data["plans"] = [{**_dates(row), "status_label": _label(PlanStatus, row["status"]),
                      "remaining_minor": row["total_minor"] - row["paid_minor"]} for row in data["plans"]]
    data["collection_plans"] = [{**_dates(row), "status_label": _label(CollectionPlanStatus, row["status"])}
                                for row in data["collection_plans"]]
    data["disputes"] = [{**_dates(row), "reason_label": _label(DisputeReason, row["reason"])}
                        for row in data["disputes"]]
    data["tasks"] = [{**_dates(row), "kind_label": _label(TaskKind, row["kind"]),
                      "level_label": _label(Level, row["level"])} for row in data["tasks"]]
    data["as_of"] = date.fromisoformat(data["as_of"])
    return data


def render_handover_pdf(handover: Handover) -> bytes:
    return render_pdf("handover/pdf/handover.html", {"handover": handover, "data": handover_data(handover)})


def handover_table(handover: Handover) -> Table:
    """The list as one sheet: who, whom, when and the hash above; then each section under its own heading row."""
    data = handover_data(handover)

    def amount(minor: int, currency: str) -> Decimal:
        return to_decimal(minor, currency)

    rows: list[list[Any]] = [[_("Open items")]]
    for item in data["open_items"]:
        rows.append([item["customer"], item["number"], item["due_date"], item["currency"],
                     amount(item["open_minor"], item["currency"]), item["days_overdue"], ""])
    for total in data["totals"]:
        rows.append([_("Total"), "", None, total["currency"], amount(total["open_minor"], total["currency"]), None,
                     _("overdue %(amount)s") % {"amount": amount(total["overdue_minor"], total["currency"])}])
    rows.append([_("Promises to pay")])
    for p in data["promises"]:
        rows.append([p["customer"], p["contact"], p["promised_on"], p["currency"],
                     amount(p["amount_minor"], p["currency"]), None, ""])
    rows.append([_("Installment plans")])
    for plan in data["plans"]:
        rows.append([plan["customer"], plan["status_label"], plan["starts_on"], plan["currency"],
                     amount(plan["total_minor"] - plan["paid_minor"], plan["currency"]), None, ""])
    for plan in data["collection_plans"]:
        rows.append([plan["customer"], f"{_('Collection plan')} {plan['number']}", plan["counts_from"],
                     plan["currency"], amount(plan["expected_minor"], plan["currency"]), None,
                     f"{plan['status_label']} · {plan['owner']}"])
    rows.append([_("Disputes")])
    for d in data["disputes"]:
        rows.append([d["customer"], d["invoice"], d["sla_due_on"], d["currency"],
                     amount(d["amount_minor"], d["currency"]), None, f"{d['reason_label']} · {d['owner']}"])
    rows.append([_("Open tasks")])
    for t in data["tasks"]:
        rows.append([t["customer"], t["title"], t["due_on"], "", None, None, f"{t['kind_label']} · {t['assignee']}"])
    title = _("Overdue accounts hand-over")
    preamble = [
        [f"{title} {handover.reference}"],
        [_("%(role)s: %(from)s → %(to)s, effective %(date)s") % {
            "role": handover.get_role_display(), "from": person_name(handover.from_user),
            "to": person_name(handover.to_user),
            "date": handover.effective_on.isoformat()}],
        [f"SHA-256 {handover.sha256}"],
    ]
    columns = [Column(_("Customer code")), Column(_("Item"), width=36), Column(_("Date"), DATE),
               Column(_("Currency")), Column(_("Amount"), AMOUNT), Column(_("Days overdue"), INT),
               Column(_("Note"), width=30)]
    return Table(title, columns, rows=rows, preamble=preamble)
