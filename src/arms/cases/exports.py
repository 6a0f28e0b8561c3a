"""Collections lists as export tables (``arms.web.exports``): the worklist, tasks, disputes, promises to pay and
installment plans. Each streams every row of the list as filtered on the page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import BASE_CURRENCY, to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table
from arms.web.templatetags.arms_web import person

CHUNK = 2000


def _name(user) -> str:
    return person(user) if user is not None else ""


def worklist_table(rows) -> Table:
    """The ranked worklist (``cases.selectors.Worklist``: its rows made a chunk at a time as the export streams)."""
    header = [Column(_("Rank"), INT, width=8), Column(_("Customer code")), Column(_("Customer"), width=32),
              Column(_("Region")), Column(_("Collector")), Column(_("Score"), INT), Column(_("Grade")),
              Column(_("Days overdue"), INT), Column(_("Overdue (CNY)"), AMOUNT), Column(_("Open tasks"), INT),
              Column(_("Next task due"), DATE), Column(_("Open promises"), INT), Column(_("Open disputes"), INT)]

    def lines():
        for rank, row in enumerate(rows, start=1):
            customer = row.customer
            yield [rank, customer.code, customer.name, customer.get_region_display(), _name(customer.collector),
                   row.score, row.grade or "-", max(row.max_days_overdue, 0),
                   to_decimal(row.overdue_base_minor, BASE_CURRENCY), row.open_tasks, row.next_task_due,
                   row.open_promises, row.open_disputes]

    return Table(_("Worklist"), header, lines())


def task_table(tasks) -> Table:
    columns = [Column(_("Due on"), DATE), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Task"), width=36), Column(_("Kind")), Column(_("Level")), Column(_("Assignee")),
               Column(_("Status")), Column(_("Source")), Column(_("Created at"), DATETIME)]
    rows = ([t.due_on, t.customer.code, t.customer.name, t.title, t.get_kind_display(), t.get_level_display(),
             _name(t.assignee), t.get_status_display(), t.source, t.created_at]
            for t in tasks.iterator(chunk_size=CHUNK))
    return Table(_("Collection tasks"), columns, rows)


def dispute_table(disputes) -> Table:
    columns = [Column(_("Raised on"), DATE), Column(_("SLA deadline"), DATE), Column(_("Customer code")),
               Column(_("Customer"), width=32), Column(_("Invoice")), Column(_("Reason")), Column(_("Department")),
               Column(_("Owner")), Column(_("Currency")), Column(_("Disputed amount"), AMOUNT),
               Column(_("Description"), width=40), Column(_("Status")), Column(_("Resolution")),
               Column(_("Resolved on"), DATE)]
    rows = ([d.raised_on, d.sla_due_on, d.customer.code, d.customer.name, d.invoice.number, d.get_reason_code_display(),
             d.get_department_display(), _name(d.owner), d.currency, to_decimal(d.amount_minor, d.currency),
             d.description, d.get_status_display(), d.get_resolution_display(), d.resolved_on]
            for d in disputes.iterator(chunk_size=CHUNK))
    return Table(_("Disputes"), columns, rows)


def promise_table(promises) -> Table:
    columns = [Column(_("Promised date"), DATE), Column(_("Made on"), DATE), Column(_("Customer code")),
               Column(_("Customer"), width=32), Column(_("Invoices"), width=24), Column(_("Contact")),
               Column(_("Currency")), Column(_("Amount"), AMOUNT), Column(_("Paid"), AMOUNT),
               Column(_("Shortfall"), AMOUNT), Column(_("Status")), Column(_("Note"), width=40)]
    rows = ([p.promised_on, p.made_on, p.customer.code, p.customer.name,
             ", ".join(inv.number for inv in p.invoices.all()), p.contact_name, p.currency,
             to_decimal(p.amount_minor, p.currency), to_decimal(p.paid_minor, p.currency),
             to_decimal(p.shortfall_minor, p.currency), p.get_status_display(), p.note]
            for p in promises.iterator(chunk_size=CHUNK))
    return Table(_("Promises to pay"), columns, rows)


def plan_table(plans) -> Table:
    columns = [Column("#", INT, width=8), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Invoices"), width=24), Column(_("Installments"), INT), Column(_("Starts on"), DATE),
               Column(_("Currency")), Column(_("Total"), AMOUNT), Column(_("Paid"), AMOUNT), Column(_("Status")),
               Column(_("Requested by")), Column(_("Requested at"), DATETIME), Column(_("Decided by")),
               Column(_("Note"), width=40)]
    rows = ([p.pk, p.customer.code, p.customer.name, ", ".join(inv.number for inv in p.invoices.all()),
             len(p.lines.all()), p.starts_on, p.currency, to_decimal(p.total_minor, p.currency),
             to_decimal(p.paid_minor, p.currency), p.get_status_display(), _name(p.requested_by), p.requested_at,
             _name(p.decided_by), p.note] for p in plans.iterator(chunk_size=CHUNK))
    return Table(_("Installment plans"), columns, rows)
