"""What matching and applying share: a company's cash-application settings (created with the defaults the first
time a run needs them), the matcher's rules made from them, and how a payer's account number is compared."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from arms.bank.models import CashSettings
from arms.domain.cashapp import Rules

if TYPE_CHECKING:
    from arms.customers.models import Company


def cash_settings_for(company: Company) -> CashSettings:
    """The company's cash-application settings, created with the defaults the first time they are needed."""
    found, _created = CashSettings.objects.get_or_create(company=company)
    return found


def rules_for(settings: CashSettings) -> Rules:
    return Rules(
        threshold=settings.auto_threshold,
        charge_tolerance=settings.charge_tolerance_minor,
        charge_share_bp=settings.charge_share_bp,
    )


def account_key(account: str) -> str:
    """An account number as the matcher compares it: Latin letters and digits only, upper case, after NFKC
    (spaces, dashes and full-width digits vary by bank)."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", account or "").upper())
