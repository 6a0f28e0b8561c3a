from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import PlanStatus
from arms.common.bounds import MAX_NOTE, text_length_constraint


class InstallmentPlan(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="installment_plans",
                                 help_text=_("Who pays by installments."))
    invoices = models.ManyToManyField("ledger.Invoice", related_name="installment_plans",
                                      help_text=_("The invoices the plan settles."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the plan."))
    total_minor = models.BigIntegerField(_("total"), help_text=_("Sum of the installments, minor units."))
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"), default=7, help_text=_("Days after an installment's date before it breaches the plan.")
    )
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True,
                            help_text=_("Why the plan was agreed, and on what terms."))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PENDING,
                              help_text=_("Awaiting approval, active, completed, breached, rejected, cancelled."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                     related_name="+", help_text=_("Who asked for the plan."))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, help_text=_("When it was asked for."))
    starts_on = models.DateField(_("starts on"), help_text=_("Payments from this date count towards the plan."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("The finance manager who approved or rejected it."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When it was decided."))
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True,
                                     help_text=_("Why it was approved or rejected."))
    paid_minor = models.BigIntegerField(_("paid"), default=0,
                                        help_text=_("Paid towards the plan when last checked, minor units."))
    checked_on = models.DateField(_("checked on"), null=True, blank=True, help_text=_("Date of the last check."))
    breached_on = models.DateField(_("breached on"), null=True, blank=True, help_text=_("When a breach was found."))

    class Meta:
        verbose_name = _("installment plan")
        verbose_name_plural = _("installment plans")
        ordering = ["-requested_at", "-id"]
        permissions = [("approve_installmentplan", "Can approve an installment plan")]
        constraints = [
            text_length_constraint("note", MAX_NOTE, name="installment_plan_note_length"),
            models.CheckConstraint(condition=Q(total_minor__gt=0), name="plan_total_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "cancelled"]) | Q(decided_by__isnull=False),
                name="plan_decided_has_decider",
            ),
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                                   name="plan_decider_is_not_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.total_minor} ({self.status})"


class InstallmentLine(models.Model):
    plan = models.ForeignKey(InstallmentPlan, on_delete=models.CASCADE, related_name="lines",
                             help_text=_("The plan it belongs to."))
    seq = models.PositiveSmallIntegerField(_("number"), help_text=_("1, 2, 3 ... in date order."))
    due_on = models.DateField(_("due on"), help_text=_("When the installment is due."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("Installment amount, minor units."))
    paid_minor = models.BigIntegerField(_("paid"), default=0,
                                        help_text=_("Covered by payments when last checked, minor units."))

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="installment_seq_unique"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="installment_amount_positive"),
            models.CheckConstraint(condition=Q(paid_minor__gte=0) & Q(paid_minor__lte=F("amount_minor")),
                                   name="installment_paid_between_0_and_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.seq}"

    @property
    def open_minor(self) -> int:
        return self.amount_minor - self.paid_minor
