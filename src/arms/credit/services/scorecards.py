"""The scorecard in force and the grade policies: data, created from the built-in defaults on first use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.errors import ValidationFailed
from arms.common.inputs import UNSET, ServiceInput
from arms.common.locks import qs_for_update
from arms.credit.enums import Grade, LimitKind
from arms.credit.models import GradePolicy, ScorecardVersion
from arms.domain.scorecard import (
    DEFAULT_POLICIES,
    DEFAULT_SCORECARD,
    Policy,
    Scorecard,
    ScorecardError,
    scorecard_from_dict,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import JsonDict


def scorecard_active() -> ScorecardVersion:
    """The active scorecard version; the built-in default becomes version 1 the first time one is needed.

    Its name and note are data, written in the installation's language (settings.LANGUAGE_CODE), as the default
    dunning ladder's are."""
    active = ScorecardVersion.objects.filter(is_active=True).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            if not ScorecardVersion.objects.exists():
                with translation.override(settings.LANGUAGE_CODE):
                    return ScorecardVersion.objects.create(
                        version=1, name=_("Standard scorecard"), definition=DEFAULT_SCORECARD, is_active=True,
                        note=_("built-in default"),
                    )
    except IntegrityError:
        pass  # a concurrent first use made it
    active = ScorecardVersion.objects.filter(is_active=True).first()
    if active is None:  # versions exist but none is active: take the newest
        newest = ScorecardVersion.objects.order_by("-version").first()
        if newest is None:  # cannot happen: the default was just made, here or by a concurrent first use
            raise RuntimeError("no scorecard version exists")
        ScorecardVersion.objects.filter(pk=newest.pk).update(is_active=True)
        newest.is_active = True
        return newest
    return active


def scorecard_parse(version: ScorecardVersion) -> Scorecard:
    return scorecard_from_dict(version.definition)


@transaction.atomic
def scorecard_version_create(*, actor: User, name: str, definition: JsonDict, note: str = "") -> ScorecardVersion:
    """Validate ``definition`` and make it the next, active version; old ratings keep their version."""
    try:
        scorecard_from_dict(definition)
    except ScorecardError as exc:
        raise ValidationFailed(str(exc), field="definition") from exc
    if not name.strip():
        raise ValidationFailed(_("A scorecard needs a name."), field="name")
    previous = scorecard_active()
    qs_for_update(ScorecardVersion.objects.all()).filter(pk=previous.pk).update(is_active=False)
    number = (ScorecardVersion.objects.aggregate(m=Max("version"))["m"] or 0) + 1
    version = ScorecardVersion.objects.create(
        version=number, name=name.strip(), definition=definition, is_active=True, note=note, created_by=actor
    )
    audit_record(actor=actor, action="credit_scorecard_created", subject=version,
                 before={"active_version": previous.version}, after={"version": number, "note": note})
    return version


def _policy_defaults(policy: Policy) -> JsonDict:
    return {
        "limit_kind": policy.limit_kind, "limit_fixed_minor": policy.limit_fixed_minor,
        "limit_rate": policy.limit_rate, "limit_cap_minor": policy.limit_cap_minor,
        "payment_terms_days": policy.payment_terms_days, "deposit_pct": policy.deposit_pct,
        "guarantee_required": policy.guarantee_required, "discount_pct": policy.discount_pct,
        "discount_days": policy.discount_days, "prepayment_only": policy.prepayment_only,
    }


def grade_policies_ensure() -> dict[str, GradePolicy]:
    rows = {p.grade: p for p in GradePolicy.objects.all()}
    for grade in Grade.values:
        if grade not in rows:
            try:
                with transaction.atomic():
                    rows[grade] = GradePolicy.objects.create(grade=grade, **_policy_defaults(DEFAULT_POLICIES[grade]))
            except IntegrityError:
                rows[grade] = GradePolicy.objects.get(grade=grade)
    return rows


def policy_of(row: GradePolicy) -> Policy:
    return Policy(
        grade=row.grade, limit_kind=row.limit_kind, limit_fixed_minor=row.limit_fixed_minor,
        limit_rate=Decimal(row.limit_rate), limit_cap_minor=row.limit_cap_minor,
        payment_terms_days=row.payment_terms_days, deposit_pct=Decimal(row.deposit_pct),
        guarantee_required=row.guarantee_required, discount_pct=Decimal(row.discount_pct),
        discount_days=row.discount_days, prepayment_only=row.prepayment_only,
    )


def grade_policies() -> dict[str, Policy]:
    return {grade: policy_of(row) for grade, row in grade_policies_ensure().items()}


POLICY_FIELDS = tuple(_policy_defaults(DEFAULT_POLICIES["A"]))


def _policy_snapshot(row: GradePolicy) -> JsonDict:
    return {name: getattr(row, name) for name in POLICY_FIELDS}


@dataclass(frozen=True, kw_only=True)
class GradePolicyFields(ServiceInput):
    """What ``grade_policy_update`` may change of a grade's policy (the fields of ``domain.scorecard.Policy``);
    the service checks the policy they make together."""

    limit_kind: str = UNSET
    limit_fixed_minor: int = UNSET
    limit_rate: Decimal = UNSET
    limit_cap_minor: int | None = UNSET
    payment_terms_days: int = UNSET
    deposit_pct: Decimal = UNSET
    guarantee_required: bool = UNSET
    discount_pct: Decimal = UNSET
    discount_days: int = UNSET
    prepayment_only: bool = UNSET


@transaction.atomic
def grade_policy_update(
    *, actor: User, grade: str, limit_kind: str = UNSET, limit_fixed_minor: int = UNSET,
    limit_rate: Decimal = UNSET, limit_cap_minor: int | None = UNSET, payment_terms_days: int = UNSET,
    deposit_pct: Decimal = UNSET, guarantee_required: bool = UNSET, discount_pct: Decimal = UNSET,
    discount_days: int = UNSET, prepayment_only: bool = UNSET,
) -> GradePolicy:
    """Change what a grade earns (the fields given; the others stay); applies to proposals made from now on
    (audited)."""
    if grade not in Grade.values:
        raise ValidationFailed(_("Unknown grade %(grade)s.") % {"grade": grade}, field="grade")
    fields: dict[str, Any] = GradePolicyFields(
        limit_kind=limit_kind, limit_fixed_minor=limit_fixed_minor, limit_rate=limit_rate,
        limit_cap_minor=limit_cap_minor, payment_terms_days=payment_terms_days, deposit_pct=deposit_pct,
        guarantee_required=guarantee_required, discount_pct=discount_pct, discount_days=discount_days,
        prepayment_only=prepayment_only).given()
    grade_policies_ensure()
    row = qs_for_update(GradePolicy.objects.all()).get(grade=grade)
    before = _policy_snapshot(row)
    for name, value in fields.items():
        setattr(row, name, value)
    if row.limit_kind not in LimitKind.values:
        raise ValidationFailed(_("Unknown limit kind."), field="limit_kind")
    for name in ("limit_fixed_minor", "limit_rate", "limit_cap_minor"):
        value = getattr(row, name)
        if value is not None and value < 0:
            raise ValidationFailed(_("Must not be negative."), field=name)
    for name in ("deposit_pct", "discount_pct"):
        if not 0 <= Decimal(getattr(row, name)) <= 100:
            raise ValidationFailed(_("A percentage is between 0 and 100."), field=name)
    row.updated_by = actor
    row.save()
    audit_record(actor=actor, action="credit_policy_changed", subject=row, before=before,
                 after=_policy_snapshot(row))
    return row
