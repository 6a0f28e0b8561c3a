"""legal_settings_for / legal_settings_update: who issues lawyer's letters, the asset refresh days."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.services.common import choice_or_error
from arms.common.errors import ValidationFailed
from arms.common.locks import lock_one
from arms.legal.enums import IssuerMode
from arms.legal.models import LegalSettings
from arms.legal.services.common import amount, text

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Company

FIELDS = ("issuer_mode", "firm_name", "lawyer_name", "licence_number", "firm_address", "firm_phone",
          "asset_refresh_days", "settlement_legal_limit_minor")


def legal_settings_for(company: Company) -> LegalSettings:
    settings, _created = LegalSettings.objects.get_or_create(company=company)
    return settings


def letter_issuer(*, company: Company) -> dict[str, str]:
    """The ``dunning.letter_issuer`` hook: the company's configured issuer (own legal department by default)."""
    found = LegalSettings.objects.filter(company=company).first()
    return found.as_issuer() if found else {"mode": IssuerMode.OWN_LEGAL.value}


@transaction.atomic
def legal_settings_update(*, actor: Actor, company: Company, issuer_mode: str, firm_name: str = "",
                          lawyer_name: str = "",
                          licence_number: str = "", firm_address: str = "", firm_phone: str = "",
                          asset_refresh_days: int = 90, settlement_legal_limit_minor: int = 5_000_000
                          ) -> LegalSettings:
    choice_or_error(issuer_mode, IssuerMode, "issuer_mode")
    refresh_days = int(asset_refresh_days)
    if not 1 <= refresh_days <= 3650:
        raise ValidationFailed(_("Between 1 and 3650 days."), field="asset_refresh_days")
    values: dict[str, object] = {
        "issuer_mode": issuer_mode,
        "firm_name": text(firm_name, field="firm_name", limit=200, required=issuer_mode == IssuerMode.LAW_FIRM),
        "lawyer_name": text(lawyer_name, field="lawyer_name", limit=100, required=issuer_mode == IssuerMode.LAW_FIRM),
        "licence_number": text(licence_number, field="licence_number", limit=40,
                               required=issuer_mode == IssuerMode.LAW_FIRM),
        "firm_address": text(firm_address, field="firm_address", limit=300),
        "firm_phone": text(firm_phone, field="firm_phone", limit=40),
        "asset_refresh_days": refresh_days,
        "settlement_legal_limit_minor": amount(settlement_legal_limit_minor, field="settlement_legal_limit_minor"),
    }
    legal_settings_for(company)
    settings: LegalSettings = lock_one(LegalSettings.objects.all(), company=company)
    before = {name: getattr(settings, name) for name in FIELDS}
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    audit_record(actor=actor, action="legal_settings_changed", subject=settings, before=before, after=values)
    return settings
