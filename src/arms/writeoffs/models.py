"""Write-off requests (核销坏账申请): what is to be written off, why, the evidence, and the sign-offs.

Invariants:
- A request names one customer and one or more of its invoices, each with the amount to write off (> 0, at most
  what was open when asked; re-checked under lock when posting). Numbers ``WR-000001`` are gap-free per company.
- Status moves pending -> posted | rejected | withdrawn, never back. Only the requester withdraws.
- Sign-offs: one per role (``writeoffs_one_sign_off_per_role``) and one per person (``writeoffs_one_sign_off_per_
  person``): finance, legal and audit are three different people, and none of them is the requester (the one
  four-eyes rule, ``arms.common.approvals``). A request whose CNY total is above the company's amount
  (``WriteOffSettings``) also needs an executive's sign-off (``needs_executive`` is fixed when it is made).
- When the last required sign-off is given the request is posted in the same transaction through the ledger's
  ``invoice_write_off`` (bad debt, 1231); each item then names its ``WriteOff``. A posted request has
  ``posted_at`` set (``writeoffs_posted_has_time``); a rejected one a reason.
- The collection record (the customer's contacts, dunning actions and tasks at request time) is frozen as a JSON
  attachment whose SHA-256 is stored on the request and in the audit event. Evidence files are kept once per
  content (``arms.common.attachments``) and never changed; a reason in ``EVIDENCE_REQUIRED`` needs at least one
  evidence file before anyone signs.
- The tax filing (核销后向税务机关备案) is recorded once, after posting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, amount_bound_constraint, text_length_constraint
from arms.domain.money import BASE_CURRENCY
from arms.writeoffs.enums import EvidenceKind, RequestStatus, SignOffRole, WriteOffReason

#: the CNY total above which a request also needs an executive's sign-off, unless the company set its own
EXECUTIVE_DEFAULT_MINOR = 500_000_00


class WriteOffSettings(models.Model):
    company = models.OneToOneField("customers.Company", on_delete=models.PROTECT, related_name="write_off_settings",
                                   help_text=_("The company the amount applies to."))
    executive_above_minor = models.BigIntegerField(
        _("executive sign-off above (CNY)"), default=EXECUTIVE_DEFAULT_MINOR,
        help_text=_("A request whose total is above this many CNY fen also needs an executive's sign-off."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it was last changed."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who changed it last."))

    class Meta:
        verbose_name = _("write-off settings")
        verbose_name_plural = _("write-off settings")
        constraints = [
            models.CheckConstraint(condition=Q(executive_above_minor__gte=0),
                                   name="writeoffs_executive_amount_not_negative"),
            amount_bound_constraint(("executive_above_minor",), name="writeoffs_executive_amount_bound"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.executive_above_minor}"


class WriteOffRequest(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The selling company."))
    number = models.CharField(_("number"), max_length=20, help_text=_("WR-000001, gap-free per company."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="write_off_requests",
                                 help_text=_("The customer whose receivables are to be written off."))
    reason = models.CharField(_("reason"), max_length=30, choices=WriteOffReason.choices,
                              help_text=_("Why the receivable cannot be collected."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True,
                            help_text=_("The circumstances: what was tried, what the evidence shows."))
    whole_balance = models.BooleanField(_("whole balance"), default=False,
                                        help_text=_("Asked for the customer's whole open balance."))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True,
                              help_text=_("Waiting for sign-offs, approved and posted, rejected or withdrawn."))
    total_base_minor = models.BigIntegerField(
        _("total (CNY)"), help_text=_("The items' amounts in CNY fen at their invoices' rates, when asked."))
    needs_executive = models.BooleanField(
        _("needs an executive"), default=False,
        help_text=_("The total was above the company's amount when asked: an executive signs too."))
    collection_record = models.ForeignKey(
        "common.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The customer's collection record frozen when the request was made (JSON)."))
    collection_record_sha256 = models.CharField(_("collection record hash"), max_length=64, blank=True,
                                                help_text=_("SHA-256 of the frozen collection record."))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, help_text=_("When it was asked for."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text=_("Who asked for it."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True,
                                      help_text=_("When it was posted, rejected or withdrawn."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who gave the last sign-off, rejected or withdrew."))
    decision_note = models.TextField(_("decision note"), max_length=MAX_NOTE, blank=True,
                                     help_text=_("Why it was rejected or withdrawn."))
    posted_on = models.DateField(_("posted on"), null=True, blank=True,
                                 help_text=_("The date the write-offs took effect."))
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, help_text=_("When it was posted."))
    tax_filed_on = models.DateField(_("filed with the tax office on"), null=True, blank=True,
                                    help_text=_("When the write-off was filed with the tax authority (税务备案)."))
    tax_reference = models.CharField(_("tax filing reference"), max_length=100, blank=True,
                                     help_text=_("The filing's reference at the tax office."))
    tax_note = models.TextField(_("tax filing note"), max_length=MAX_NOTE, blank=True,
                                help_text=_("Anything worth knowing about the filing."))
    tax_file = models.ForeignKey("common.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text=_("The filing receipt, if any."))
    tax_file_name = models.CharField(_("tax file name"), max_length=200, blank=True,
                                     help_text=_("The receipt's file name as uploaded."))
    tax_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", help_text=_("Who recorded the tax filing."))

    class Meta:
        verbose_name = _("write-off request")
        verbose_name_plural = _("write-off requests")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("sign_finance_writeoffrequest", _("Can sign a write-off request for finance")),
            ("sign_legal_writeoffrequest", _("Can sign a write-off request for legal")),
            ("sign_audit_writeoffrequest", _("Can sign a write-off request for audit")),
            ("sign_executive_writeoffrequest", _("Can sign a write-off request as an executive")),
            ("file_tax_writeoffrequest", _("Can record the tax filing of a write-off")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="writeoffs_number_unique_per_company"),
            models.CheckConstraint(condition=~Q(status="posted") | (Q(posted_at__isnull=False)
                                                                   & Q(posted_on__isnull=False)),
                                   name="writeoffs_posted_has_time"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_note=""),
                                   name="writeoffs_rejected_has_reason"),
            models.CheckConstraint(condition=Q(tax_filed_on__isnull=True) | Q(status="posted"),
                                   name="writeoffs_tax_filed_only_when_posted"),
            models.CheckConstraint(condition=Q(total_base_minor__gte=0), name="writeoffs_total_not_negative"),
            amount_bound_constraint(("total_base_minor",), name="writeoffs_total_bound"),
            text_length_constraint("note", MAX_NOTE, name="writeoffs_note_length"),
            text_length_constraint("decision_note", MAX_NOTE, name="writeoffs_decision_note_length"),
            text_length_constraint("tax_note", MAX_NOTE, name="writeoffs_tax_note_length"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def currency(self) -> str:
        """The currency of the totals: CNY, every item at its invoice's rate."""
        return BASE_CURRENCY

    @property
    def required_roles(self) -> list[str]:
        roles = [SignOffRole.FINANCE, SignOffRole.LEGAL, SignOffRole.AUDIT]
        return [*roles, SignOffRole.EXECUTIVE] if self.needs_executive else roles


class WriteOffItem(models.Model):
    request = models.ForeignKey(WriteOffRequest, on_delete=models.PROTECT, related_name="items",
                                help_text=_("The request it belongs to."))
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The invoice to write off."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("The invoice's currency."))
    amount_minor = models.BigIntegerField(_("amount to write off"),
                                          help_text=_("In the invoice currency, minor units; at most its open amount."))
    open_minor = models.BigIntegerField(_("open when asked"),
                                        help_text=_("The invoice's open amount when the request was made."))
    base_minor = models.BigIntegerField(_("amount (CNY)"), help_text=_("The amount at the invoice's rate, CNY fen."))
    write_off = models.OneToOneField("ledger.WriteOff", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="request_item",
                                     help_text=_("The ledger write-off, once the request is posted."))

    class Meta:
        verbose_name = _("write-off item")
        verbose_name_plural = _("write-off items")
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "invoice"], name="writeoffs_item_one_per_invoice"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0) & Q(amount_minor__lte=models.F("open_minor")),
                                   name="writeoffs_item_amount_within_open"),
            amount_bound_constraint(("amount_minor", "open_minor", "base_minor"), name="writeoffs_item_amount_bound"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.invoice_id} {self.amount_minor}"


class WriteOffSignOff(models.Model):
    request = models.ForeignKey(WriteOffRequest, on_delete=models.PROTECT, related_name="sign_offs",
                                help_text=_("The request signed."))
    role = models.CharField(_("signed as"), max_length=20, choices=SignOffRole.choices,
                            help_text=_("Finance, legal, audit or executive."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             help_text=_("Who signed."))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True, help_text=_("When."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True, help_text=_("What the signer added."))

    class Meta:
        verbose_name = _("write-off sign-off")
        verbose_name_plural = _("write-off sign-offs")
        ordering = ["request_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "role"], name="writeoffs_one_sign_off_per_role"),
            models.UniqueConstraint(fields=["request", "user"], name="writeoffs_one_sign_off_per_person"),
            text_length_constraint("note", MAX_NOTE, name="writeoffs_sign_off_note_length"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.role} {self.user_id}"


class WriteOffEvidence(models.Model):
    request = models.ForeignKey(WriteOffRequest, on_delete=models.PROTECT, related_name="evidence",
                                help_text=_("The request it supports."))
    kind = models.CharField(_("kind"), max_length=30, choices=EvidenceKind.choices,
                            help_text=_("What the file is: a judgment, a bankruptcy certificate …"))
    name = models.CharField(_("file name"), max_length=200, help_text=_("The file's name as uploaded."))
    attachment = models.ForeignKey("common.Attachment", on_delete=models.PROTECT, related_name="+",
                                   help_text=_("The stored file (kept once per content)."))
    description = models.CharField(_("description"), max_length=300, blank=True,
                                   help_text=_("What it shows, e.g. the court and case number."))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, help_text=_("When it was added."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who added it."))

    class Meta:
        verbose_name = _("write-off evidence")
        verbose_name_plural = _("write-off evidence")
        ordering = ["request_id", "id"]

    def __str__(self) -> str:
        return self.name
