"""The allowance for doubtful accounts (坏账准备): matrices, individual assessments, period-end provision runs.

Design overview and invariants (★ = also enforced by the database). The rules themselves are the pure
``arms.domain.provisioning`` (docs/domain/provisioning.md).

- A ``ProvisionMatrix`` is one version of a company's provision matrix: age bands (days past due) with a rate
  each, in basis points, optionally other rates per industry. Bands are contiguous from day 0, non-overlapping,
  the last open-ended (``arms.domain.provisioning.matrix_check``). Never edited: editing makes the next version
  and activates it; runs keep the version they used (PROTECT). ★ Versions are numbered per company; ★ at most one
  active per company; ★ no rate outside 0..10000 is stored (each band is checked by the domain; the database
  cannot look inside the JSON, so the check is the service's).
- An ``IndividualAssessment`` (单项计提) names a customer and either a rate or an amount (CNY fen) with its reason
  and evidence, valid from a day until it is ended; it takes precedence over the matrix for that customer.
  ★ Exactly one of rate and amount; ★ the rate is 0..10000, the amount positive; ★ at most one in force (not
  ended) per customer.
- A ``ProvisionRun`` is a posted period-end run: the required allowance per customer and band as of a month end,
  against what the customer's 1231 坏账准备 showed that day (booked before), and the true-up posted as one journal
  entry per customer (kind ``provision``, Dr 6702 / Cr 1231 to raise, the reverse to release). ★ One run per
  company and month end (``provision_period_posted`` otherwise); a run is posted only after the previous one
  (a run for an earlier month would change what later runs found booked). It stores its inputs (the matrix
  version's bands, the assessments used, each customer's open amount per band and booked-before) and their
  SHA-256, so ``arms provisioning verify`` recomputes the figures and says whether they still agree.
  Total true-up = total required − total booked before, and per customer likewise (★ per customer row).
- A preview is the same computation as a run, kept nowhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.domain.money import BASE_CURRENCY


class Basis(models.TextChoices):
    """How a customer's required allowance was set (arms.domain.provisioning.Basis)."""

    MATRIX = "matrix", _("Provision matrix")
    INDIVIDUAL_RATE = "individual_rate", _("Individual assessment (rate)")
    INDIVIDUAL_AMOUNT = "individual_amount", _("Individual assessment (amount)")


class ProvisionMatrix(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company whose matrix this is."))
    version = models.PositiveIntegerField(_("version"), help_text=_("1, 2, 3 ... per company, in order of creation."))
    name = models.CharField(_("name"), max_length=100, help_text=_("A short name, e.g. 阶梯计提 2026."))
    bands = models.JSONField(
        _("bands"), help_text=_("Age bands in days past due with their rates in basis points: "
                                "[{label, low, high, rate_bp}], contiguous from day 0, the last open-ended."))
    group_rates = models.JSONField(
        _("rates by industry"), default=dict, blank=True,
        help_text=_("Other rates for the customers of an industry: {industry: [rate_bp per band]}."))
    is_active = models.BooleanField(_("active"), default=False,
                                    help_text=_("Runs use the active version; at most one is active per company."))
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("What changed and why."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was made."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who made it; empty for the built-in default."))

    class Meta:
        verbose_name = _("provision matrix")
        verbose_name_plural = _("provision matrices")
        ordering = ["company", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["company", "version"], name="provision_matrix_version_unique"),
            models.UniqueConstraint(fields=["company"], condition=Q(is_active=True),
                                    name="provision_matrix_one_active"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class IndividualAssessment(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT,
                                 related_name="provision_assessments", help_text=_("The customer assessed."))
    rate_bp = models.PositiveIntegerField(
        _("provision rate"), null=True, blank=True,
        help_text=_("The share of the customer's open receivable to provide for, in basis points (10000 = 100%)."))
    amount_minor = models.BigIntegerField(
        _("amount"), null=True, blank=True,
        help_text=_("Or the amount to provide for, in CNY fen (never more than what is open is provided)."))
    currency = models.CharField(_("currency"), max_length=3, default=BASE_CURRENCY,
                                help_text=_("The currency of the amount: always CNY, the allowance's currency."))
    reason = models.TextField(_("reason"), help_text=_("Why this customer is assessed on its own."))
    evidence = models.ForeignKey("common.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text=_("The evidence (a judgment, news of a bankruptcy ...)."))
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True,
                                     help_text=_("The evidence file's name as uploaded."))
    valid_from = models.DateField(_("valid from"), help_text=_("Runs as of this day or later use it."))
    ended_on = models.DateField(_("ended on"), null=True, blank=True,
                                help_text=_("Runs as of this day or later no longer use it; empty while in force."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was recorded."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who recorded it."))

    class Meta:
        verbose_name = _("individual assessment")
        verbose_name_plural = _("individual assessments")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(rate_bp__isnull=False, amount_minor__isnull=True)
                           | Q(rate_bp__isnull=True, amount_minor__isnull=False)),
                name="assessment_rate_xor_amount"),
            models.CheckConstraint(condition=Q(rate_bp__isnull=True) | Q(rate_bp__lte=10000),
                                   name="assessment_rate_at_most_100_percent"),
            models.CheckConstraint(condition=Q(amount_minor__isnull=True) | Q(amount_minor__gt=0),
                                   name="assessment_amount_positive"),
            models.UniqueConstraint(fields=["customer"], condition=Q(ended_on__isnull=True),
                                    name="assessment_one_in_force"),
            text_length_constraint("reason", MAX_NOTE, name="assessment_reason_length"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.valid_from}"


class ProvisionRun(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company."))
    as_of = models.DateField(_("as of"), help_text=_("The period end (a month end) the run provides for."))
    matrix = models.ForeignKey(ProvisionMatrix, on_delete=models.PROTECT, related_name="runs",
                               help_text=_("The matrix version the run used."))
    currency = models.CharField(_("currency"), max_length=3, default=BASE_CURRENCY,
                                help_text=_("The allowance's currency (CNY)."))
    total_open_minor = models.BigIntegerField(_("open receivables"), default=0,
                                              help_text=_("Receivables open on the day, CNY fen."))
    total_required_minor = models.BigIntegerField(_("required allowance"), default=0,
                                                  help_text=_("The allowance required on the day, CNY fen."))
    total_booked_before_minor = models.BigIntegerField(
        _("allowance booked before"), default=0, help_text=_("The 1231 balance on the day before the run, CNY fen."))
    true_up_minor = models.BigIntegerField(
        _("true-up"), default=0,
        help_text=_("Required less booked before, CNY fen: positive raises the allowance, negative releases it."))
    band_totals = models.JSONField(_("band totals"), default=list,
                                   help_text=_("Per band: [{label, open_minor, required_minor}]."))
    customer_count = models.PositiveIntegerField(_("customers"), default=0,
                                                 help_text=_("Customers with an open amount or an allowance."))
    inputs = models.JSONField(_("inputs"), default=dict,
                              help_text=_("The matrix's bands and the assessments used, to recompute the run."))
    inputs_sha256 = models.CharField(_("inputs SHA-256"), max_length=64, blank=True,
                                     help_text=_("Digest of the inputs and each customer's figures."))
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True, help_text=_("When it was posted."))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text=_("Who posted it; empty for the system."))

    class Meta:
        verbose_name = _("provision run")
        verbose_name_plural = _("provision runs")
        ordering = ["-as_of", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "as_of"], name="provision_run_once_per_period"),
            models.CheckConstraint(
                condition=Q(true_up_minor=F("total_required_minor") - F("total_booked_before_minor")),
                name="provision_run_true_up_is_required_less_booked"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m}"


class ProvisionLine(models.Model):
    """One customer of a run: its open amount and required allowance per band, booked before, the true-up."""

    run = models.ForeignKey(ProvisionRun, on_delete=models.PROTECT, related_name="lines", help_text=_("The run."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The customer."))
    group = models.CharField(_("industry"), max_length=20, blank=True,
                             help_text=_("The customer's industry on the day (which rates applied)."))
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices,
                             help_text=_("Matrix, or an individual rate or amount."))
    assessment = models.ForeignKey(IndividualAssessment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("The individual assessment used, if any."))
    open_by_band = models.JSONField(_("open per band"), help_text=_("CNY fen open in each band, in band order."))
    rate_by_band = models.JSONField(_("rate per band"), help_text=_("The rate applied in each band, basis points."))
    required_by_band = models.JSONField(_("required per band"), help_text=_("CNY fen required in each band."))
    open_minor = models.BigIntegerField(_("open"), help_text=_("Open on the day, CNY fen."))
    required_minor = models.BigIntegerField(_("required"), help_text=_("Required allowance, CNY fen."))
    booked_before_minor = models.BigIntegerField(_("booked before"),
                                                 help_text=_("The customer's 1231 balance on the day, CNY fen."))
    true_up_minor = models.BigIntegerField(_("true-up"), help_text=_("Required less booked before, CNY fen."))
    currency = models.CharField(_("currency"), max_length=3, default=BASE_CURRENCY, help_text=_("CNY."))
    entry = models.ForeignKey("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text=_("The journal entry of the true-up (none when zero)."))

    class Meta:
        verbose_name = _("provision line")
        verbose_name_plural = _("provision lines")
        ordering = ["run", "customer"]
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="provision_line_one_per_customer"),
            models.CheckConstraint(condition=Q(true_up_minor=F("required_minor") - F("booked_before_minor")),
                                   name="provision_line_true_up_is_required_less_booked"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.customer_id}"
