"""The credit file: registration and external facts, yearly financial figures, the overdue-block settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.errors import ValidationFailed
from arms.common.inputs import UNSET, ServiceInput
from arms.common.locks import lock_customer, qs_for_update
from arms.credit.enums import BureauRating
from arms.credit.models import CreditProfile, FinancialStatement

if TYPE_CHECKING:

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer


@dataclass(frozen=True, kw_only=True)
class CreditFileFields(ServiceInput):
    """What ``credit_file_update`` may change (grade, limit and terms change only through proposals and
    requests). ``clean()`` is the one place they are checked. None clears a fact (it becomes unknown); a text
    becomes empty; the guarantees and the overdue-block settings cannot be cleared."""

    established_on: date | None = UNSET
    registered_capital_minor: int | None = UNSET
    legal_representative: str | None = UNSET
    business_scope: str | None = UNSET
    bureau_rating: str | None = UNSET
    bureau_name: str | None = UNSET
    lawsuits_count: int | None = UNSET
    dishonest_debtor: bool | None = UNSET
    business_abnormal: bool | None = UNSET
    guarantees_note: str | None = UNSET
    external_checked_on: date | None = UNSET
    overdue_block_days: int = UNSET
    overdue_block_min_minor: int = UNSET

    def clean(self) -> dict[str, Any]:
        """The given fields (texts cleared to ""); raises naming the first bad one."""
        fields = self.given()
        for name in ("registered_capital_minor", "overdue_block_min_minor",
                     "lawsuits_count", "overdue_block_days"):
            value = fields.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValidationFailed(_("Must be a whole number, not negative."), field=name)
        if fields.get("overdue_block_days") is not None and fields["overdue_block_days"] > 3650:
            raise ValidationFailed(_("At most 3650 days."), field="overdue_block_days")
        if fields.get("lawsuits_count") is not None and fields["lawsuits_count"] > 32767:
            raise ValidationFailed(_("Too many."), field="lawsuits_count")
        rating = fields.get("bureau_rating")
        if rating not in (None, "") and rating not in BureauRating.values:
            raise ValidationFailed(_("Unknown bureau rating."), field="bureau_rating")
        for name in ("overdue_block_min_minor",):
            if name in fields and fields[name] is None:
                raise ValidationFailed(_("This field is required."), field=name)
        if "overdue_block_days" in fields and fields["overdue_block_days"] is None:
            raise ValidationFailed(_("This field is required."), field="overdue_block_days")
        for name in ("legal_representative", "bureau_name", "guarantees_note", "business_scope"):
            if name in fields and fields[name] is None:
                fields[name] = ""
        return fields


#: what ``credit_file_update`` may change
FILE_FIELDS = CreditFileFields.names()


def credit_profile_ensure(customer: Customer) -> CreditProfile:
    """The customer's profile, made (ungraded, no limit: not under credit control) if it has none yet."""
    profile, _created = CreditProfile.objects.get_or_create(
        customer=customer,
        defaults={"currency": customer.currency, "payment_terms_days": customer.payment_terms_days},
    )
    return profile


def profile_snapshot(profile: CreditProfile, names: Iterable[str] | None = None) -> JsonDict:
    names = names or (
        "grade", "score", "limit_minor", "currency", "payment_terms_days", "deposit_pct", "guarantee_required",
        "discount_pct", "discount_days", "prepayment_only", "next_review_on",
    )
    return {name: getattr(profile, name) for name in names}



@transaction.atomic
def credit_file_update(
    *, customer: Customer, actor: Actor, established_on: date | None = UNSET,
    registered_capital_minor: int | None = UNSET, legal_representative: str | None = UNSET,
    business_scope: str | None = UNSET, bureau_rating: str | None = UNSET, bureau_name: str | None = UNSET,
    lawsuits_count: int | None = UNSET, dishonest_debtor: bool | None = UNSET, business_abnormal: bool | None = UNSET,
    guarantees_note: str | None = UNSET, external_checked_on: date | None = UNSET,
    overdue_block_days: int = UNSET, overdue_block_min_minor: int = UNSET,
) -> CreditProfile:
    """Change the registration and external facts given (the others stay as they are) of a credit file (audited
    with before and after). The guarantees held are not among them: they come from the guarantees register
    (``arms.credit.services.guarantees``)."""
    fields = CreditFileFields(
        established_on=established_on, registered_capital_minor=registered_capital_minor,
        legal_representative=legal_representative, business_scope=business_scope, bureau_rating=bureau_rating,
        bureau_name=bureau_name, lawsuits_count=lawsuits_count, dishonest_debtor=dishonest_debtor,
        business_abnormal=business_abnormal,
        guarantees_note=guarantees_note, external_checked_on=external_checked_on,
        overdue_block_days=overdue_block_days, overdue_block_min_minor=overdue_block_min_minor).clean()
    lock_customer(customer.pk)
    profile = credit_profile_ensure(customer)
    profile = qs_for_update(CreditProfile.objects.all()).get(pk=profile.pk)
    before = profile_snapshot(profile, fields.keys())
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.updated_by = user_or_none(actor)
    profile.save(update_fields=[*fields.keys(), "updated_by", "updated_at"])
    audit_record(actor=actor, action="credit_file_updated", subject=profile, before=before,
                 after=profile_snapshot(profile, fields.keys()))
    return profile


@dataclass(frozen=True, kw_only=True)
class StatementFigures(ServiceInput):
    """One fiscal year's figures (CNY fen) as ``financial_statement_save`` takes them; None: unknown. ``clean()``
    is the one place they are checked."""

    total_assets_minor: int | None = UNSET
    total_liabilities_minor: int | None = UNSET
    current_assets_minor: int | None = UNSET
    current_liabilities_minor: int | None = UNSET
    revenue_minor: int | None = UNSET
    net_profit_minor: int | None = UNSET
    operating_cash_flow_minor: int | None = UNSET

    def clean(self) -> dict[str, int | None]:
        """The given figures; raises naming the first bad one."""
        figures = self.given()
        for name, value in figures.items():
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationFailed(_("An amount is a whole number of fen."), field=name)
            if abs(value) > 10**17:
                raise ValidationFailed(_("The amount is too large."), field=name)
            if value < 0 and name not in ("net_profit_minor", "operating_cash_flow_minor"):
                raise ValidationFailed(_("Must not be negative."), field=name)
        return figures


FIGURE_FIELDS = StatementFigures.names()


@transaction.atomic
def financial_statement_save(
    *, customer: Customer, actor: Actor, fiscal_year: int, audited: bool = False, source: str = "",
    total_assets_minor: int | None = UNSET, total_liabilities_minor: int | None = UNSET,
    current_assets_minor: int | None = UNSET, current_liabilities_minor: int | None = UNSET,
    revenue_minor: int | None = UNSET, net_profit_minor: int | None = UNSET,
    operating_cash_flow_minor: int | None = UNSET,
) -> FinancialStatement:
    """Enter or correct one fiscal year's figures (CNY fen); the figures not given stay as they are, None makes
    one unknown (audited)."""
    if (isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int)
            or not 1900 <= fiscal_year <= date.today().year + 1):
        raise ValidationFailed(_("Enter a fiscal year such as 2025."), field="fiscal_year")
    figures = StatementFigures(
        total_assets_minor=total_assets_minor, total_liabilities_minor=total_liabilities_minor,
        current_assets_minor=current_assets_minor, current_liabilities_minor=current_liabilities_minor,
        revenue_minor=revenue_minor, net_profit_minor=net_profit_minor,
        operating_cash_flow_minor=operating_cash_flow_minor).clean()
    lock_customer(customer.pk)
    credit_profile_ensure(customer)
    statement = FinancialStatement.objects.filter(customer=customer, fiscal_year=fiscal_year).first()
    before = {name: getattr(statement, name) for name in FIGURE_FIELDS} if statement else None
    if statement is None:
        statement = FinancialStatement(customer=customer, fiscal_year=fiscal_year)
    for name in FIGURE_FIELDS:
        if name in figures:
            setattr(statement, name, figures[name])
    statement.audited = audited
    statement.source = source or ""
    statement.entered_by = user_or_none(actor)
    statement.save()
    audit_record(actor=actor, action="credit_financials_saved", subject=statement, before=before,
                 after={**{name: getattr(statement, name) for name in FIGURE_FIELDS}, "fiscal_year": fiscal_year,
                        "audited": audited, "source": statement.source})
    return statement
