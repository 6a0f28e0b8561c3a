from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer (电汇)")
    BANK_ACCEPTANCE = "bank_acceptance", _("Bank acceptance bill (银行承兑汇票)")
    COMMERCIAL_ACCEPTANCE = "commercial_acceptance", _("Commercial acceptance bill (商业承兑汇票)")
    CASH = "cash", _("Cash (现金)")
    ONLINE = "online", _("Online payment (网银/第三方支付)")


BILL_METHODS = {PaymentMethod.BANK_ACCEPTANCE, PaymentMethod.COMMERCIAL_ACCEPTANCE}
#: the method codes, built once (``PaymentMethod.values`` builds its list at every use; the bulk path checks thousands)
PAYMENT_METHOD_CODES = frozenset(PaymentMethod.values)


class PaymentStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")


class EntryKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    PAYMENT = "payment", _("Payment")
    PAYMENT_REVERSAL = "payment_reversal", _("Payment reversal")
    ALLOCATION = "allocation", _("Allocation")
    ALLOCATION_REVERSAL = "allocation_reversal", _("Allocation reversal")
    PROVISION = "provision", _("Bad-debt provision")
    WRITE_OFF = "write_off", _("Write-off")
    WRITE_OFF_RECOVERY = "write_off_recovery", _("Recovery of a written-off amount")


class WriteOffKind(models.TextChoices):
    """What a write-off (核销坏账) takes the receivable to: the allowance, or an expense for a small balance."""

    BAD_DEBT = "bad_debt", _("Bad debt (against the allowance)")
    SMALL_BALANCE = "small_balance", _("Small balance")


#: the accounts a write-off may debit: 1231 坏账准备 for a bad debt; 6603 财务费用 or 6711 营业外支出 for a
#: small balance
WRITE_OFF_ACCOUNTS = ("1231", "6603", "6711")
#: which of them fit each kind
WRITE_OFF_KIND_ACCOUNTS = {"bad_debt": ("1231",), "small_balance": ("6603", "6711")}


def entry_kind_label(kind: str) -> str:
    """A statement line's kind ("invoice", "payment" ...) as its translated label."""
    return str(EntryKind(kind).label) if kind in EntryKind.values else kind


def statement_description(text: str) -> str:
    """A statement line's description; a payment without a payer's text falls back to its method's code, which
    is shown as the method's label."""
    return str(PaymentMethod(text).label) if text in PAYMENT_METHOD_CODES else text


class ApprovalKind(models.TextChoices):
    """What a pending approval (四眼原则, manual cash application above the company's amount) will do once approved."""

    ALLOCATION = "allocation", _("Allocation")
    ALLOCATION_REVERSAL = "allocation_reversal", _("Allocation reversal")
    CREDIT_NOTE = "credit_note", _("Credit note")
    INVOICE = "invoice", _("Invoice")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DeliveryKind(models.TextChoices):
    """What an invoice delivery record says: the invoice went out, or the customer confirmed receiving it."""

    DELIVERY = "delivery", _("Delivery")
    RECEIPT = "receipt", _("Receipt confirmed")


class DeliveryChannel(models.TextChoices):
    """How an invoice reached the customer (送达方式)."""

    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Customer portal")
    POST = "post", _("Post (EMS, courier)")
    HAND = "hand", _("Hand delivery")


class ReceiptChannel(models.TextChoices):
    """How the customer confirmed receiving an invoice (签收确认)."""

    PORTAL = "portal", _("Portal button")
    SCAN = "scan", _("Signed receipt scan")
    EMAIL = "email", _("E-mail reply (recorded by the clerk)")


class DeliveryState(models.TextChoices):
    """An invoice's delivery state, derived from its delivery records."""

    UNDELIVERED = "undelivered", _("Not delivered")
    DELIVERED = "delivered", _("Delivered, receipt not confirmed")
    CONFIRMED = "confirmed", _("Receipt confirmed")
