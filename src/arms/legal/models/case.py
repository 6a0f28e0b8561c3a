from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.legal.enums import CaseKind, CaseStatus, CostKind, EnforcementStatus


class LegalCase(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company that sues."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="legal_cases",
                                 help_text=_("The debtor sued."))
    claims = models.ManyToManyField("ledger.Invoice", related_name="legal_cases", blank=True,
                                    help_text=_("The invoices claimed in the case."))
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices,
                            help_text=_("Litigation in a court or arbitration before a commission."))
    forum = models.CharField(_("court or commission"), max_length=200,
                             help_text=_("The court or arbitration commission, e.g. 上海市浦东新区人民法院."))
    case_number = models.CharField(_("case number"), max_length=100, blank=True,
                                   help_text=_("The court's or commission's case number, once filed."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the claim."))
    claim_minor = models.BigIntegerField(_("claim amount"), help_text=_("The amount claimed, minor units."))
    filed_on = models.DateField(_("filed on"), null=True, blank=True, help_text=_("The filing date."))
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.PREPARING,
                              help_text=_("Where the case is."))
    note = models.TextField(_("note"), blank=True, max_length=4000, help_text=_("Anything worth knowing."))
    preservation_applied_on = models.DateField(_("preservation applied for on"), null=True, blank=True,
                                               help_text=_("When property preservation (财产保全) was applied for."))
    preservation_ordered_on = models.DateField(_("preservation ordered on"), null=True, blank=True,
                                               help_text=_("When the court ordered it."))
    preservation_minor = models.BigIntegerField(_("amount preserved"), default=0,
                                                help_text=_("The amount the order freezes, minor units."))
    preservation_order_number = models.CharField(_("preservation order"), max_length=100, blank=True,
                                                 help_text=_("The number of the preservation ruling."))
    preserved_assets = models.ManyToManyField("legal.DebtorAsset", related_name="cases", blank=True,
                                              help_text=_("The debtor's assets named in the preservation."))
    judgment_on = models.DateField(_("judgment on"), null=True, blank=True, help_text=_("Date of the judgment."))
    awarded_minor = models.BigIntegerField(_("amount awarded"), default=0,
                                           help_text=_("Principal awarded by the judgment or award, minor units."))
    awarded_costs_minor = models.BigIntegerField(_("interest and costs awarded"), default=0,
                                                 help_text=_("Interest, penalty and costs awarded, minor units."))
    judgment_document = models.ForeignKey("common.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", help_text=_("The judgment or award."))
    enforcement_applied_on = models.DateField(_("enforcement applied for on"), null=True, blank=True,
                                              help_text=_("When enforcement was applied for."))
    enforcement_case_number = models.CharField(_("enforcement case number"), max_length=100, blank=True,
                                               help_text=_("The enforcement case's number."))
    enforcement_status = models.CharField(_("enforcement"), max_length=20, choices=EnforcementStatus.choices,
                                          default=EnforcementStatus.NONE, blank=True,
                                          help_text=_("Where enforcement stands."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Who opened the case."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was opened."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When last changed."))

    class Meta:
        verbose_name = _("legal case")
        verbose_name_plural = _("legal cases")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(claim_minor__gt=0), name="legal_case_claim_positive"),
            models.CheckConstraint(condition=Q(preservation_minor__gte=0) & Q(awarded_minor__gte=0)
                                   & Q(awarded_costs_minor__gte=0), name="legal_case_amounts_not_negative"),
            models.CheckConstraint(condition=Q(status="preparing") | Q(status="withdrawn") | Q(filed_on__isnull=False),
                                   name="legal_case_filed_has_date"),
        ]
        indexes = [models.Index(fields=["customer", "status"], name="legal_case_by_customer")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"LC-{self.pk:05d}" if self.pk else "LC-new"


class Hearing(models.Model):
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="hearings", help_text=_("The case."))
    on = models.DateField(_("date"), help_text=_("Date of the hearing."))
    note = models.CharField(_("note"), max_length=1000, blank=True, help_text=_("What happened or is planned."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Who recorded it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was recorded."))

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.on}"


class CaseCost(models.Model):
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="costs", help_text=_("The case."))
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices, help_text=_("What the cost is."))
    on = models.DateField(_("date"), help_text=_("When it was paid or incurred."))
    currency = models.CharField(_("currency"), max_length=3, default="CNY", help_text=_("Costs are in CNY."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("The cost, CNY fen."))
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("Receipt number or remark."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Who recorded it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was recorded."))

    class Meta:
        verbose_name = _("case cost")
        verbose_name_plural = _("case costs")
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="legal_cost_amount_positive"),
            models.CheckConstraint(condition=Q(currency="CNY"), name="legal_cost_in_cny"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.amount_minor}"


class CaseDocument(models.Model):
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="documents", help_text=_("The case."))
    name = models.CharField(_("name"), max_length=200, help_text=_("File name, e.g. 起诉状.pdf."))
    attachment = models.ForeignKey("common.Attachment", on_delete=models.PROTECT, related_name="+",
                                   help_text=_("The stored file."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Who attached it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was attached."))

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
