"""Dunning lists as export tables (``arms.web.exports``): actions, runs, the e-mail outbox and exclusions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table
from arms.web.templatetags.arms_web import person

CHUNK = 2000


def _name(user) -> str:
    return person(user) if user is not None else ""


def action_table(actions) -> Table:
    columns = [Column(_("Date"), DATE), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Stage")), Column(_("Days"), INT), Column(_("Level")), Column(_("Assignee")),
               Column(_("Currency")), Column(_("Open amount"), AMOUNT), Column(_("Late interest"), AMOUNT),
               Column(_("Penalty"), AMOUNT), Column(_("Pay by"), DATE), Column(_("Status")), Column(_("E-mail"))]

    def rows():
        for a in actions.iterator(chunk_size=CHUNK):
            email = getattr(a, "email", None)
            yield [a.as_of, a.customer.code, a.customer.name, a.stage.name, a.stage_offset, a.get_level_display(),
                   _name(a.assignee), a.currency, to_decimal(a.open_minor, a.currency),
                   to_decimal(a.interest_minor, a.currency), to_decimal(a.penalty_minor, a.currency), a.deadline,
                   a.get_status_display(), email.get_status_display() if email is not None else ""]

    return Table(_("Dunning actions"), columns, rows())


def run_table(runs) -> Table:
    columns = [Column(_("As of"), DATE), Column(_("Started by")), Column(_("Started at"), DATETIME),
               Column(_("Finished at"), DATETIME), Column(_("Status")), Column(_("Actions"), INT),
               Column(_("Items actioned"), INT), Column(_("Stages skipped"), INT), Column(_("Items held"), INT),
               Column(_("Customers excluded"), INT), Column(_("Error"), width=40)]
    rows = ([r.as_of, " · ".join(filter(None, [r.get_trigger_display(), _name(r.started_by)])), r.started_at,
             r.finished_at, r.get_status_display(), r.actions_count, r.items_count, r.skipped_count, r.held_count,
             r.excluded_count, r.error] for r in runs.iterator(chunk_size=CHUNK))
    return Table(_("Dunning runs"), columns, rows)


def email_table(emails) -> Table:
    columns = [Column(_("Queued"), DATETIME), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Recipients"), width=30), Column(_("Subject"), width=40), Column(_("Status")),
               Column(_("Attempts"), INT), Column(_("Sent at"), DATETIME), Column(_("Last error"), width=40)]
    rows = ([e.created_at, e.customer.code, e.customer.name, e.to_address, e.subject, e.get_status_display(),
             e.attempts, e.sent_at, e.last_error] for e in emails.iterator(chunk_size=CHUNK))
    return Table(_("E-mail outbox"), columns, rows)


def exclusion_table(exclusions) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Reason"), width=40),
               Column(_("Until"), DATE), Column(_("Since"), DATETIME), Column(_("Excluded by"))]
    rows = ([x.customer.code, x.customer.name, x.reason, x.until, x.created_at, _name(x.created_by)]
            for x in exclusions.iterator(chunk_size=CHUNK))
    return Table(_("Dunning exclusions"), columns, rows)
