"""Every write of provisioning: matrix versions, individual assessments, the period-end provision run.

``provision_run_post`` reads, then posts: the open amount of every customer per band on the day (one grouped
query over the open items), the 1231 balance per customer (one grouped query), the assessments in force; the
pure ``arms.domain.provisioning`` computes each customer's required allowance and true-up; one journal entry per
customer with a non-zero true-up is written through ``journal_write``, the lines are bulk inserted and one audit
event for the run carries every entry's seal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record, canonical_text, sha256_hex
from arms.common.actors import user_or_none
from arms.common.attachments import attachment_store
from arms.common.bounds import MAX_NOTE, date_check
from arms.common.errors import Conflict, ErrorCode, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.customers.enums import Industry
from arms.customers.models import Customer
from arms.domain import provisioning as rules
from arms.domain.journal import AccountCode, Line
from arms.domain.money import format_money
from arms.domain.terms import month_end
from arms.ledger.enums import EntryKind
from arms.ledger.seal import journal_seals
from arms.ledger.services.journal import journal_write
from arms.provisioning import selectors
from arms.provisioning.models import IndividualAssessment, ProvisionLine, ProvisionMatrix, ProvisionRun

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Company
    from arms.ledger.models import JournalEntry

#: a run over more customers than this is posted by a background job (arms.provisioning.jobs)
INLINE_LIMIT = 100
CHUNK = 2000


def matrix_error_message(error: rules.MatrixError) -> str:
    """A ``MatrixError`` in the user's words."""
    messages = {
        rules.MatrixError.EMPTY: _("A matrix needs at least one band."),
        rules.MatrixError.TOO_MANY: _("A matrix has at most %(most)s bands."),
        rules.MatrixError.NO_LABEL: _("Every band needs a label."),
        rules.MatrixError.RATE: _("A rate is between 0%% and 100%% (0 to 10000 basis points), not %(rate)s."),
        rules.MatrixError.FIRST_START: _("The first band starts at day 0 (it also takes items not yet due)."),
        rules.MatrixError.GAP: _("This band must start at day %(expected)s, not %(low)s: the days in between "
                                 "would have no band."),
        rules.MatrixError.OVERLAP: _("This band must start at day %(expected)s, not %(low)s: it overlaps the "
                                     "previous band."),
        rules.MatrixError.END_BEFORE_START: _("A band ends on or after the day it starts."),
        rules.MatrixError.OPEN_NOT_LAST: _("Only the last band is open-ended; give this one an end day."),
        rules.MatrixError.LAST_CLOSED: _("The last band is open-ended: leave its end day empty."),
        rules.MatrixError.DAYS: _("Days are whole numbers between 0 and %(most)s."),
        rules.MatrixError.GROUP_RATES: _("Industry %(group)s needs one rate per band (%(bands)s)."),
    }
    return messages[error.code] % {key: value for key, value in error.params.items()}


# --- matrices -----------------------------------------------------------------------------------------------------

def matrix_active(*, company: Company) -> ProvisionMatrix:
    """The company's active matrix; the seeds' stepped matrix becomes version 1 the first time one is needed (its
    name written in the installation's language, as the other built-in defaults are)."""
    active = ProvisionMatrix.objects.filter(company=company, is_active=True).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            if not ProvisionMatrix.objects.filter(company=company).exists():
                with translation.override(settings.LANGUAGE_CODE):
                    data = rules.matrix_as_data(rules.matrix_check(rules.SEED_BANDS))
                    return ProvisionMatrix.objects.create(
                        company=company, version=1, name=_("Stepped provision matrix"), bands=data["bands"],
                        group_rates=data["group_rates"], is_active=True, note=_("built-in default"))
    except IntegrityError:
        pass  # a concurrent first use made it
    active = ProvisionMatrix.objects.filter(company=company, is_active=True).first()
    if active is None:
        newest = ProvisionMatrix.objects.filter(company=company).order_by("-version").first()
        if newest is None:  # cannot happen: the default was just made, here or concurrently
            raise RuntimeError("no provision matrix exists")
        ProvisionMatrix.objects.filter(pk=newest.pk).update(is_active=True)
        newest.is_active = True
        return newest
    return active


def matrix_parse(matrix: ProvisionMatrix) -> rules.Matrix:
    return rules.matrix_check(matrix.bands, matrix.group_rates)


@transaction.atomic
def matrix_version_create(*, actor: Actor, company: Company, name: str, bands: list[dict[str, Any]],
                          group_rates: dict[str, list[int]] | None = None, note: str = "") -> ProvisionMatrix:
    """Check the bands and rates, then make them the company's next, active version; runs keep theirs."""
    name, note = (name or "").strip(), (note or "").strip()
    if not name:
        raise ValidationFailed(_("A matrix needs a name."), field="name")
    if len(name) > 100:
        raise ValidationFailed(_("Keep the name within 100 characters."), field="name")
    if len(note) > 300:
        raise ValidationFailed(_("Keep the note within 300 characters."), field="note")
    try:
        checked = rules.matrix_check(bands, group_rates or {})
    except rules.MatrixError as exc:
        raise ValidationFailed(matrix_error_message(exc), field=exc.field) from None
    unknown = sorted(set(checked.group_rates) - set(Industry.values))
    if unknown:
        raise ValidationFailed(_("%(group)s is not an industry.") % {"group": unknown[0]},
                               field=f"group_rates.{unknown[0]}")
    previous = matrix_active(company=company)
    list(qs_for_update(ProvisionMatrix.objects.filter(company=company)))
    before = {"version": previous.version, "bands": previous.bands, "group_rates": previous.group_rates}
    ProvisionMatrix.objects.filter(company=company, is_active=True).update(is_active=False)
    number = (ProvisionMatrix.objects.filter(company=company).aggregate(m=Max("version"))["m"] or 0) + 1
    data = rules.matrix_as_data(checked)
    made = ProvisionMatrix.objects.create(
        company=company, version=number, name=name, bands=data["bands"], group_rates=data["group_rates"],
        is_active=True, note=note, created_by=user_or_none(actor))
    audit_record(actor=actor, action=AuditAction.PROVISION_MATRIX_CREATED, subject=made, before=before,
                 after={"version": number, "name": name, "bands": data["bands"], "group_rates": data["group_rates"],
                        "note": note})
    return made


# --- individual assessments ---------------------------------------------------------------------------------------

@transaction.atomic
def assessment_record(*, actor: Actor, customer: Customer, reason: str, valid_from: date,
                      rate_bp: int | None = None, amount_minor: int | None = None,
                      evidence_content: bytes | None = None, evidence_name: str = "") -> IndividualAssessment:
    """Assess ``customer`` on its own (单项计提): a rate or an amount, with its reason and evidence. It replaces
    the customer's assessment in force, which ends on ``valid_from``."""
    if (rate_bp is None) == (amount_minor is None):
        raise ValidationFailed(_("Give either a rate or an amount."), field="rate_bp")
    if rate_bp is not None and (isinstance(rate_bp, bool) or not 0 <= rate_bp <= rules.FULL_RATE_BP):
        raise ValidationFailed(_("A rate is between 0%% and 100%% (0 to 10000 basis points), not %(rate)s.")
                               % {"rate": rate_bp}, field="rate_bp")
    if amount_minor is not None and amount_minor <= 0:
        raise ValidationFailed(_("The amount must be more than zero."), field="amount_minor")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why this customer is assessed on its own."), field="reason")
    if len(reason) > MAX_NOTE:
        raise ValidationFailed(_("Keep the reason within %(most)s characters.") % {"most": MAX_NOTE}, field="reason")
    date_check(valid_from, field="valid_from")
    locked = lock_customer(customer.pk)
    current = IndividualAssessment.objects.filter(customer=locked, ended_on__isnull=True).first()
    if current is not None and valid_from <= current.valid_from:
        raise ValidationFailed(
            _("The assessment in force is valid from %(day)s; a new one starts after it.")
            % {"day": current.valid_from}, field="valid_from")
    evidence = attachment_store(content=evidence_content, name=evidence_name or "evidence") \
        if evidence_content else None
    if current is not None:
        current.ended_on = valid_from
        current.save(update_fields=["ended_on"])
    made = IndividualAssessment.objects.create(
        company=locked.company, customer=locked, rate_bp=rate_bp, amount_minor=amount_minor, reason=reason,
        evidence=evidence, evidence_name=(evidence_name or "")[:200] if evidence else "", valid_from=valid_from,
        created_by=user_or_none(actor))
    audit_record(actor=actor, action=AuditAction.PROVISION_ASSESSMENT_RECORDED, subject=made,
                 before={"replaces": current.pk} if current else None,
                 after={"customer": locked.code, "rate_bp": rate_bp, "amount_minor": amount_minor,
                        "valid_from": valid_from.isoformat(), "reason": reason,
                        "evidence": evidence.sha256 if evidence else None})
    return made


@transaction.atomic
def assessment_end(*, actor: Actor, assessment: IndividualAssessment, on: date) -> IndividualAssessment:
    """End an assessment in force: runs as of ``on`` or later use the matrix for the customer again."""
    date_check(on, field="ended_on")
    lock_customer(assessment.customer_id)
    locked = qs_for_update(IndividualAssessment.objects.all()).get(pk=assessment.pk)
    if locked.ended_on is not None:
        raise Conflict(_("This assessment has already ended."), field="ended_on")
    if on <= locked.valid_from:
        raise ValidationFailed(_("An assessment ends after the day it starts (%(day)s).")
                               % {"day": locked.valid_from}, field="ended_on")
    locked.ended_on = on
    locked.save(update_fields=["ended_on"])
    audit_record(actor=actor, action=AuditAction.PROVISION_ASSESSMENT_ENDED, subject=locked,
                 before={"ended_on": None}, after={"ended_on": on.isoformat()})
    return locked


# --- the provision run ----------------------------------------------------------------------------------------------

@dataclass
class CustomerFigures:
    customer_id: int
    group: str
    assessment_id: int | None
    result: rules.Required
    booked_before: int

    @property
    def true_up(self) -> int:
        return rules.true_up(required=self.result.required, booked=self.booked_before)


@dataclass
class Computation:
    """A run's figures before (or without) posting: the preview."""

    as_of: date
    matrix: ProvisionMatrix
    parsed: rules.Matrix
    inputs: dict[str, Any]
    customers: list[CustomerFigures] = field(default_factory=list)

    @property
    def total_open(self) -> int:
        return sum(c.result.open_total for c in self.customers)

    @property
    def total_required(self) -> int:
        return sum(c.result.required for c in self.customers)

    @property
    def total_booked_before(self) -> int:
        return sum(c.booked_before for c in self.customers)

    @property
    def true_up(self) -> int:
        return self.total_required - self.total_booked_before

    def band_totals(self) -> list[dict[str, Any]]:
        totals = []
        for index, band in enumerate(self.parsed.bands):
            totals.append({"label": band.label, "low": band.low, "high": band.high,
                           "rate_bp": band.rate_bp,
                           "open_minor": sum(c.result.open_by_band[index] for c in self.customers),
                           "required_minor": sum(c.result.required_by_band[index] for c in self.customers)})
        return totals


def _assessment_input(assessment: IndividualAssessment) -> dict[str, Any]:
    return {"id": assessment.pk, "customer": assessment.customer_id, "rate_bp": assessment.rate_bp,
            "amount_minor": assessment.amount_minor, "valid_from": assessment.valid_from.isoformat()}


def _domain_assessment(row: dict[str, Any]) -> rules.Assessment:
    return rules.Assessment(rate_bp=row["rate_bp"], amount=row["amount_minor"])


def compute(*, matrix_data: dict[str, Any], assessments: dict[int, dict[str, Any]], groups: dict[int, str],
            opens: dict[int, list[int]], booked: dict[int, int]) -> list[CustomerFigures]:
    """Each customer's figures from the inputs alone (a run and its verification both call this)."""
    parsed = rules.matrix_check(matrix_data["bands"], matrix_data.get("group_rates") or {})
    size = len(parsed.bands)
    result = []
    for customer_id in sorted(set(opens) | set(booked)):
        assessment = assessments.get(customer_id)
        required = rules.required_allowance(
            opens.get(customer_id, [0] * size), matrix=parsed, group=groups.get(customer_id) or None,
            assessment=_domain_assessment(assessment) if assessment else None)
        figures = CustomerFigures(customer_id=customer_id, group=groups.get(customer_id, ""),
                                  assessment_id=assessment["id"] if assessment else None, result=required,
                                  booked_before=booked.get(customer_id, 0))
        if figures.result.open_total or figures.booked_before or figures.result.required:
            result.append(figures)
    return result


def provision_preview(*, company: Company, as_of: date) -> Computation:
    """The run of ``as_of`` computed and posted nowhere: any day, a period end or not."""
    date_check(as_of, field="as_of")
    matrix = matrix_active(company=company)
    parsed = matrix_parse(matrix)
    uppers = [band.high for band in parsed.bands]
    opens = selectors.open_by_customer_band(company=company, as_of=as_of, uppers=uppers)
    booked = selectors.allowance_booked(company=company, as_of=as_of)
    in_force = selectors.assessments_in_force(company=company, as_of=as_of)
    groups = selectors.industries(company=company, customer_ids=set(opens) | set(booked))
    assessments = {cid: _assessment_input(a) for cid, a in in_force.items()}
    matrix_data = {"version": matrix.version, "bands": matrix.bands, "group_rates": matrix.group_rates}
    inputs = {"matrix": matrix_data, "assessments": [assessments[cid] for cid in sorted(assessments)]}
    computation = Computation(as_of=as_of, matrix=matrix, parsed=parsed, inputs=inputs)
    computation.customers = compute(matrix_data=matrix_data, assessments=assessments, groups=groups, opens=opens,
                                    booked=booked)
    return computation


def _digest(inputs: dict[str, Any], lines: list[list[Any]]) -> str:
    return sha256_hex(canonical_text({"inputs": inputs, "lines": lines}))


def _line_record(figures: CustomerFigures) -> list[Any]:
    return [figures.customer_id, figures.group, figures.assessment_id, list(figures.result.open_by_band),
            figures.booked_before]


def _period_posted(company: Company, as_of: date) -> Conflict:
    return Conflict(_("The allowance for %(period)s is already posted.") % {"period": f"{as_of:%Y-%m}"},
                    field="as_of", code=ErrorCode.PROVISION_PERIOD_POSTED)


def _entry_lines(true_up: int) -> list[Line]:
    if true_up > 0:
        return [Line(AccountCode.CREDIT_IMPAIRMENT, debit=true_up), Line(AccountCode.ALLOWANCE, credit=true_up)]
    return [Line(AccountCode.ALLOWANCE, debit=-true_up), Line(AccountCode.CREDIT_IMPAIRMENT, credit=-true_up)]


def post_checks(*, company: Company, as_of: date) -> None:
    """The refusals of posting ``as_of`` that need no figures: a month end, not after today, the period not posted
    yet and no later period posted."""
    date_check(as_of, field="as_of")
    if as_of != month_end(as_of):
        raise ValidationFailed(_("A run is posted for a month end; %(day)s is not one (preview any day).")
                               % {"day": as_of}, field="as_of")
    if as_of > timezone.localdate():
        raise ValidationFailed(_("The period %(period)s has not ended yet.") % {"period": f"{as_of:%Y-%m}"},
                               field="as_of")
    if ProvisionRun.objects.filter(company=company, as_of=as_of).exists():
        raise _period_posted(company, as_of)
    later = ProvisionRun.objects.filter(company=company, as_of__gt=as_of).order_by("-as_of").first()
    if later is not None:
        raise Conflict(_("The allowance for %(later)s is posted already; a run for %(period)s would come after "
                         "it.") % {"later": f"{later.as_of:%Y-%m}", "period": f"{as_of:%Y-%m}"},
                       field="as_of", code=ErrorCode.PROVISION_PERIOD_POSTED)


@transaction.atomic
def provision_run_post(*, actor: Actor, company: Company, as_of: date, progress: Any = None) -> ProvisionRun:
    """Post the allowance of the period ending ``as_of`` (a month end): the true-up of every customer as a journal
    entry (Dr 6702 / Cr 1231 to raise, the reverse to release) and the run with its inputs. Once per period:
    a second run for the same month end is refused (``provision_period_posted``, naming the period)."""
    post_checks(company=company, as_of=as_of)
    computation = provision_preview(company=company, as_of=as_of)
    line_records = [_line_record(c) for c in computation.customers]
    try:
        with transaction.atomic():
            run = ProvisionRun.objects.create(
                company=company, as_of=as_of, matrix=computation.matrix,
                total_open_minor=computation.total_open, total_required_minor=computation.total_required,
                total_booked_before_minor=computation.total_booked_before, true_up_minor=computation.true_up,
                band_totals=computation.band_totals(), customer_count=len(computation.customers),
                inputs=computation.inputs, inputs_sha256=_digest(computation.inputs, line_records),
                posted_by=user_or_none(actor))
    except IntegrityError:  # a concurrent post of the same period won
        raise _period_posted(company, as_of) from None
    memo = _("Allowance for doubtful accounts %(period)s") % {"period": f"{as_of:%Y-%m}"}
    entries: list[JournalEntry] = []
    moving = [c for c in computation.customers if c.true_up]
    total = len(moving)
    entry_of: dict[int, int] = {}
    for start in range(0, total, CHUNK):
        chunk = moving[start:start + CHUNK]
        customers = Customer.objects.only("pk", "company_id").in_bulk([c.customer_id for c in chunk])
        for figures in chunk:
            entry = journal_write(company=company, customer=customers[figures.customer_id], on=as_of,
                                  kind=EntryKind.PROVISION, lines=_entry_lines(figures.true_up), actor=actor,
                                  memo=memo)
            entries.append(entry)
            entry_of[figures.customer_id] = entry.pk
        if progress is not None:
            progress(start + len(chunk), total)
    for start in range(0, len(computation.customers), CHUNK):
        ProvisionLine.objects.bulk_create(
            ProvisionLine(run=run, customer_id=c.customer_id, group=c.group, basis=c.result.basis,
                          assessment_id=c.assessment_id, open_by_band=list(c.result.open_by_band),
                          rate_by_band=list(c.result.rate_by_band), required_by_band=list(c.result.required_by_band),
                          open_minor=c.result.open_total, required_minor=c.result.required,
                          booked_before_minor=c.booked_before, true_up_minor=c.true_up,
                          entry_id=entry_of.get(c.customer_id))
            for c in computation.customers[start:start + CHUNK])
    audit_record(actor=actor, action=AuditAction.PROVISION_RUN_POSTED, subject=run,
                 before={"booked_minor": run.total_booked_before_minor},
                 after={"as_of": as_of.isoformat(), "matrix_version": computation.matrix.version,
                        "required_minor": run.total_required_minor, "true_up_minor": run.true_up_minor,
                        "customers": run.customer_count, "entries": len(entries), "inputs_sha256": run.inputs_sha256},
                 seals=journal_seals(*entries))
    return run


def run_is_large(computation: Computation) -> bool:
    return len(computation.customers) > INLINE_LIMIT


# --- verification ---------------------------------------------------------------------------------------------------

@dataclass
class Verification:
    """``digest_ok``: the stored figures hash to the stored digest; ``recomputed``: customers whose stored required
    or true-up differs from a recomputation from the stored inputs; ``ledger``: customers whose open amounts or
    booked-before differ from what the ledger shows for the day now (documents dated back since the run)."""

    digest_ok: bool
    recomputed: list[int]
    ledger: list[int]

    @property
    def ok(self) -> bool:
        return self.digest_ok and not self.recomputed


def provision_run_verify(run: ProvisionRun) -> Verification:
    """Recompute ``run`` from its stored inputs and compare; then compare its inputs with the ledger of today."""
    lines = list(ProvisionLine.objects.filter(run=run).order_by("customer_id").values(
        "customer_id", "group", "assessment_id", "open_by_band", "booked_before_minor", "required_minor",
        "true_up_minor"))
    records = [[x["customer_id"], x["group"], x["assessment_id"], list(x["open_by_band"]), x["booked_before_minor"]]
               for x in lines]
    digest_ok = _digest(run.inputs, records) == run.inputs_sha256
    assessments = {row["customer"]: row for row in run.inputs.get("assessments", [])}
    figures = {f.customer_id: f for f in compute(
        matrix_data=run.inputs["matrix"], assessments=assessments,
        groups={x["customer_id"]: x["group"] for x in lines},
        opens={x["customer_id"]: list(x["open_by_band"]) for x in lines},
        booked={x["customer_id"]: x["booked_before_minor"] for x in lines})}
    recomputed = []
    for x in lines:
        again = figures.get(x["customer_id"])
        required = again.result.required if again else 0
        true_up = again.true_up if again else -x["booked_before_minor"]
        if required != x["required_minor"] or true_up != x["true_up_minor"]:
            recomputed.append(x["customer_id"])
    parsed = rules.matrix_check(run.inputs["matrix"]["bands"], run.inputs["matrix"].get("group_rates") or {})
    opens = selectors.open_by_customer_band(company=run.company, as_of=run.as_of,
                                            uppers=[band.high for band in parsed.bands])
    # what was booked before the run: the day's 1231 balance less the run's own entries
    booked = selectors.allowance_booked(company=run.company, as_of=run.as_of)
    stored = {x["customer_id"]: x for x in lines}
    ledger = []
    for customer_id in sorted(set(opens) | set(stored) | set(booked)):
        row = stored.get(customer_id)
        open_now = opens.get(customer_id, [0] * len(parsed.bands))
        booked_now = booked.get(customer_id, 0) - (row["true_up_minor"] if row else 0)
        if row is None:
            if any(open_now) or booked_now:
                ledger.append(customer_id)
        elif list(row["open_by_band"]) != open_now or row["booked_before_minor"] != booked_now:
            ledger.append(customer_id)
    return Verification(digest_ok=digest_ok, recomputed=recomputed, ledger=ledger)


def true_up_text(amount: int) -> str:
    """A true-up in a sentence: raise or release, and how much."""
    if amount >= 0:
        return _("raise the allowance by %(amount)s") % {"amount": format_money(amount)}
    return _("release %(amount)s of the allowance") % {"amount": format_money(-amount)}
