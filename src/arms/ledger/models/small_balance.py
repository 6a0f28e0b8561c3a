"""Small balances (小额尾差): the residues of a few yuan or dollars that bank charges and rounding leave on invoices.

- ``SmallBalanceThreshold``: per company and currency, the open amount below which a *partly settled* item is a
  residue (default ``SMALL_BALANCE_DEFAULT_MINOR``, 50.00, for every currency without a row). A finance manager
  sets it. Invariant: 0 <= threshold <= ``SMALL_BALANCE_MAX_MINOR``; one row per (company, currency).
- ``SmallBalanceSettings``: per company, the account a small-balance write-off is posted to (6603 财务费用 or
  6711 营业外支出).
- ``SmallBalanceBatch`` with its ``SmallBalanceBatchItem`` rows: a bulk write-off of residues, requested by one
  person and approved by another finance manager (``require_second_person``), then posted item by item through the
  ledger's ``invoice_write_off(kind="small_balance")``. Invariants: a decided batch is never decided again; an item
  is posted at most once (``posted_at`` set once) or skipped; every item's amount is positive and in its
  invoice's currency.

A residue is defined in ``arms.ledger.small_balances.residue_q``: open > 0, open < gross (something was paid or
credited) and open < the threshold of the invoice's currency. A small invoice nobody paid a cent of is not a
residue: it is still dunned.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: 50.00 in minor units: the residue threshold of every currency the company has not set one for
SMALL_BALANCE_DEFAULT_MINOR = 5_000
#: 10,000.00: a "small" balance above this is not small; the setting refuses it
SMALL_BALANCE_MAX_MINOR = 1_000_000


class SmallBalanceAccount(models.TextChoices):
    FINANCE_COSTS = "6603", _("6603 Finance costs")
    NON_OPERATING = "6711", _("6711 Non-operating expenses")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved, posting")
    POSTED = "posted", _("Posted")
    REJECTED = "rejected", _("Rejected")


class SmallBalanceThreshold(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.CASCADE, related_name="small_balance_thresholds",
                                help_text=_("The company."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("The currency the threshold is for."))
    threshold_minor = models.BigIntegerField(
        _("threshold"), help_text=_("An item partly settled with less than this open (minor units) is a residue."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it was last changed."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who changed it last."))

    class Meta:
        verbose_name = _("small-balance threshold")
        verbose_name_plural = _("small-balance thresholds")
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(fields=["company", "currency"], name="small_balance_threshold_unique"),
            models.CheckConstraint(
                condition=Q(threshold_minor__gte=0) & Q(threshold_minor__lte=SMALL_BALANCE_MAX_MINOR),
                name="small_balance_threshold_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.threshold_minor}"


class SmallBalanceSettings(models.Model):
    company = models.OneToOneField("customers.Company", on_delete=models.CASCADE,
                                   related_name="small_balance_settings", help_text=_("The company."))
    account = models.CharField(_("write-off account"), max_length=4, choices=SmallBalanceAccount.choices,
                               default=SmallBalanceAccount.FINANCE_COSTS,
                               help_text=_("Where small balances are written off: 6603 or 6711."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it was last changed."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who changed it last."))

    class Meta:
        verbose_name = _("small-balance settings")
        verbose_name_plural = _("small-balance settings")

    def __str__(self) -> str:
        return f"{self.company_id}: {self.account}"


class SmallBalanceBatch(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The company."))
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.PENDING,
                              db_index=True, help_text=_("Waiting, approved (posting), posted or rejected."))
    account = models.CharField(_("write-off account"), max_length=4, choices=SmallBalanceAccount.choices,
                               help_text=_("The account the residues are written off to."))
    on = models.DateField(_("write-off date"), help_text=_("The date the write-offs are posted with."))
    items_count = models.PositiveIntegerField(_("items"), default=0, help_text=_("How many residues it writes off."))
    total_base_minor = models.BigIntegerField(
        _("total (CNY)"), default=0, help_text=_("The residues' open amounts in CNY fen at the invoices' rates."))
    posted_count = models.PositiveIntegerField(_("posted"), default=0, help_text=_("How many are posted so far."))
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("Why the requester asks for it."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                     help_text=_("Who asked for it."))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, help_text=_("When it was asked for."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("Who approved or rejected it."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When it was decided."))
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True,
                                     help_text=_("The approver's note; why, for a rejection."))

    class Meta:
        verbose_name = _("small-balance write-off batch")
        verbose_name_plural = _("small-balance write-off batches")
        ordering = ["-requested_at", "-id"]
        permissions = [("approve_smallbalancebatch", "Can approve a bulk write-off of small balances")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=BatchStatus.PENDING, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status=BatchStatus.PENDING) & Q(decided_at__isnull=False)),
                name="small_balance_batch_decided_when_not_pending"),
        ]

    def __str__(self) -> str:
        return f"SB-{self.pk} ({self.status})"

    @property
    def reference(self) -> str:
        return f"SB-{self.pk}"


class SmallBalanceBatchItem(models.Model):
    batch = models.ForeignKey(SmallBalanceBatch, on_delete=models.CASCADE, related_name="items",
                              help_text=_("The batch."))
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="small_balance_items",
                                help_text=_("The invoice whose residue is written off."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("The invoice's currency."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("The residue when it was requested, minor units."))
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True,
                                     help_text=_("When its write-off was posted."))
    skipped = models.CharField(
        _("skipped"), max_length=300, blank=True,
        help_text=_("Why a batch posted in the background left it alone (it was paid or changed meanwhile)."))

    class Meta:
        verbose_name = _("small-balance write-off item")
        verbose_name_plural = _("small-balance write-off items")
        ordering = ["batch", "invoice"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "invoice"], name="small_balance_item_once_per_batch"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="small_balance_item_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.invoice_id}: {self.amount_minor} {self.currency}"
