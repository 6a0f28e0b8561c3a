"""The debtor asset register (财产线索): record a fact about a customer's property; remind legal to refresh the
facts of customers in a legal stage when they are older than the settings' refresh days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.services.common import choice_or_error
from arms.cases.services.tasks import task_create_or_get
from arms.common.actors import user_or_none
from arms.common.attachments import attachment_store
from arms.customers.models import Customer
from arms.dunning.models import DunningAction
from arms.ledger.models import Invoice
from arms.legal.enums import CLOSED, AssetKind
from arms.legal.models import DebtorAsset, LegalCase
from arms.legal.services.common import amount, day, text
from arms.legal.services.settings import legal_settings_for

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from arms.common.typing import Actor
    from arms.customers.models import Company

SOURCE = "legal"


@transaction.atomic
def asset_record(*, actor: Actor, customer: Customer, kind: str, description: str, source: str, fact_date: date,
                 location: str = "",
                 estimated_value_minor: int = 0, encumbrances: str = "", attachment_name: str = "",
                 attachment_bytes: bytes | None = None) -> DebtorAsset:
    choice_or_error(kind, AssetKind, "kind")
    values = {
        "description": text(description, field="description", limit=500, required=True),
        "source": text(source, field="source", limit=200, required=True),
        "location": text(location, field="location", limit=300),
        "encumbrances": text(encumbrances, field="encumbrances", limit=500),
        "estimated_value_minor": amount(estimated_value_minor, field="estimated_value_minor"),
    }
    day(fact_date, field="fact_date", required=True)
    stored = attachment_store(content=attachment_bytes, name=attachment_name or "asset") if attachment_bytes else None
    asset = DebtorAsset.objects.create(customer=customer, kind=kind, fact_date=fact_date, attachment=stored,
                                       created_by=user_or_none(actor), **values)
    audit_record(actor=actor, action="debtor_asset_recorded", subject=asset, after={
        "customer": customer.pk, "kind": kind, "fact_date": fact_date, **values,
        "attachment": stored.sha256 if stored else None})
    return asset


def customers_in_legal_stage() -> QuerySet[Customer]:
    """Customers with a legal case not closed, or dunned at the credit/legal level while they still owe."""
    open_case = LegalCase.objects.filter(customer=OuterRef("pk")).exclude(status__in=[str(s) for s in CLOSED])
    legal_dunning = DunningAction.objects.filter(customer=OuterRef("pk"), level="credit_legal")
    owes = Invoice.objects.filter(customer=OuterRef("pk"), amount_open_minor__gt=0)
    return Customer.objects.filter(Exists(open_case) | (Exists(legal_dunning) & Exists(owes)))


def stale_assets(*, as_of: date, refresh_days: int) -> QuerySet[Customer]:
    """Customers in a legal stage with no asset fact newer than ``refresh_days`` before ``as_of`` (or none at all),
    annotated with ``newest_fact``."""
    cutoff = as_of - timedelta(days=refresh_days)
    fresh = DebtorAsset.objects.filter(customer=OuterRef("pk"), fact_date__gt=cutoff)
    return (customers_in_legal_stage().filter(~Exists(fresh))
            .annotate(newest_fact=Max("debtor_assets__fact_date")).order_by("pk"))


def assets_stale_remind(*, as_of: date, company: Company) -> int:
    """One refresh task per customer and stale period (keyed by the newest fact and the period's number); the
    daily task runs it. Returns how many tasks were made."""
    days = legal_settings_for(company).asset_refresh_days
    made = 0
    for customer in stale_assets(as_of=as_of, refresh_days=days).select_related("company"):
        newest: date | None = customer.newest_fact  # type: ignore[attr-defined]  # annotated by stale_assets
        stale_since = (newest + timedelta(days=days)) if newest else None
        period = 0 if stale_since is None else max(0, (as_of - stale_since).days) // days
        key = f"assets:{customer.pk}:{newest.isoformat() if newest else 'none'}:{period}"
        title = (_("Refresh the asset facts of %(customer)s (newest: %(date)s)") % {
            "customer": customer.name, "date": newest.isoformat() if newest else _("none recorded")})[:200]
        with transaction.atomic():
            _task, created = task_create_or_get(customer=customer, kind="legal_review", title=title,
                                                level="credit_legal", due_on=as_of + timedelta(days=7),
                                                source=SOURCE, source_ref=key)
        made += created
    return made
