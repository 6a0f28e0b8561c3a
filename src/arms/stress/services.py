"""Every write of stress tests: scenarios, the settings, and a scenario's run.

``scenario_run`` reads the book as of a day, computes base and stressed figures (``stress_compute``) and stores
them as one ``ScenarioRun``: the 13-week cash-in forecast through ``arms.forecast.selectors.forecast_compute``
(the stressed one with a transform that drops the defaulted customers' items, delays the slipped and migrating
ones and revalues the shocked currency), the cash position week by week against the settings, the overdue and
bad-debt ratios as analytics defines them, and the required allowance through provisioning's own computation
(the matrix, the assessments, the allowance booked) with the defaulted customers at 100% and the slipped items in
the bands of their stressed age.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from arms.analytics.kpis import bad_debts, credit_sales
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.bounds import MAX_NOTE, amount_check, date_check, text_check
from arms.common.errors import ValidationFailed
from arms.common.locks import lock_one
from arms.customers.models import Customer
from arms.domain import stress as rules
from arms.domain.money import format_money
from arms.forecast.selectors import forecast_compute
from arms.prediction.selectors import Outlook, open_item_outlook
from arms.provisioning import selectors as provisioning_selectors
from arms.provisioning import services as provisioning
from arms.stress import selectors
from arms.stress.models import Scenario, ScenarioRun, StressSettings
from arms.web.templatetags.arms_web import bp_percent

if TYPE_CHECKING:
    from collections.abc import Callable

    from arms.common.typing import Actor
    from arms.customers.models import Company

#: a book with more customers than this is run by a background job (arms.stress.jobs)
INLINE_LIMIT = 500
#: the overdue ratio above which the recommendations advise stepping up collections (basis points)
OVERDUE_LIMIT_BP = 3000
#: the defaulted customers a run lists by name
LISTED_DEFAULTS = 50
#: the standard scenario's parameters: 10% of the items slip 60 days and the largest customer defaults
STANDARD = rules.Scenario(slip_share_bp=1000, slip_days=60, default_top_n=1)

_FIELDS = ("slip_share_bp", "slip_days", "default_top_n", "default_grade", "migrate_grade", "fx_currency",
           "fx_move_bp")


def scenario_error_message(error: rules.ScenarioError) -> str:
    """A ``ScenarioError`` in the user's words."""
    messages = {
        rules.ScenarioError.NOTHING: _("Choose at least one shock: a slip, a default, a migration or an "
                                       "exchange-rate move."),
        rules.ScenarioError.SHARE: _("A share is between 0%% and 100%% (0 to 10000 basis points), not %(value)s."),
        rules.ScenarioError.SLIP_DAYS: _("Items slip by %(allowed)s days."),
        rules.ScenarioError.TOP_N: _("The number of largest customers is between 1 and %(most)s."),
        rules.ScenarioError.GRADE: _("A grade is one of A, B, C and D, not %(value)s."),
        rules.ScenarioError.MIGRATE_GRADE: _("A grade migrating down is one of A, B and C, not %(value)s."),
        rules.ScenarioError.CURRENCY: _("Name a foreign currency (three capital letters, not CNY)."),
        rules.ScenarioError.FX_MOVE: _("An exchange-rate move is between %(low)s and %(high)s basis points."),
        rules.ScenarioError.WHOLE: _("Enter a whole number."),
    }
    return messages[error.code] % dict(error.params)


def _check(parameters: dict[str, Any]) -> rules.Scenario:
    try:
        return rules.scenario_check(parameters)
    except rules.ScenarioError as error:
        raise ValidationFailed(scenario_error_message(error), field=error.field) from error


def _name(company: Company, name: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A scenario needs a name."), field="name")
    if len(name) > 100:
        raise ValidationFailed(_("A name is at most 100 characters."), field="name")
    taken = Scenario.objects.filter(company=company, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationFailed(_("Another scenario already has this name."), field="name")
    return name


def scenario_audit(scenario: Scenario) -> dict[str, Any]:
    return {"name": scenario.name, "description": scenario.description, "is_standard": scenario.is_standard,
            **scenario.parameters().as_data()}


def _apply(scenario: Scenario, parameters: rules.Scenario) -> None:
    for name, value in parameters.as_data().items():
        setattr(scenario, name, value)


def _make_standard(scenario: Scenario) -> None:
    """The standard scenario is one per company: the one before stops being it."""
    Scenario.objects.filter(company=scenario.company_id, is_standard=True).exclude(pk=scenario.pk).update(
        is_standard=False)


@transaction.atomic
def scenario_create(*, actor: Actor, company: Company, name: str, parameters: dict[str, Any],
                    description: str = "", is_standard: bool = False) -> Scenario:
    """Check the parameters (the first problem names its field) and save the scenario."""
    name = _name(company, name)
    description = text_check((description or "").strip(), field="description", limit=MAX_NOTE) or ""
    checked = _check(parameters)
    scenario = Scenario(company=company, name=name, description=description, is_standard=False,
                        created_by=user_or_none(actor))
    _apply(scenario, checked)
    scenario.save()
    if is_standard:
        _make_standard(scenario)
        scenario.is_standard = True
        scenario.save(update_fields=["is_standard"])
    audit_record(actor=actor, action=AuditAction.STRESS_SCENARIO_CREATED, subject=scenario,
                 after=scenario_audit(scenario))
    return scenario


@transaction.atomic
def scenario_update(*, actor: Actor, scenario: Scenario, name: str, parameters: dict[str, Any],
                    description: str = "", is_standard: bool = False) -> Scenario:
    """Replace the scenario's name, description and parameters; runs made before keep what they were run with."""
    scenario = lock_one(Scenario.objects.all(), pk=scenario.pk)
    before = scenario_audit(scenario)
    name = _name(scenario.company, name, exclude=scenario.pk)
    description = text_check((description or "").strip(), field="description", limit=MAX_NOTE) or ""
    checked = _check(parameters)
    if is_standard and not scenario.is_standard:
        _make_standard(scenario)
    scenario.name, scenario.description, scenario.is_standard = name, description, bool(is_standard)
    _apply(scenario, checked)
    scenario.save()
    audit_record(actor=actor, action=AuditAction.STRESS_SCENARIO_CHANGED, subject=scenario, before=before,
                 after=scenario_audit(scenario))
    return scenario


@transaction.atomic
def scenario_delete(*, actor: Actor, scenario: Scenario) -> None:
    """Delete a scenario; its runs stay (with its name)."""
    before = scenario_audit(scenario)
    audit_record(actor=actor, action=AuditAction.STRESS_SCENARIO_DELETED, subject=scenario, before=before)
    scenario.delete()


def standard_scenario_ensure(*, company: Company) -> Scenario:
    """The company's standard scenario; the built-in one ("10% of items slip 60 days + the largest customer
    defaults", named in the installation's language) the first time one is needed."""
    found = selectors.standard_scenario(company=company)
    if found is not None:
        return found
    with translation.override(django_settings.LANGUAGE_CODE):
        name = _("A tenth of the items slip 60 days + the largest customer defaults")
        description = _("The standard scenario of the monthly management report.")
    try:
        with transaction.atomic():
            existing = Scenario.objects.filter(company=company, name=name).first()
            if existing is not None:
                _make_standard(existing)
                existing.is_standard = True
                existing.save(update_fields=["is_standard"])
                return existing
            return scenario_create(actor=None, company=company, name=name, description=description,
                                   parameters=STANDARD.as_data(), is_standard=True)
    except IntegrityError:  # a concurrent first use made it
        made = selectors.standard_scenario(company=company)
        if made is None:
            raise
        return made


# --- settings ---------------------------------------------------------------------------------------------------

def stress_settings_for(company: Company) -> StressSettings:
    found, _created = StressSettings.objects.get_or_create(company=company)
    return found


def settings_audit(row: StressSettings) -> dict[str, Any]:
    return {"opening_cash_minor": row.opening_cash_minor, "weekly_outflow_minor": row.weekly_outflow_minor,
            "financing_rate_bp": row.financing_rate_bp, "concentration_limit_bp": row.concentration_limit_bp}


def _bp(value: object, *, field: str, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise ValidationFailed(_("A whole number of basis points from 0 to %(most)s.") % {"most": most}, field=field)
    return value


def _amount(value: object, *, field: str, negative: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("Enter an amount."), field=field)
    if value < 0 and not negative:
        raise ValidationFailed(_("The amount cannot be negative."), field=field)
    return amount_check(value, field=field)


@transaction.atomic
def stress_settings_update(*, actor: Actor, company: Company, opening_cash_minor: int, weekly_outflow_minor: int,
                           financing_rate_bp: int, concentration_limit_bp: int) -> StressSettings:
    """Change the opening cash, the weekly outflows, the financing rate and the concentration limit; every value
    is checked before anything is written. Runs made before keep the settings they used."""
    opening = _amount(opening_cash_minor, field="opening_cash_minor", negative=True)
    outflow = _amount(weekly_outflow_minor, field="weekly_outflow_minor", negative=False)
    rate = _bp(financing_rate_bp, field="financing_rate_bp", most=rules.MAX_RATE_BP)
    limit = _bp(concentration_limit_bp, field="concentration_limit_bp", most=rules.FULL_BP)
    row = lock_one(StressSettings.objects.all(), pk=stress_settings_for(company).pk)
    before = settings_audit(row)
    row.opening_cash_minor, row.weekly_outflow_minor = opening, outflow
    row.financing_rate_bp, row.concentration_limit_bp = rate, limit
    row.save(update_fields=["opening_cash_minor", "weekly_outflow_minor", "financing_rate_bp",
                            "concentration_limit_bp"])
    audit_record(actor=actor, action=AuditAction.STRESS_SETTINGS_CHANGED, subject=row, before=before,
                 after=settings_audit(row))
    return row


# --- the run ----------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Touched:
    """The customers a scenario touches on a day (ids held in Python, tested per item)."""

    defaulted: dict[int, int]  # customer -> open CNY fen before the shock (the largest N with their balance)
    migrating: set[int]
    migrate_days: int

    def shift(self, outlook: Outlook, scenario: rules.Scenario) -> int:
        """Days the item is paid later under the scenario."""
        if outlook.customer_id in self.migrating:
            return self.migrate_days
        if scenario.slip_share_bp and rules.item_slips(outlook.invoice_id, scenario.slip_share_bp):
            return scenario.slip_days
        return 0


def touched_customers(*, company: Company, scenario: rules.Scenario, as_of: date) -> Touched:
    defaulted = dict(selectors.largest_customers(company=company, as_of=as_of, count=scenario.default_top_n))
    for customer_id in selectors.customers_of_grade(company=company, grade=scenario.default_grade):
        defaulted.setdefault(customer_id, 0)
    migrating = selectors.customers_of_grade(company=company, grade=scenario.migrate_grade) - set(defaulted)
    return Touched(defaulted=defaulted, migrating=migrating, migrate_days=scenario.migrate_days)


def stress_transform(scenario: rules.Scenario, touched: Touched) -> Callable[[Outlook], Outlook | None]:
    """What the stressed forecast does to each open item: drop it (its customer defaults), pay it later (it slips
    or its customer migrates down), revalue it (its currency is shocked)."""

    def transform(outlook: Outlook) -> Outlook | None:
        if outlook.customer_id in touched.defaulted:
            return None
        changes: dict[str, Any] = {}
        days = touched.shift(outlook, scenario)
        if days:
            step = timedelta(days=days)
            changes.update(p10=outlook.p10 + step, p50=outlook.p50 + step, p90=outlook.p90 + step)
        if scenario.fx_currency and outlook.currency == scenario.fx_currency:
            changes["open_base_minor"] = rules.fx_shocked(outlook.open_base_minor, scenario.fx_move_bp)
        return dataclasses.replace(outlook, **changes) if changes else outlook

    return transform


def _book(*, scenario: rules.Scenario, touched: Touched, as_of: date,
          matrix: Any) -> dict[str, Any]:
    """One pass over the open items: totals, overdue (base and stressed), and each customer's open CNY per band of
    the provision matrix, at its age today (base) and at its stressed age (slipped later, revalued)."""
    size = len(matrix.bands)
    base_bands: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    stressed_bands: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    totals = {"open": 0, "overdue": 0, "stressed_open": 0, "stressed_overdue": 0, "defaulted_open": 0,
              "slipped_open": 0, "shocked_delta": 0}
    by_customer: dict[int, int] = defaultdict(int)
    for outlook in open_item_outlook(as_of=as_of):
        base = outlook.open_base_minor
        age = (as_of - outlook.due_date).days
        totals["open"] += base
        by_customer[outlook.customer_id] += base
        if age > 0:
            totals["overdue"] += base
        base_bands[outlook.customer_id][matrix.band_index(age)] += base
        stressed = base
        if scenario.fx_currency and outlook.currency == scenario.fx_currency:
            stressed = rules.fx_shocked(base, scenario.fx_move_bp)
            totals["shocked_delta"] += stressed - base
        totals["stressed_open"] += stressed
        if outlook.customer_id in touched.defaulted:
            totals["defaulted_open"] += stressed
            totals["stressed_overdue"] += stressed
            stressed_bands[outlook.customer_id][matrix.band_index(age)] += stressed
            continue
        days = touched.shift(outlook, scenario)
        if days:
            totals["slipped_open"] += stressed
        # an item slipping past its due date within the window is overdue instead of paid
        if age > 0 or (days and age + days > 0):
            totals["stressed_overdue"] += stressed
        stressed_bands[outlook.customer_id][matrix.band_index(age + days)] += stressed
    largest = max(by_customer.values(), default=0)
    return {"totals": totals, "base_bands": dict(base_bands), "stressed_bands": dict(stressed_bands),
            "largest_open": largest,
            "defaulted_open": {cid: by_customer[cid] for cid in touched.defaulted if by_customer.get(cid)}}


def _allowance(*, company: Company, as_of: date, base_bands: dict[int, list[int]],
               stressed_bands: dict[int, list[int]], defaulted: set[int]) -> dict[str, Any]:
    """The required allowance through provisioning's own computation (its matrix, assessments and rounding):
    the book as it stands, and stressed (the defaulted customers assessed at 100%)."""
    matrix = provisioning.matrix_active(company=company)
    matrix_data = {"version": matrix.version, "bands": matrix.bands, "group_rates": matrix.group_rates}
    booked = provisioning_selectors.allowance_booked(company=company, as_of=as_of)
    in_force = provisioning_selectors.assessments_in_force(company=company, as_of=as_of)
    groups = provisioning_selectors.industries(company=company, customer_ids=set(base_bands) | set(booked))
    assessments = {cid: {"id": a.pk, "rate_bp": a.rate_bp, "amount_minor": a.amount_minor}
                   for cid, a in in_force.items()}
    base = provisioning.compute(matrix_data=matrix_data, assessments=assessments, groups=groups,
                                opens=base_bands, booked=booked)
    stressed_assessments = dict(assessments)
    for customer_id in defaulted:
        stressed_assessments[customer_id] = {"id": None, "rate_bp": rules.FULL_BP, "amount_minor": None}
    stressed = provisioning.compute(matrix_data=matrix_data, assessments=stressed_assessments, groups=groups,
                                    opens=stressed_bands, booked=booked)
    size = len(matrix.bands)
    return {
        "matrix_version": matrix.version,
        "bands": [band["label"] for band in matrix.bands],
        "base": sum(c.result.required for c in base),
        "stressed": sum(c.result.required for c in stressed),
        "base_by_band": rules.sum_by_index((c.result.required_by_band for c in base), size),
        "stressed_by_band": rules.sum_by_index((c.result.required_by_band for c in stressed), size),
        "booked": sum(booked.values()),
    }


def _week_label(start: date) -> str:
    return f"{start:%m-%d}"


def stress_compute(*, company: Company, scenario: rules.Scenario, as_of: date,
                   settings: StressSettings, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Every figure of a run, base beside stressed, as plain data (what ``ScenarioRun.results`` stores)."""
    steps = 5
    tick = progress or (lambda done, total: None)
    touched = touched_customers(company=company, scenario=scenario, as_of=as_of)
    tick(1, steps)
    base = forecast_compute(as_of=as_of, granularity="week")
    tick(2, steps)
    stressed = forecast_compute(as_of=as_of, granularity="week", transform=stress_transform(scenario, touched))
    tick(3, steps)
    matrix = provisioning.matrix_parse(provisioning.matrix_active(company=company))
    book = _book(scenario=scenario, touched=touched, as_of=as_of, matrix=matrix)
    tick(4, steps)
    allowance = _allowance(company=company, as_of=as_of, base_bands=book["base_bands"],
                           stressed_bands=book["stressed_bands"], defaulted=set(touched.defaulted))
    year_start = as_of.replace(year=as_of.year - 1) + timedelta(days=1) if not (
        as_of.month == 2 and as_of.day == 29) else date(as_of.year - 1, 3, 1)
    written_off, recovered = bad_debts(year_start, as_of, None)
    sales = credit_sales(year_start, as_of, None)
    totals = book["totals"]
    base_in = [bucket.expected_minor for bucket in base.buckets]
    stressed_in = [bucket.expected_minor for bucket in stressed.buckets]
    base_position = rules.cash_position(opening=settings.opening_cash_minor, cash_in=base_in,
                                        outflow=settings.weekly_outflow_minor)
    stressed_position = rules.cash_position(opening=settings.opening_cash_minor, cash_in=stressed_in,
                                            outflow=settings.weekly_outflow_minor)
    weeks: list[dict[str, Any]] = [
        {"start": bucket.start.isoformat(), "end": bucket.end.isoformat(), "label": _week_label(bucket.start),
         "base_minor": base_in[i], "stressed_minor": stressed_in[i],
         "low_minor": bucket.low_minor, "high_minor": bucket.high_minor,
         "base_position_minor": base_position.positions[i],
         "stressed_position_minor": stressed_position.positions[i]}
        for i, bucket in enumerate(base.buckets)]
    defaulted_open: dict[int, int] = book["defaulted_open"]
    largest_defaulted = sorted(defaulted_open, key=lambda c: (-defaulted_open[c], c))[:LISTED_DEFAULTS]
    labels = selectors.customer_labels(largest_defaulted)
    defaulted: list[list[Any]] = [[cid, *labels[cid], defaulted_open[cid]] for cid in largest_defaulted
                                  if cid in labels]
    stressed_minimum_week: str = weeks[stressed_position.minimum_index]["start"] if weeks else as_of.isoformat()
    results: dict[str, Any] = {
        "weeks": weeks,
        "base": {
            "cash_in_minor": sum(base_in), "beyond_minor": base.beyond_minor, "open_minor": totals["open"],
            "minimum_minor": base_position.minimum,
            "minimum_week": weeks[base_position.minimum_index]["start"] if weeks else as_of.isoformat(),
            "overdue_minor": totals["overdue"], "overdue_ratio_bp": rules.ratio_bp(totals["overdue"], totals["open"]),
            "bad_debt_minor": written_off - recovered,
            "bad_debt_ratio_bp": rules.ratio_bp(written_off - recovered, sales) if sales > 0 else None,
            "allowance_minor": allowance["base"], "allowance_by_band": allowance["base_by_band"],
        },
        "stressed": {
            "cash_in_minor": sum(stressed_in), "beyond_minor": stressed.beyond_minor,
            "open_minor": totals["stressed_open"], "minimum_minor": stressed_position.minimum,
            "minimum_week": stressed_minimum_week,
            "overdue_minor": totals["stressed_overdue"],
            "overdue_ratio_bp": rules.ratio_bp(totals["stressed_overdue"], totals["stressed_open"]),
            "bad_debt_minor": written_off - recovered + totals["defaulted_open"],
            "bad_debt_ratio_bp": (rules.ratio_bp(written_off - recovered + totals["defaulted_open"], sales)
                                  if sales > 0 else None),
            "allowance_minor": allowance["stressed"], "allowance_by_band": allowance["stressed_by_band"],
        },
        "allowance_bands": allowance["bands"],
        "allowance_booked_minor": allowance["booked"],
        "defaulted": defaulted,
        "defaulted_count": len(touched.defaulted),
        "defaulted_open_minor": totals["defaulted_open"],
        "slipped_open_minor": totals["slipped_open"],
        "migrating_count": len(touched.migrating),
        "fx_delta_minor": totals["shocked_delta"],
        "largest_share_bp": rules.ratio_bp(book["largest_open"], totals["open"]),
        "sales_minor": sales,
    }
    # the first week the stressed position goes below zero: financing must be in place before it starts
    financing_before: str = next((w["start"] for w in weeks if w["stressed_position_minor"] < 0),
                                 stressed_minimum_week)
    results["recommendations"] = [[code, params] for code, params in rules.recommendations(
        stressed_minimum=stressed_position.minimum, minimum_week=stressed_minimum_week,
        financing_before=financing_before, largest_share_bp=results["largest_share_bp"],
        concentration_limit_bp=settings.concentration_limit_bp,
        allowance_delta=allowance["stressed"] - allowance["base"],
        overdue_ratio_bp=results["stressed"]["overdue_ratio_bp"], overdue_limit_bp=OVERDUE_LIMIT_BP)]
    tick(5, steps)
    return results


def run_inputs(*, scenario: Scenario, settings: StressSettings, as_of: date) -> dict[str, Any]:
    return {"scenario": scenario.parameters().as_data(), "scenario_id": scenario.pk, "as_of": as_of.isoformat(),
            "settings": settings_audit(settings)}


def run_is_large(*, company: Company) -> bool:
    return Customer.objects.filter(company=company)[:INLINE_LIMIT + 1].count() > INLINE_LIMIT


@transaction.atomic
def scenario_run(*, actor: Actor, scenario: Scenario, as_of: date,
                 progress: Callable[[int, int], None] | None = None) -> ScenarioRun:
    """Run the scenario as of ``as_of`` and store what it found, with what it was run with."""
    date_check(as_of, field="as_of")
    company = scenario.company
    settings = stress_settings_for(company)
    results = stress_compute(company=company, scenario=scenario.parameters(), as_of=as_of, settings=settings,
                             progress=progress)
    inputs = run_inputs(scenario=scenario, settings=settings, as_of=as_of)
    inputs["matrix_version"] = provisioning.matrix_active(company=company).version
    run = ScenarioRun.objects.create(
        company=company, scenario=scenario, scenario_name=scenario.name, as_of=as_of, inputs=inputs,
        results=results, stressed_minimum_minor=results["stressed"]["minimum_minor"],
        allowance_delta_minor=results["stressed"]["allowance_minor"] - results["base"]["allowance_minor"],
        created_by=user_or_none(actor))
    audit_record(actor=actor, action=AuditAction.STRESS_SCENARIO_RUN, subject=run, after={
        "scenario": scenario.pk, "as_of": as_of.isoformat(), "stressed_minimum_minor": run.stressed_minimum_minor,
        "allowance_delta_minor": run.allowance_delta_minor})
    return run


def recommendation_texts(results: dict[str, Any]) -> list[str]:
    """A run's recommendations in the reader's words."""
    texts = []
    for code, params in results.get("recommendations", []):
        if code == "financing":
            texts.append(_("The stressed cash position falls to %(shortfall)s below zero in the week of %(week)s: "
                           "arrange financing before %(before)s.") % {
                "shortfall": format_money(int(params["shortfall"]), "CNY"), "week": params["week"],
                "before": params["before"]})
        elif code == "diversify":
            texts.append(_("The largest customer holds %(share)s of the receivables, above the limit of %(limit)s: "
                           "diversify the customer base and tighten that customer's credit.") % {
                "share": _percent(params["share_bp"]), "limit": _percent(params["limit_bp"])})
        elif code == "provide":
            texts.append(_("The scenario would need %(amount)s more allowance for doubtful accounts: plan the "
                           "provision and review the customers concerned.") % {
                "amount": format_money(int(params["amount"]), "CNY")})
        elif code == "collect":
            texts.append(_("The stressed overdue ratio reaches %(ratio)s, above %(limit)s: step up collections "
                           "of the items due soon.") % {
                "ratio": _percent(params["ratio_bp"]), "limit": _percent(params["limit_bp"])})
        else:
            texts.append(_("The receivables withstand this scenario: no action needed beyond the usual "
                           "collections."))
    return texts


def _percent(bp: int | None) -> str:
    return bp_percent(bp)


def shocks_text(parameters: rules.Scenario) -> str:
    """The scenario's shocks in the reader's words, e.g. "10.00% of items paid 60 days later; the largest 1
    customers default"."""
    parts = []
    if parameters.slip_share_bp:
        parts.append(_("%(share)s of items paid %(days)s days later") % {
            "share": _percent(parameters.slip_share_bp), "days": parameters.slip_days})
    if parameters.default_top_n:
        parts.append(_("the largest %(count)s customers default") % {"count": parameters.default_top_n})
    if parameters.default_grade:
        parts.append(_("every grade %(grade)s customer defaults") % {"grade": parameters.default_grade})
    if parameters.migrate_grade:
        parts.append(_("grade %(grade)s customers migrate down one grade (paid %(days)s days later)") % {
            "grade": parameters.migrate_grade, "days": parameters.migrate_days})
    if parameters.fx_currency:
        parts.append(_("%(currency)s moves %(move)s against CNY") % {
            "currency": parameters.fx_currency, "move": _percent(parameters.fx_move_bp)})
    return _("; ").join(parts)


@dataclasses.dataclass(frozen=True)
class StandardEffect:
    """The standard scenario computed as of a day, stored nowhere (the monthly management report's risk section)."""

    name: str
    shocks: str
    results: dict[str, Any]
    recommendations: list[str]


def standard_effect(*, company: Company, as_of: date) -> StandardEffect:
    """The company's standard scenario (the built-in parameters when it has none yet) computed as of ``as_of``."""
    scenario = selectors.standard_scenario(company=company)
    parameters = scenario.parameters() if scenario is not None else STANDARD
    name = (scenario.name if scenario is not None
            else _("A tenth of the items slip 60 days + the largest customer defaults"))
    results = stress_compute(company=company, scenario=parameters, as_of=as_of,
                             settings=stress_settings_for(company))
    return StandardEffect(name=name, shocks=shocks_text(parameters), results=results,
                          recommendations=recommendation_texts(results))
