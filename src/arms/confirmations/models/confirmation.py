import json

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.confirmations.enums import (
    Answer,
    ConfirmationStatus,
    DispatchChannel,
    Frequency,
    ReplyChannel,
    RunStatus,
)


class ConfirmationRun(models.Model):
    """One per company and period end: the customers asked to confirm their balance at that month end."""

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="confirmation_runs",
                                help_text=_("The company whose customers confirm."))
    period_start = models.DateField(_("period start"), help_text=_("First day of the month."))
    period_end = models.DateField(_("period end"), help_text=_("The month end the balances are confirmed as of."))
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.PREPARING,
                              help_text=_("Preparing (letters being made), ready, or failed."))
    customer_count = models.PositiveIntegerField(_("customers"), default=0,
                                                 help_text=_("Confirmations prepared in this run."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was started."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who started it; empty for the system."))
    job = models.ForeignKey("common.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            help_text=_("The background job preparing a large run."))

    class Meta:
        verbose_name = _("confirmation run")
        verbose_name_plural = _("confirmation runs")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "period_end"], name="confirmation_run_one_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="confirmation_run_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.period_end:%Y-%m}"


class Confirmation(models.Model):
    """对账确认函: one customer's balances at one period end, frozen, and the customer's answer."""

    run = models.ForeignKey(ConfirmationRun, on_delete=models.PROTECT, related_name="confirmations",
                            help_text=_("The run that prepared it."))
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company (the run's)."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="confirmations",
                                 help_text=_("The customer asked to confirm."))
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY,
                                 help_text=_("The frequency that made the period this long."))
    period_start = models.DateField(_("period start"),
                                    help_text=_("First day of the period (a quarter's first day when quarterly)."))
    period_end = models.DateField(_("period end"), db_index=True, help_text=_("The date the balance is as of."))
    currency = models.CharField(_("currency"), max_length=3,
                                help_text=_("The customer's currency (the figures below); others are in balances."))
    opening_minor = models.BigIntegerField(_("opening balance"), help_text=_("At the period start, minor units."))
    closing_minor = models.BigIntegerField(_("closing balance"), help_text=_("At the period end, minor units."))
    balances = models.JSONField(
        _("balances"), default=list,
        help_text=_("Per currency: [{currency, opening_minor, closing_minor}], the customer's currency first."),
    )
    snapshot = models.TextField(_("snapshot"), help_text=_("The letter's figures and lines as canonical JSON."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Hash of the snapshot, as text in UTF-8."))
    status = models.CharField(_("status"), max_length=20, choices=ConfirmationStatus.choices,
                              default=ConfirmationStatus.PREPARED,
                              help_text=_("Prepared, sent, confirmed, disputed or superseded."))
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True, help_text=_("When the figures froze."))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, help_text=_("When it was first sent."))
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True,
                              help_text=_("Confirmed or disputed; empty until answered."))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, help_text=_("When it was answered."))
    answered_on = models.DateField(_("answered on"), null=True, blank=True,
                                   help_text=_("The day of the answer: differences' deadlines count from it."))
    answer_channel = models.CharField(_("answer channel"), max_length=20, choices=ReplyChannel.choices, blank=True,
                                      help_text=_("Portal, signed scan, e-mail reply ..."))
    answered_contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The customer's contact who answered."),
    )
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text=_("The clerk who recorded the answer, if any."))
    answer_note = models.TextField(_("answer note"), max_length=MAX_NOTE, blank=True,
                                   help_text=_("What the customer wrote beside the answer."))
    scan = models.ForeignKey("cases.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text=_("The signed and sealed reply, stored by its SHA-256."))
    scan_name = models.CharField(_("scan file name"), max_length=200, blank=True,
                                 help_text=_("The scan's file name."))
    reminder_count = models.PositiveSmallIntegerField(_("reminders"), default=0,
                                                      help_text=_("Reminder e-mails sent."))
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True, help_text=_("When last reminded."))
    task = models.ForeignKey("cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text=_("The collector's task made when no answer came."))

    class Meta:
        verbose_name = _("balance confirmation")
        verbose_name_plural = _("balance confirmations")
        ordering = ["-period_end", "customer_id", "id"]
        permissions = [("reply_confirmation", "Can record a customer's answer to a confirmation"),
                       ("manage_confirmation_settings", "Can change confirmation settings")]
        constraints = [
            models.UniqueConstraint(fields=["customer", "period_end"], condition=~Q(status="superseded"),
                                    name="confirmation_one_per_customer_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="confirmation_period_ordered"),
            models.CheckConstraint(
                condition=(Q(status__in=["confirmed", "disputed"]) & Q(answer=F("status"))
                           & Q(answered_at__isnull=False) & ~Q(answer_channel=""))
                | (~Q(status__in=["confirmed", "disputed"]) & Q(answer="")),
                name="confirmation_answered_has_answer",
            ),
            models.CheckConstraint(condition=Q(scan__isnull=True) | ~Q(scan_name=""),
                                   name="confirmation_scan_has_name"),
            text_length_constraint("answer_note", MAX_NOTE, name="confirmation_answer_note_length"),
        ]
        indexes = [models.Index(fields=["status", "period_end"], name="confirmation_status_period")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.period_end} ({self.status})"

    @property
    def snapshot_data(self) -> dict:
        return json.loads(self.snapshot)


class ConfirmationDispatch(models.Model):
    """The letter left once: by e-mail (address, message id) or by post (carrier, tracking number)."""

    confirmation = models.ForeignKey(Confirmation, on_delete=models.PROTECT, related_name="dispatches",
                                     help_text=_("The confirmation sent."))
    channel = models.CharField(_("channel"), max_length=10, choices=DispatchChannel.choices,
                               help_text=_("E-mail or post."))
    to = models.CharField(_("to"), max_length=300, blank=True,
                          help_text=_("E-mail addresses, or the postal recipient."))
    sent_at = models.DateTimeField(_("sent at"), help_text=_("When it was sent or posted."))
    message_id = models.CharField(_("message id"), max_length=300, blank=True,
                                  help_text=_("The e-mail's Message-ID."))
    carrier = models.CharField(_("carrier"), max_length=60, blank=True, help_text=_("E.g. EMS, 顺丰."))
    tracking_no = models.CharField(_("tracking number"), max_length=60, blank=True,
                                   help_text=_("The carrier's tracking number."))
    sent_on = models.DateField(_("posted on"), null=True, blank=True, help_text=_("The day it was posted."))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True,
                                    help_text=_("The day it was delivered, when known."))
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("Anything about this dispatch."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who sent or recorded it."))

    class Meta:
        verbose_name = _("confirmation dispatch")
        verbose_name_plural = _("confirmation dispatches")
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(channel="post") | (~Q(carrier="") & Q(sent_on__isnull=False)),
                                   name="confirmation_dispatch_post_has_carrier"),
            models.CheckConstraint(condition=Q(delivered_on__isnull=True) | Q(sent_on__isnull=True)
                                   | Q(delivered_on__gte=F("sent_on")),
                                   name="confirmation_dispatch_delivered_after_posted"),
        ]

    def __str__(self) -> str:
        return f"{self.confirmation_id} {self.channel} {self.tracking_no or self.to}"
