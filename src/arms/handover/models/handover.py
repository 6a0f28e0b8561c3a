import json

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.handover.enums import HandoverRole, HandoverStatus


class Handover(models.Model):
    role = models.CharField(_("role"), max_length=20, choices=HandoverRole.choices,
                            help_text=_("The duty that changes hands: salesperson or collector."))
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_out",
                                  help_text=_("The person handing over."))
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_in",
                                help_text=_("The successor who takes over."))
    customers = models.ManyToManyField("customers.Customer", related_name="handovers",
                                       help_text=_("The customers that move."))
    reason = models.TextField(_("reason"), max_length=MAX_NOTE, blank=True,
                              help_text=_("Why the customers change hands (leaving, new territory ...)."))
    effective_on = models.DateField(_("effective on"),
                                    help_text=_("The successor's first day; the assignment history changes then."))
    status = models.CharField(_("status"), max_length=20, choices=HandoverStatus.choices,
                              default=HandoverStatus.AWAITING,
                              help_text=_("Awaiting acknowledgement, completed or cancelled."))
    snapshot = models.TextField(_("snapshot"), help_text=_("The frozen list (open items, promises, plans, "
                                                           "disputes, tasks) as canonical JSON."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Hash of the snapshot, as text in UTF-8."))
    customer_count = models.PositiveIntegerField(_("customers"), default=0, help_text=_("Customers that move."))
    item_count = models.PositiveIntegerField(_("open items"), default=0, help_text=_("Open invoices listed."))
    task_count = models.PositiveIntegerField(_("open tasks"), default=0, help_text=_("Open tasks listed."))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  help_text=_("The finance person who opened it."))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True, help_text=_("When it was opened."))
    outgoing_ack_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Who acknowledged the outgoing side: the outgoing person, or a finance manager for them."))
    outgoing_ack_at = models.DateTimeField(_("outgoing acknowledged at"), null=True, blank=True,
                                           help_text=_("When the outgoing side was acknowledged."))
    outgoing_note = models.TextField(_("outgoing note"), max_length=MAX_NOTE, blank=True,
                                     help_text=_("What the outgoing side said with the acknowledgement."))
    incoming_ack_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Who acknowledged the incoming side: always the successor."))
    incoming_ack_at = models.DateTimeField(_("incoming acknowledged at"), null=True, blank=True,
                                           help_text=_("When the successor acknowledged."))
    incoming_note = models.TextField(_("incoming note"), max_length=MAX_NOTE, blank=True,
                                     help_text=_("What the successor said with the acknowledgement."))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True,
                                        help_text=_("When the customers, tasks and promises moved."))
    moved = models.JSONField(_("moved"), default=dict, blank=True,
                             help_text=_("What moved on completion: counts of customers, tasks, disputes, plans."))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, help_text=_("When cancelled."))
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text=_("Who cancelled it."))
    cancel_note = models.TextField(_("cancellation note"), max_length=MAX_NOTE, blank=True,
                                   help_text=_("Why it was cancelled."))

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-opened_at", "-id"]
        permissions = [
            ("acknowledge_for_outgoing", _("Can acknowledge a hand-over for an outgoing person who has left")),
            ("route_key_accounts", _("Can route key accounts to senior collectors")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(from_user=F("to_user")), name="handover_to_someone_else"),
            text_length_constraint("reason", MAX_NOTE, name="handover_reason_length"),
            text_length_constraint("outgoing_note", MAX_NOTE, name="handover_outgoing_note_length"),
            text_length_constraint("incoming_note", MAX_NOTE, name="handover_incoming_note_length"),
            text_length_constraint("cancel_note", MAX_NOTE, name="handover_cancel_note_length"),
            models.CheckConstraint(
                condition=~Q(status="completed") | (Q(outgoing_ack_at__isnull=False) & Q(incoming_ack_at__isnull=False)
                                                    & Q(completed_at__isnull=False)),
                name="handover_completed_acknowledged_by_both"),
        ]
        indexes = [models.Index(fields=["status", "role"], name="handover_status_role")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The hand-over's reference (交接单号), also the ``source`` of the assignment rows it writes."""
        return f"HO-{self.pk:06d}" if self.pk else "HO-new"

    @property
    def snapshot_data(self) -> dict:
        data: dict = json.loads(self.snapshot)
        return data
