"""Promises to pay: record one, and find each open one kept or broken from the payments the ledger received."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import ActivityKind, Level, PromiseStatus, TaskKind
from arms.cases.errors import AlreadyClosed
from arms.cases.models import PromiseToPay
from arms.cases.services.activities import activity_record
from arms.cases.services.common import choice_or_error, customer_invoices_locked, invoice_ids
from arms.cases.services.escalation import escalate
from arms.common.actors import user_or_none
from arms.common.bounds import date_check
from arms.common.errors import Conflict, ErrorCode, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.services import idempotent
from arms.domain.money import format_money
from arms.ledger.enums import PaymentStatus
from arms.ledger.models import Allocation, Payment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer
    from arms.ledger.models import Invoice

log = logging.getLogger(__name__)


def promise_snapshot(promise: PromiseToPay) -> JsonDict:
    return {
        "customer": promise.customer_id, "currency": promise.currency, "amount_minor": promise.amount_minor,
        "made_on": promise.made_on, "promised_on": promise.promised_on, "status": promise.status,
        "paid_minor": promise.paid_minor, "shortfall_minor": promise.shortfall_minor, "level": promise.level,
        "invoices": sorted(promise.invoices.values_list("pk", flat=True)),
    }


@transaction.atomic
def promise_record(
    *, customer: Customer, amount_minor: int, promised_on: date, actor: Actor, made_on: date | None = None,
    invoices: Iterable[Invoice | int] = (),
    currency: str | None = None, contact_name: str = "", note: str = "", level: str = Level.FINANCE,
    idempotency_key: str | None = None,
) -> PromiseToPay:
    """The customer promises ``amount_minor`` by ``promised_on`` (for the named invoices, or in general).

    An invoice can be in one open promise at a time; the amount cannot exceed what the named invoices still
    owe. Records a note on the history.
    """
    made = made_on or timezone.localdate()
    payload = {"customer": customer.pk, "amount": amount_minor, "promised_on": promised_on, "made_on": made,
               "invoices": invoice_ids(invoices), "currency": currency,
               "contact": contact_name, "note": note, "level": level}

    def create() -> PromiseToPay:
        locked = lock_customer(customer.pk)
        if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
            raise ValidationFailed(_("Must be greater than zero."), field="amount_minor")
        date_check(made, field="made_on")
        date_check(promised_on, field="promised_on")
        if promised_on < made:
            raise ValidationFailed(_("The promised date is before the day the promise was made."),
                                   field="promised_on")
        choice_or_error(level, Level, "level")
        named = customer_invoices_locked(customer=locked, invoices=invoices, open_only=True)
        promise_currency = (currency or (named[0].currency if named else locked.currency)).upper()
        if any(inv.currency != promise_currency for inv in named):
            raise ValidationFailed(_("The invoices and the promise must be in one currency."), field="currency")
        if named:
            owed = sum(inv.amount_open_minor for inv in named)
            if amount_minor > owed:
                raise ValidationFailed(
                    _("The promise (%(amount)s) exceeds what the invoices still owe (%(owed)s).")
                    % {"amount": format_money(amount_minor, promise_currency),
                       "owed": format_money(owed, promise_currency)},
                    field="amount_minor", code=ErrorCode.EXCEEDS_OPEN_AMOUNT,
                )
            taken = PromiseToPay.invoices.through.objects.filter(
                invoice_id__in=[i.pk for i in named], promisetopay__status=PromiseStatus.OPEN
            ).select_related("invoice").first()
            if taken is not None:
                raise Conflict(_("Invoice %(number)s already has an open promise to pay.")
                               % {"number": taken.invoice.number}, field="invoices", code=ErrorCode.PROMISE_OPEN)
        promise = PromiseToPay.objects.create(
            customer=locked, currency=promise_currency, amount_minor=amount_minor, made_on=made,
            promised_on=promised_on, contact_name=contact_name.strip(), note=note, level=level,
            created_by=user_or_none(actor),
        )
        if named:
            promise.invoices.set(named)
        activity_record(
            customer=locked, kind=ActivityKind.NOTE, direction="in", outcome="promised", actor=actor,
            note=_("Promise to pay %(amount)s by %(date)s. %(note)s")
            % {"amount": format_money(amount_minor, promise_currency), "date": promised_on.isoformat(), "note": note},
            invoices=named, source="promise", source_ref=f"promise:{promise.pk}",
        )
        audit_record(actor=actor, action="promise_recorded", subject=promise, after=promise_snapshot(promise))
        return promise

    promise, _created = idempotent(scope="cases.promise", key=idempotency_key, payload=payload,
                                   model=PromiseToPay, create=create)
    return promise


def promise_paid_minor(promise: PromiseToPay, *, as_of: date) -> int:
    """What the customer paid towards the promise from the day it was made up to the promised date (and up
    to ``as_of``). For named invoices: the payments received in that window allocated to them (net of
    allocations undone since). Otherwise: the payments received in that window in the promise's currency that
    were not reversed."""
    end = min(promise.promised_on, as_of)
    invoice_ids = list(promise.invoices.values_list("pk", flat=True))
    if invoice_ids:
        total = Allocation.objects.filter(
            invoice_id__in=invoice_ids, payment__isnull=False, payment__received_date__gte=promise.made_on,
            payment__received_date__lte=end, date__lte=as_of,
        ).aggregate(total=Sum("amount_minor"))["total"]
    else:
        total = Payment.objects.filter(
            customer_id=promise.customer_id, currency=promise.currency, status=PaymentStatus.POSTED,
            received_date__gte=promise.made_on, received_date__lte=end,
        ).aggregate(total=Sum("amount_minor"))["total"]
    return max(total or 0, 0)


def _promise_check_one(promise_id: int, *, as_of: date, actor: Actor = None) -> str:
    """Check one open promise in its own transaction; returns its status afterwards."""
    with transaction.atomic(durable=True):
        promise = qs_for_update(PromiseToPay.objects.select_related("customer"), own_rows_only=True).get(pk=promise_id)
        if promise.status != PromiseStatus.OPEN:
            return promise.status
        before = promise_snapshot(promise)
        paid = promise_paid_minor(promise, as_of=as_of)
        amount_text = format_money(promise.amount_minor, promise.currency)
        if paid >= promise.amount_minor:
            promise.status, promise.closed_on = PromiseStatus.KEPT, as_of
            outcome, text = "kept", _("Promise to pay %(amount)s kept.")
        elif as_of > promise.promised_on:
            promise.status, promise.closed_on = PromiseStatus.BROKEN, as_of
            promise.shortfall_minor = promise.amount_minor - paid
            outcome, text = "broken", _("Promise to pay %(amount)s broken: %(shortfall)s short.")
        else:
            if paid != promise.paid_minor:
                promise.paid_minor, promise.checked_on = paid, as_of
                promise.save(update_fields=["paid_minor", "checked_on"])
            return promise.status
        promise.paid_minor, promise.checked_on = paid, as_of
        promise.save(update_fields=["status", "closed_on", "paid_minor", "shortfall_minor", "checked_on"])
        message = text % {"amount": amount_text, "shortfall": format_money(promise.shortfall_minor, promise.currency)}
        activity_record(customer=promise.customer, kind=ActivityKind.SYSTEM, outcome=outcome, note=message,
                        actor=actor, invoices=promise.invoices.all(), source="promise",
                        source_ref=f"promise:{promise.pk}:{outcome}")
        audit_record(actor=actor, action=f"promise_{outcome}", subject=promise, before=before,
                     after=promise_snapshot(promise))
        if promise.status == PromiseStatus.BROKEN:
            escalate(
                customer=promise.customer, from_level=promise.level, kind=TaskKind.FOLLOW_UP,
                title=_("Broken promise: %(customer)s") % {"customer": promise.customer.name},
                body=message, due_on=as_of, source="promise", source_ref=f"promise:{promise.pk}:broken",
                actor=actor, notify_kind="collections.promise_broken",
            )
        return promise.status


def promises_check(*, as_of: date, actor: Actor = None) -> dict[str, int]:
    """Find every open promise made by ``as_of`` kept (paid in full) or broken (its date passed short of the
    amount). Idempotent: a promise is decided once; running again the same day changes nothing."""
    counts = {"checked": 0, "kept": 0, "broken": 0, "open": 0}
    ids = list(PromiseToPay.objects.filter(status=PromiseStatus.OPEN, made_on__lte=as_of)
               .order_by("promised_on", "pk").values_list("pk", flat=True))
    for pk in ids:
        status = _promise_check_one(pk, as_of=as_of, actor=actor)
        counts["checked"] += 1
        counts[status if status in counts else "open"] += 1
    return counts


@transaction.atomic
def promise_cancel(*, promise: PromiseToPay, actor: Actor, note: str = "") -> PromiseToPay:
    """Withdraw an open promise (recorded by mistake, replaced by an installment plan)."""
    lock_customer(promise.customer_id)
    locked = qs_for_update(PromiseToPay.objects.all()).get(pk=promise.pk)
    if locked.status != PromiseStatus.OPEN:
        raise AlreadyClosed(_("The promise is already %(status)s.") % {"status": locked.get_status_display()},
                            field="promise")
    before = promise_snapshot(locked)
    locked.status, locked.closed_on = PromiseStatus.CANCELLED, timezone.localdate()
    locked.save(update_fields=["status", "closed_on"])
    audit_record(actor=actor, action="promise_cancelled", subject=locked, before=before,
                 after={**promise_snapshot(locked), "note": note})
    return locked
