"""limitation_alerts: tell the collector and legal that claims are close to the end of their limitation period.

At each threshold of the settings (180, 90, 30 days before expiry) a claim alerts once per clock period: the
``LimitationAlert`` row is keyed by (invoice, threshold, expiry date), so an interruption, which moves the expiry
date, re-arms every threshold. A customer's claims that reach a threshold on one day make one notification to
its collector and to legal and one collection task for the collector (keyed, so a second run makes none). A claim
first seen when several thresholds are already reached alerts once, at the smallest of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.roles import Role
from arms.cases.enums import Level, TaskKind
from arms.cases.services import task_create
from arms.common.notify import notify
from arms.customers.models import Customer
from arms.limitation.enums import Status
from arms.limitation.models import LimitationAlert, LimitationClock
from arms.limitation.services.settings import limitation_settings_for

if TYPE_CHECKING:
    from arms.customers.models import Company

TASK_SOURCE = "limitation"
CHUNK = 500


def _legal_users() -> list[Any]:
    return list(get_user_model().objects.filter(groups__name=Role.LEGAL, is_active=True).order_by("pk"))


@transaction.atomic
def limitation_alerts(*, company: Company, today: date | None = None, actor: Any = None) -> dict[str, int]:
    """Send today's alerts; returns the number of claims alerted and of customers told."""
    today = today or timezone.localdate()
    thresholds = sorted({int(d) for d in limitation_settings_for(company).alert_days}, reverse=True)
    if not thresholds:
        return {"claims": 0, "customers": 0}
    # claims still open whose expiry is at most the largest threshold away, each with the expiry it alerts about
    open_clocks = (LimitationClock.objects.filter(
        company=company, status__in=(Status.RUNNING, Status.EXPIRING), expires_on__gte=today,
        expires_on__lte=today + timedelta(days=thresholds[0]))
        .values_list("invoice_id", "customer_id", "expires_on", "invoice__number").order_by("customer_id", "pk"))
    reached: dict[tuple[int, int, date, str], list[int]] = defaultdict(list)
    for days in thresholds:
        already = LimitationAlert.objects.filter(invoice_id=OuterRef("invoice_id"), days=days,
                                                 expires_on=OuterRef("expires_on"))
        for row in open_clocks.filter(expires_on__lte=today + timedelta(days=days)).exclude(Exists(already)):
            reached[row].append(days)
    if not reached:
        return {"claims": 0, "customers": 0}
    LimitationAlert.objects.bulk_create(
        [LimitationAlert(invoice_id=row[0], days=days, expires_on=row[2], sent_on=today)
         for row, all_days in reached.items() for days in all_days], ignore_conflicts=True)
    by_customer: dict[int, list[tuple[str, date, int]]] = defaultdict(list)
    for (_invoice, customer_id, expires_on, number), all_days in reached.items():
        by_customer[customer_id].append((number, expires_on, min(all_days)))
    legal = _legal_users()
    for customer in _customers(company, sorted(by_customer)):
        claims = sorted(by_customer[customer.pk], key=lambda c: c[1])
        days = min(c[2] for c in claims)
        first_expiry = claims[0][1]
        subject = _("Limitation period ends within %(days)s days: %(customer)s") % {
            "days": days, "customer": customer.name}
        body = "\n".join(_("%(number)s expires on %(day)s") % {"number": number, "day": expires_on.isoformat()}
                         for number, expires_on, _d in claims)
        link = reverse("limitation:customer", args=[customer.pk])
        notify([customer.collector, *legal], subject=subject, body=body, link=link, kind="limitation.expiring")
        task_create(customer=customer, kind=TaskKind.FOLLOW_UP, title=subject[:200], level=Level.FINANCE,
                    due_on=min(first_expiry, today + timedelta(days=7)), source=TASK_SOURCE,
                    source_ref=f"{customer.pk}:{days}:{first_expiry.isoformat()}", actor=actor)
    return {"claims": len(reached), "customers": len(by_customer)}


def _customers(company: Company, ids: list[int]) -> Iterator[Customer]:
    """The customers alerted, with their collectors, read in chunks of ``CHUNK`` ids (a bounded IN list)."""
    for start in range(0, len(ids), CHUNK):
        yield from (Customer.objects.filter(company=company, pk__in=ids[start:start + CHUNK])
                    .select_related("collector").order_by("pk"))
