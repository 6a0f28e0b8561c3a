"""Dunning policies and their ladders, customer exclusions and per-customer settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import Level, TaskKind
from arms.common.actors import user_or_none
from arms.common.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from arms.common.inputs import UNSET, ServiceInput
from arms.common.locks import lock_customer, qs_for_update
from arms.customers.enums import Industry, Region
from arms.customers.models import Customer
from arms.domain.dunning import StageRule, ladder_problems
from arms.dunning.models import (
    STAGE_TASK_CHOICES,
    DunningAction,
    DunningExclusion,
    DunningPolicy,
    DunningProfile,
    DunningStage,
    EmailTemplate,
    Language,
    LetterKind,
)

if TYPE_CHECKING:

    from arms.common.typing import Actor, JsonDict

STAGE_FIELDS = ("code", "name", "offset_days", "level", "send_email", "email_template", "attach_statement",
                "letter_kind", "task_kind", "stop_supply", "deadline_days")


def default_ladder() -> list[JsonDict]:
    """The ladder of issue #4: -7 friendly reminder; +1 reminder e-mail; +15 call by the salesperson; +30 formal
    letter and escalation to finance; +60 visit and stop supply; +90 lawyer's letter and legal review; +180
    hand-off to an agency or litigation."""
    return [
        {"code": "pre_due", "name": _("Friendly reminder"), "offset_days": -7, "level": Level.SALES,
         "send_email": True, "email_template": EmailTemplate.PRE_DUE, "attach_statement": True, "deadline_days": 7},
        {"code": "reminder", "name": _("Payment reminder"), "offset_days": 1, "level": Level.SALES,
         "send_email": True, "email_template": EmailTemplate.OVERDUE, "attach_statement": True, "deadline_days": 7},
        {"code": "call", "name": _("Call by the salesperson"), "offset_days": 15, "level": Level.SALES,
         "task_kind": TaskKind.CALL, "deadline_days": 3},
        {"code": "letter", "name": _("Formal dunning letter"), "offset_days": 30, "level": Level.FINANCE,
         "send_email": True, "email_template": EmailTemplate.LETTER, "letter_kind": LetterKind.LETTER,
         "task_kind": TaskKind.FOLLOW_UP, "deadline_days": 10},
        {"code": "stop_supply", "name": _("Visit and stop supply"), "offset_days": 60, "level": Level.FINANCE,
         "task_kind": TaskKind.VISIT, "stop_supply": True, "deadline_days": 7},
        {"code": "lawyer_letter", "name": _("Lawyer's letter"), "offset_days": 90, "level": Level.CREDIT_LEGAL,
         "send_email": True, "email_template": EmailTemplate.LAWYER_LETTER, "letter_kind": LetterKind.LAWYER_LETTER,
         "task_kind": TaskKind.LEGAL_REVIEW, "deadline_days": 7},
        {"code": "handoff", "name": _("Hand-off to agency or litigation"), "offset_days": 180,
         "level": Level.CREDIT_LEGAL, "task_kind": TaskKind.HANDOFF, "deadline_days": 14},
    ]


@dataclass(frozen=True, kw_only=True)
class PolicyFields(ServiceInput):
    """A dunning policy's own fields (its ladder apart) as ``policy_create`` and ``policy_update`` take them.
    ``clean()`` is the one place they are checked."""

    name: str = UNSET
    description: str = UNSET
    grade: str = UNSET
    industry: str = UNSET
    region: str = UNSET
    priority: int = UNSET
    grace_days: int = UNSET
    is_active: bool = UNSET

    def clean(self) -> dict[str, Any]:
        """The given fields (the name stripped); raises naming the first bad one."""
        cleaned = self.given()
        if "name" in cleaned:
            cleaned["name"] = (cleaned["name"] or "").strip()
            if not cleaned["name"]:
                raise ValidationFailed(_("A policy needs a name."), field="name")
        if cleaned.get("grade", "") not in ("", "A", "B", "C", "D"):
            raise ValidationFailed(_("The grade is A, B, C, D or blank for any."), field="grade")
        if cleaned.get("industry", "") not in ("", *Industry.values):
            raise ValidationFailed(_("Unknown industry."), field="industry")
        if cleaned.get("region", "") not in ("", *Region.values):
            raise ValidationFailed(_("Unknown region."), field="region")
        return cleaned


POLICY_FIELDS = PolicyFields.names()


def policy_snapshot(policy: DunningPolicy) -> JsonDict:
    data = {name: getattr(policy, name) for name in ("code", *POLICY_FIELDS)}
    data["stages"] = [{name: getattr(s, name) for name in STAGE_FIELDS} for s in policy.stages.order_by("offset_days")]
    return data


def _clean_stages(stages: list[JsonDict]) -> list[JsonDict]:
    if not stages:
        raise ValidationFailed(_("A policy needs at least one stage."), field="stages")
    cleaned = []
    for i, raw in enumerate(stages):
        stage = {name: raw[name] for name in STAGE_FIELDS if name in raw}
        for name in ("code", "name", "offset_days"):
            if stage.get(name) in (None, ""):
                raise ValidationFailed(_("This field is required."), field=f"stages[{i}].{name}")
        if not -365 <= stage["offset_days"] <= 3650:
            raise ValidationFailed(_("Between -365 and 3650 days."), field=f"stages[{i}].offset_days")
        for name, values in (("level", Level.values), ("email_template", EmailTemplate.values),
                             ("letter_kind", LetterKind.values),
                             ("task_kind", [code for code, _label in STAGE_TASK_CHOICES])):
            if name in stage and stage[name] not in values:
                raise ValidationFailed(_("Use one of %(choices)s.") % {"choices": ", ".join(values)},
                                       field=f"stages[{i}].{name}")
        cleaned.append(stage)
    problems = ladder_problems([StageRule(s["code"], s["offset_days"], s.get("level", Level.SALES)) for s in cleaned])
    if problems:
        messages = {
            "duplicate_offset": _("Two stages fall on the same day."),
            "duplicate_code": _("Two stages have the same code."),
            "level_steps_down": _("Escalation never steps down: sales, then finance, then credit and legal."),
            "unknown_level": _("Unknown escalation level."),
        }
        raise ValidationFailed(messages[problems[0]], field="stages", code=ErrorCode(f"ladder_{problems[0]}"))
    return cleaned


def _write_stages(policy: DunningPolicy, stages: list[JsonDict]) -> None:
    """Make the policy's ladder exactly ``stages`` (matched by code). A stage that was acted on stays on record:
    it can be changed, not removed."""
    existing = {s.code: s for s in policy.stages.all()}
    wanted = {s["code"] for s in stages}
    for code, stage in existing.items():
        if code not in wanted:
            if DunningAction.objects.filter(stage=stage).exists():
                raise Conflict(_("Stage %(code)s was acted on and cannot be removed; change it instead.")
                               % {"code": code}, field="stages", code=ErrorCode.STAGE_IN_USE)
            stage.delete()
    # park the offsets of kept stages first, so moving stages past each other cannot trip the unique constraint
    for i, stage in enumerate(s for c, s in existing.items() if c in wanted):
        DunningStage.objects.filter(pk=stage.pk).update(offset_days=-365 + i)
    for data in stages:
        stage = existing.get(data["code"]) or DunningStage(policy=policy, code=data["code"])
        for name, value in data.items():
            setattr(stage, name, value)
        stage.save()


@transaction.atomic
def policy_create(*, actor: Actor, code: str, stages: list[JsonDict], name: str = UNSET, description: str = UNSET,
                  grade: str = UNSET, industry: str = UNSET, region: str = UNSET, priority: int = UNSET,
                  grace_days: int = UNSET, is_active: bool = UNSET) -> DunningPolicy:
    """A new policy with its ladder; named after its code unless a name is given, the other fields default to the
    model's."""
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(_("A policy needs a code."), field="code")
    cleaned = PolicyFields(
        name=code if name is UNSET else name, description=description, grade=grade, industry=industry,
        region=region, priority=priority, grace_days=grace_days, is_active=is_active).clean()
    ladder = _clean_stages(stages)
    try:
        with transaction.atomic():
            policy = DunningPolicy.objects.create(code=code, **cleaned)
    except IntegrityError:
        raise Conflict(_("A policy with the code %(code)s exists.") % {"code": code}, field="code",
                       code=ErrorCode.DUPLICATE_CODE) from None
    _write_stages(policy, ladder)
    audit_record(actor=actor, action="dunning_policy_created", subject=policy, after=policy_snapshot(policy))
    return policy


@transaction.atomic
def policy_update(*, actor: Actor, policy: DunningPolicy, stages: list[JsonDict] | None = None, name: str = UNSET,
                  description: str = UNSET, grade: str = UNSET, industry: str = UNSET, region: str = UNSET,
                  priority: int = UNSET, grace_days: int = UNSET, is_active: bool = UNSET) -> DunningPolicy:
    """Change the fields given (the others stay) and, with ``stages``, make the ladder exactly those."""
    cleaned = PolicyFields(
        name=name, description=description, grade=grade, industry=industry, region=region, priority=priority,
        grace_days=grace_days, is_active=is_active).clean()
    locked = qs_for_update(DunningPolicy.objects.all()).get(pk=policy.pk)
    before = policy_snapshot(locked)
    for field_name, value in cleaned.items():
        setattr(locked, field_name, value)
    locked.save()
    if stages is not None:
        _write_stages(locked, _clean_stages(stages))
    audit_record(actor=actor, action="dunning_policy_changed", subject=locked, before=before,
                 after=policy_snapshot(locked))
    return locked


def policy_ensure_default(*, actor: Actor = None) -> DunningPolicy:
    """The standard policy (any grade, any customer) with the default ladder; made once, then left alone.

    Its names are data, written in the installation's language (settings.LANGUAGE_CODE, zh-hans by default)."""
    existing = DunningPolicy.objects.filter(code="standard").first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        return policy_create(actor=actor, code="standard", name=_("Standard dunning"), priority=100,
                             description=_("The default ladder for every customer no other policy matches."),
                             stages=default_ladder())


# ---------------------------------------------------------------- exclusions and profiles


def exclusion_snapshot(exclusion: DunningExclusion) -> JsonDict:
    return {"customer": exclusion.customer_id, "reason": exclusion.reason, "until": exclusion.until,
            "lifted_at": exclusion.lifted_at, "lift_note": exclusion.lift_note}


@transaction.atomic
def exclusion_add(*, customer: Customer, reason: str, until: date | None = None, actor: Actor) -> DunningExclusion:
    """Keep a customer out of dunning (a negotiation, a strategic account, insolvency proceedings), saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the customer is not dunned."), field="reason")
    if until is not None and until < timezone.localdate():
        raise ValidationFailed(_("The exclusion would already be over."), field="until")
    lock_customer(customer.pk)
    if DunningExclusion.objects.filter(customer=customer, lifted_at__isnull=True).exists():
        raise Conflict(_("The customer is already excluded from dunning."), field="customer",
                       code=ErrorCode.ALREADY_EXCLUDED)
    exclusion = DunningExclusion.objects.create(customer=customer, reason=reason, until=until,
                                                created_by=user_or_none(actor))
    audit_record(actor=actor, action="dunning_exclusion_added", subject=exclusion, after=exclusion_snapshot(exclusion))
    return exclusion


@transaction.atomic
def exclusion_lift(*, exclusion: DunningExclusion, actor: Actor, note: str = "") -> DunningExclusion:
    locked = qs_for_update(DunningExclusion.objects.all()).get(pk=exclusion.pk)
    if locked.lifted_at is not None:
        raise Conflict(_("The exclusion was already lifted."), code=ErrorCode.ALREADY_LIFTED)
    before = exclusion_snapshot(locked)
    locked.lifted_at = timezone.now()
    locked.lifted_by = user_or_none(actor)
    locked.lift_note = (note or "").strip()[:300]
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    audit_record(actor=actor, action="dunning_exclusion_lifted", subject=locked, before=before,
                 after=exclusion_snapshot(locked))
    return locked


@transaction.atomic
def profile_set(*, customer: Customer, actor: Actor, language: str = "", policy: DunningPolicy | None = None
                ) -> DunningProfile:
    """The customer's language for letters and e-mails, and a policy for this customer alone (or none)."""
    if language not in ("", *Language.values):
        raise ValidationFailed(_("Use zh-hans, en or blank."), field="language")
    if policy is not None and not DunningPolicy.objects.filter(pk=policy.pk).exists():
        raise NotFound(_("Policy not found."), field="policy_id")
    profile, _created = qs_for_update(DunningProfile.objects.all()).get_or_create(customer=customer)
    before = {"language": profile.language, "policy": profile.policy_id}
    profile.language = language
    profile.policy = policy
    profile.save()
    audit_record(actor=actor, action="dunning_profile_set", subject=profile, before=before,
                 after={"language": language, "policy": policy.pk if policy else None})
    return profile


