"""Companies (legal entities that sell) and their customers.

Invariants:
- A customer's code is unique within its company; its 统一社会信用代码 (if given) passes the GB 32100
  check digit and is unique within the company.
- A customer's payment terms (days + basis) give the due date of invoices that name no contract.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.common.models import TimeStampedModel
from arms.customers.enums import CustomerStatus, Industry, Region, TermBasis
from arms.customers.uscc import uscc_message
from arms.domain.money import BASE_CURRENCY
from arms.domain.terms import PaymentTerms
from arms.domain.terms import TermBasis as DomainBasis
from arms.domain.uscc import UsccError, validate_uscc


def uscc_validator(value: str) -> None:
    try:
        validate_uscc(value)
    except UsccError as exc:
        raise ValidationError(uscc_message(exc)) from exc


class Company(TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Short code of the legal entity."))
    name = models.CharField(_("name"), max_length=200, help_text=_("Registered name of the legal entity."))
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[uscc_validator],
        help_text=_("统一社会信用代码 of the legal entity."),
    )
    base_currency = models.CharField(
        _("base currency"), max_length=3, default=BASE_CURRENCY, editable=False,
        help_text=_("Currency the books are kept in: always CNY (ADR 0001); the database refuses another."),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            # The base currency is a constant of the code (arms.domain.money.BASE_CURRENCY), not a setting:
            # labels, reports and the journal all assume it. A company in another base currency is refused.
            models.CheckConstraint(condition=models.Q(base_currency=BASE_CURRENCY), name="company_base_currency_cny"),
        ]

    def __str__(self) -> str:
        return self.name


class Customer(TimeStampedModel):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, help_text=_("The company that sells."))
    code = models.CharField(_("customer code"), max_length=40, help_text=_("Unique within the company."))
    name = models.CharField(_("name"), max_length=200, db_index=True, help_text=_("Registered customer name."))
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[uscc_validator],
        help_text=_("统一社会信用代码, checked against its GB 32100 check digit."),
    )
    industry = models.CharField(
        _("industry"), max_length=20, choices=Industry.choices, default=Industry.OTHER,
        help_text=_("Industry, for risk and analytics."),
    )
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, default=Region.EAST,
        help_text=_("Sales region."),
    )
    province = models.CharField(_("province"), max_length=20, blank=True, help_text=_("Province or municipality."))
    address = models.CharField(_("address"), max_length=300, blank=True, help_text=_("Registered address."))
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sales_customers",
        help_text=_("The salesperson who owns the relationship; sales staff see only their own customers."),
    )
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="collector_customers", help_text=_("The collector assigned to this customer."),
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, help_text=_("Default days until an invoice is due.")
    )
    payment_terms_basis = models.CharField(
        _("payment terms basis"), max_length=20, choices=TermBasis.choices, default=TermBasis.INVOICE_DATE,
        help_text=_("Count the days from the invoice date or from the end of its month (月结)."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="CNY", help_text=_("Usual invoicing currency.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE,
        help_text=_("Active customers can be invoiced; inactive ones are kept for history."),
    )
    notes = models.TextField(_("notes"), max_length=MAX_NOTE, blank=True, help_text=_("Anything the team should know."))
    key_account = models.BooleanField(
        _("key account"), default=False,
        help_text=_("A key account (重点客户): its collection is routed to a senior collector."),
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]
        # who owns a customer decides who sees it (a salesperson sees only their own): a permission of its own,
        # apart from editing the customer's details and terms (customers.change_customer)
        permissions = [("assign_owner", _("Can change a customer's salesperson and collector")),
                       ("set_key_account", _("Can flag a customer as a key account"))]
        constraints = [
            text_length_constraint("notes", MAX_NOTE, name="customer_notes_length"),
            models.UniqueConstraint(fields=["company", "code"], name="customer_code_unique_per_company"),
            models.UniqueConstraint(
                fields=["company", "uscc"], condition=~models.Q(uscc=""), name="customer_uscc_unique_per_company"
            ),
            models.CheckConstraint(
                condition=models.Q(payment_terms_days__lte=3650), name="customer_payment_terms_at_most_10_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def payment_terms(self) -> PaymentTerms:
        return PaymentTerms(self.payment_terms_days, DomainBasis(self.payment_terms_basis))


class AssignmentRole(models.TextChoices):
    SALESPERSON = "salesperson", _("Salesperson")
    COLLECTOR = "collector", _("Collector")


class CustomerAssignment(models.Model):
    """Who was responsible for a customer, as salesperson or collector, from one day until another.

    Invariants: at most one open row (``valid_to`` empty) per customer and role; ``valid_to`` > ``valid_from``
    (the day the successor took over; the row covers ``valid_from <= day < valid_to``). Written by the services
    that change a customer's salesperson or collector; read to credit cash to whoever was responsible when it
    came (incentives) and to show the history of a customer's owners.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="assignments", help_text=_("The customer.")
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices, help_text=_("Which duty."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Who was responsible; empty for nobody."),
    )
    valid_from = models.DateField(_("from"), help_text=_("First day of the responsibility."))
    valid_to = models.DateField(_("until"), null=True, blank=True,
                                help_text=_("The day the successor took over; empty while current."))
    source = models.CharField(_("source"), max_length=60, blank=True,
                              help_text=_("What made the change: an edit, a hand-over (its reference), the start."))

    class Meta:
        verbose_name = _("customer assignment")
        verbose_name_plural = _("customer assignments")
        ordering = ["customer", "role", "valid_from"]
        indexes = [models.Index(fields=["role", "user", "valid_from"], name="assignment_role_user")]
        constraints = [
            models.UniqueConstraint(fields=["customer", "role"], condition=models.Q(valid_to__isnull=True),
                                    name="assignment_one_open_per_role"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True)
                                   | models.Q(valid_to__gt=models.F("valid_from")),
                                   name="assignment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.role} {self.user_id} {self.valid_from}–{self.valid_to or ''}"


class Contact(TimeStampedModel):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", help_text=_("Whose contact this is.")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Full name."))
    role = models.CharField(_("role"), max_length=100, blank=True, help_text=_("E.g. 财务经理, 采购."))
    phone = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("Mobile or landline."))
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Where statements and reminders go."))
    is_primary = models.BooleanField(_("primary"), default=False, help_text=_("The first person to contact."))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class PortalAccess(models.Model):
    """A link into the customer portal for one contact of one customer (``arms.customers.portal_access``).

    Invariants: only the SHA-256 of the raw token is stored (the raw token is in the link that was sent, once);
    an access is live while it is neither revoked nor past ``expires_at``; it only ever shows its own customer.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="portal_accesses",
        help_text=_("The one customer this link shows; never any other."),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="portal_accesses",
        help_text=_("The customer's contact the link was issued to; their actions are recorded under their name."),
    )
    token_hash = models.CharField(
        _("token hash"), max_length=64, unique=True,
        help_text=_("SHA-256 of the link's token; the token itself is never stored."),
    )
    purpose = models.CharField(
        _("purpose"), max_length=200, blank=True, help_text=_("Why the link was issued, e.g. a confirmation run."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who issued the link (empty when the system did)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When the link was issued."))
    expires_at = models.DateTimeField(_("expires at"), help_text=_("After this the link opens nothing."))
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, help_text=_("Set when revoked; a revoked link opens nothing."),
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who revoked the link."),
    )
    last_used_at = models.DateTimeField(
        _("last used"), null=True, blank=True, help_text=_("When the contact last entered with the link."),
    )
    use_count = models.PositiveIntegerField(
        _("times used"), default=0, help_text=_("How many times the contact entered the portal with the link."),
    )

    class Meta:
        verbose_name = _("portal link")
        verbose_name_plural = _("portal links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="portal_access_expires_after_created"),
        ]

    def __str__(self) -> str:
        return f"{self.customer.code} {self.contact.name} #{self.pk}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class PortalLogin(models.Model):
    """A contact's own password for the customer portal, when the company lets contacts log in
    (``ARMS_PORTAL_CONTACT_LOGIN``). The contact sets it from a portal session entered with a link; logging in with
    it at /portal/login/ issues a short portal access like a link does. Only Django's password hash is stored."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, related_name="portal_login",
        help_text=_("The contact who logs in; their e-mail address is the login name."),
    )
    password = models.CharField(_("password"), max_length=128, help_text=_("Django's salted hash of the password."))
    set_at = models.DateTimeField(_("set at"), help_text=_("When the contact last set the password."))
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True,
                                         help_text=_("When the contact last logged in with it."))

    class Meta:
        verbose_name = _("portal login")
        verbose_name_plural = _("portal logins")

    def __str__(self) -> str:
        return str(self.contact)
