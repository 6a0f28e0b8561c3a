"""Invoice delivery proof (送达 and 签收确认): how each invoice reached the customer and whether they confirmed it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.common.models import Attachment, ImmutableModel
from arms.ledger.enums import DeliveryChannel, DeliveryKind, ReceiptChannel
from arms.ledger.models.invoice import Invoice

#: carrier names, tracking numbers, recipients: a line each
MAX_CARRIER = 60
MAX_TRACKING_NO = 60
MAX_RECIPIENT = 200

ALL_CHANNELS = sorted({*DeliveryChannel.values, *ReceiptChannel.values})


class InvoiceDelivery(ImmutableModel):
    """One record of an invoice going out (``kind=delivery``) or of the customer confirming receipt
    (``kind=receipt``). Append-only: a wrong record is corrected by a new one with a note."""

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The invoice's company."))
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="deliveries",
                                help_text=_("The invoice delivered or confirmed."))
    kind = models.CharField(_("kind"), max_length=10, choices=DeliveryKind.choices,
                            help_text=_("A delivery (the invoice went out) or a receipt confirmation."))
    channel = models.CharField(
        _("channel"), max_length=10, choices=[(c, c) for c in ALL_CHANNELS],
        help_text=_("Delivery: e-mail, portal, post or hand. Receipt: portal button, signed scan or e-mail reply."),
    )
    occurred_on = models.DateField(_("date"), db_index=True,
                                   help_text=_("The day it was delivered, or the day receipt was confirmed."))
    carrier = models.CharField(_("carrier"), max_length=MAX_CARRIER, blank=True,
                               help_text=_("The post or courier company (EMS, SF Express ...); required for post."))
    tracking_no = models.CharField(_("tracking number"), max_length=MAX_TRACKING_NO, blank=True,
                                   help_text=_("The waybill number (运单号); required for post."))
    recipient = models.CharField(_("recipient"), max_length=MAX_RECIPIENT, blank=True,
                                 help_text=_("Who it was sent to or who signed for it (name or e-mail address)."))
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The customer's contact who confirmed receipt, if known."),
    )
    confirmed_by = models.CharField(_("confirmed by"), max_length=MAX_RECIPIENT, blank=True,
                                    help_text=_("Receipt: the contact's name, or the user who recorded it."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True,
                            help_text=_("Anything worth keeping; a correction says what it corrects."))
    batch = models.CharField(_("batch"), max_length=40, blank=True,
                             help_text=_("Shared by invoices recorded together (one envelope)."))
    scan = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The signed receipt (签收单) scan, stored by SHA-256."),
    )
    scan_name = models.CharField(_("scan file name"), max_length=200, blank=True,
                                 help_text=_("The scan's file name."))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, help_text=_("When it was recorded."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The user who recorded it; empty for the system or a portal contact."),
    )
    recorded_by_name = models.CharField(_("recorded by"), max_length=150, blank=True,
                                        help_text=_("Who recorded it as the audit trail names them."))

    class Meta:
        verbose_name = _("invoice delivery")
        verbose_name_plural = _("invoice deliveries")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            text_length_constraint("note", MAX_NOTE, name="invoice_delivery_note_length"),
            models.CheckConstraint(
                condition=(Q(kind=DeliveryKind.DELIVERY, channel__in=DeliveryChannel.values)
                           | Q(kind=DeliveryKind.RECEIPT, channel__in=ReceiptChannel.values)),
                name="invoice_delivery_channel_fits_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=DeliveryKind.DELIVERY, channel=DeliveryChannel.POST)
                | (~Q(carrier="") & ~Q(tracking_no="")),
                name="invoice_delivery_post_has_tracking",
            ),
            models.CheckConstraint(condition=Q(scan__isnull=True) | ~Q(scan_name=""),
                                   name="invoice_delivery_scan_has_name"),
        ]
        indexes = [models.Index(fields=["invoice", "kind"], name="invoice_delivery_by_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.occurred_on:%Y-%m-%d}"
