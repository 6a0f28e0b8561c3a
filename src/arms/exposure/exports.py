"""Credit holds and credit overrides as export tables (``arms.web.exports``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.exposure.models import OverrideStatus
from arms.exposure.selectors import override_status_now
from arms.web.exports import AMOUNT, DATETIME, INT, Column, Table
from arms.web.templatetags.arms_web import person

CHUNK = 2000


def _name(user) -> str:
    return person(user) if user is not None else ""


def hold_table(holds) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Reason")),
               Column(_("Source")), Column(_("Note"), width=40), Column(_("Placed at"), DATETIME),
               Column(_("Placed by")), Column(_("Released at"), DATETIME), Column(_("Released by")),
               Column(_("Release note"), width=40)]
    rows = ([h.customer.code, h.customer.name, h.get_reason_code_display(), h.source_ref, h.note, h.placed_at,
             _name(h.placed_by), h.released_at, _name(h.released_by) if not h.active else "", h.release_note]
            for h in holds.iterator(chunk_size=CHUNK))
    return Table(_("Credit holds"), columns, rows)


def override_table(overrides) -> Table:
    columns = [Column("#", INT, width=8), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Currency")), Column(_("Amount"), AMOUNT), Column(_("Document")), Column(_("Document number")),
               Column(_("Reason"), width=40), Column(_("Status")), Column(_("Requested by")),
               Column(_("Requested at"), DATETIME), Column(_("Decided by")), Column(_("Decision note"), width=30),
               Column(_("Expires at"), DATETIME), Column(_("Used by"))]
    now = timezone.now()
    labels = dict(OverrideStatus.choices)

    rows = ([o.pk, o.customer.code, o.customer.name, o.currency, to_decimal(o.amount_minor, o.currency),
             o.get_document_kind_display(), o.document_ref, o.reason, labels.get(override_status_now(o, now), o.status),
             _name(o.requested_by), o.requested_at, _name(o.decided_by), o.decision_note, o.expires_at,
             o.consumed_document_ref] for o in overrides.iterator(chunk_size=CHUNK))
    return Table(_("Credit overrides"), columns, rows)
