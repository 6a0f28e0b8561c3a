"""The monthly sales–finance reconciliation (销售与财务对账): for one month and one salesperson, the balances of the
salesperson's customers as the ledger shows them at the month-end, the salesperson's answer, and finance's sign-off.

Invariants:
- One reconciliation per salesperson and month (``salesrecon_one_per_salesperson_and_month``).
- The snapshot is written once, when finance opens the month, and never changed: ``snapshot_sha256`` is the
  SHA-256 of its canonical text (``arms.audit.services.canonical_text``), also stored in the audit event that opened it.
- Status moves open -> agreed | differences -> signed_off, never back. Only the salesperson answers; a person other
  than the salesperson signs off (the four-eyes rule), and only when every difference is resolved.
- A difference names one customer of the snapshot, the amount the salesperson believes and why; it gets an owner
  and is resolved with a note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, amount_bound_constraint, text_length_constraint
from arms.domain.money import BASE_CURRENCY
from arms.salesrecon.enums import DifferenceStatus, ReconStatus


class SalesReconciliation(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT,
                                help_text=_("The company whose books are reconciled."))
    period = models.DateField(_("month"), db_index=True, help_text=_("The first day of the month reconciled."))
    as_of = models.DateField(_("balances as of"), help_text=_("The month-end the balances are taken at."))
    salesperson = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="sales_reconciliations",
                                    help_text=_("The salesperson whose customers' balances are reconciled."))
    status = models.CharField(_("status"), max_length=20, choices=ReconStatus.choices, default=ReconStatus.OPEN,
                              help_text=_("Open, agreed, differences listed, signed off."))
    snapshot = models.JSONField(_("snapshot"), default=list, help_text=_(
        "Per customer and currency, the closing balance the ledger showed at the month-end (minor units and CNY fen)."))
    snapshot_sha256 = models.CharField(_("snapshot hash"), max_length=64,
                                       help_text=_("SHA-256 of the snapshot's canonical JSON."))
    customers = models.PositiveIntegerField(_("customers"), default=0,
                                            help_text=_("How many customers the snapshot holds."))
    total_base_minor = models.BigIntegerField(_("total (CNY)"), default=0,
                                              help_text=_("Sum of the snapshot's balances in CNY fen."))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True, help_text=_("When finance opened it."))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text=_("Who opened it; empty for the system."))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True,
                                       help_text=_("When the salesperson agreed or listed differences."))
    answer_note = models.TextField(_("salesperson's note"), max_length=MAX_NOTE, blank=True,
                                   help_text=_("What the salesperson added to the answer."))
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True,
                                         help_text=_("When finance signed off."))
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", help_text=_("Who signed off for finance."))
    sign_off_note = models.TextField(_("sign-off note"), max_length=MAX_NOTE, blank=True,
                                     help_text=_("What finance added when signing off."))

    class Meta:
        verbose_name = _("sales–finance reconciliation")
        verbose_name_plural = _("sales–finance reconciliations")
        ordering = ["-period", "salesperson_id"]
        permissions = [
            ("open_salesreconciliation", _("Can open a month's sales–finance reconciliation")),
            ("answer_salesreconciliation", _("Can answer one's own sales–finance reconciliation")),
            ("sign_off_salesreconciliation", _("Can sign off a sales–finance reconciliation and resolve differences")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["salesperson", "period"],
                                    name="salesrecon_one_per_salesperson_and_month"),
            models.CheckConstraint(condition=~Q(status="signed_off") | Q(signed_off_at__isnull=False),
                                   name="salesrecon_signed_off_has_time"),
            text_length_constraint("answer_note", MAX_NOTE, name="salesrecon_answer_note_length"),
            text_length_constraint("sign_off_note", MAX_NOTE, name="salesrecon_sign_off_note_length"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.salesperson}"

    @property
    def currency(self) -> str:
        """The currency of the totals: CNY, every currency added at its posting rates."""
        return BASE_CURRENCY


class ReconciliationDifference(models.Model):
    reconciliation = models.ForeignKey(SalesReconciliation, on_delete=models.PROTECT, related_name="differences",
                                       help_text=_("The month and salesperson it belongs to."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The customer whose balance differs."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the amounts."))
    ledger_minor = models.BigIntegerField(_("balance in the ledger"),
                                          help_text=_("The balance finance's snapshot shows, minor units."))
    sales_minor = models.BigIntegerField(_("balance the salesperson believes"),
                                         help_text=_("The balance the salesperson sees, minor units."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True,
                            help_text=_("Why the salesperson's figure differs."))
    status = models.CharField(_("status"), max_length=20, choices=DifferenceStatus.choices,
                              default=DifferenceStatus.OPEN, help_text=_("Open or resolved."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text=_("Who is to clear it up."))
    resolution = models.TextField(_("resolution"), max_length=MAX_NOTE, blank=True,
                                  help_text=_("How it was cleared up (credit note, payment found, explained)."))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, help_text=_("When resolved."))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who resolved it."))

    class Meta:
        verbose_name = _("reconciliation difference")
        verbose_name_plural = _("reconciliation differences")
        ordering = ["reconciliation_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reconciliation", "customer", "currency"],
                                    name="salesrecon_difference_one_per_customer"),
            models.CheckConstraint(condition=Q(status="open") | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                                   name="salesrecon_difference_resolved_has_note"),
            amount_bound_constraint(("ledger_minor", "sales_minor"), name="salesrecon_difference_amount_bound"),
            text_length_constraint("note", MAX_NOTE, name="salesrecon_difference_note_length"),
            text_length_constraint("resolution", MAX_NOTE, name="salesrecon_difference_resolution_length"),
        ]

    def __str__(self) -> str:
        return f"{self.reconciliation} {self.customer_id}"

    @property
    def amount_minor(self) -> int:
        """What the salesperson's figure is above (positive) or below the ledger's."""
        return self.sales_minor - self.ledger_minor
