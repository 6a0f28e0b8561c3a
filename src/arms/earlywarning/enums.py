"""Choices of early warning. Values are stable codes (API, database); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from arms.domain.earlywarning import METRICS, Unit, WindowUnit


class Metric(models.TextChoices):
    """What an indicator watches (``arms.domain.earlywarning.METRICS`` says each one's unit and window)."""

    OLDEST_OVERDUE_DAYS = "oldest_overdue_days", _("Days overdue of the oldest item")
    OVERDUE_AMOUNT = "overdue_amount", _("Overdue amount of a customer")
    OVERDUE_RATIO = "overdue_ratio", _("Overdue ratio")
    BAD_DEBT_RATIO = "bad_debt_ratio", _("Bad-debt ratio")
    DSO_RISE = "dso_rise", _("DSO rise over the window")
    DAYS_LATE_RISING = "days_late_rising", _("Customer's average days late rising")
    VOLUME_DROP = "volume_drop", _("Customer's invoiced volume down against its trailing year")
    CREDIT_UTILISATION = "credit_utilisation", _("Credit limit utilisation")
    BROKEN_PROMISES = "broken_promises", _("Broken promises to pay in the window")
    CONCENTRATION_LARGEST = "concentration_largest", _("Concentration: largest customer's share")
    CONCENTRATION_TOP10 = "concentration_top10", _("Concentration: top 10 customers' share")
    EXTERNAL_FACTS = "external_facts", _("Adverse external facts on the credit file")
    CONFIRMATIONS_UNANSWERED = "confirmations_unanswered", _("Balance confirmations unanswered")


assert set(Metric.values) == set(METRICS), "every metric has a label and a rule"


class ScopeKind(models.TextChoices):
    """Whose receivables an indicator watches."""

    COMPANY = "company", _("The whole company")
    COLLECTOR = "collector", _("A collector's customers (team)")
    SALESPERSON = "salesperson", _("A salesperson's customers")
    GRADE = "grade", _("A customer group: credit grade")
    REGION = "region", _("A customer group: region")
    INDUSTRY = "industry", _("A customer group: industry")
    CUSTOMER = "customer", _("One customer")


class Severity(models.TextChoices):
    INFO = "info", pgettext_lazy("warning severity", "Information")
    WARNING = "warning", pgettext_lazy("warning severity", "Warning")
    CRITICAL = "critical", pgettext_lazy("warning severity", "Critical")


#: most severe first (lists, the management report)
SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


class WarningStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("early warning", "Open")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("early warning", "Acknowledged")
    CLOSED = "closed", pgettext_lazy("early warning", "Closed (recovered)")


#: a warning that still stands (one per indicator and subject)
STANDING = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED)


class SignalCategory(models.TextChoices):
    """What a salesperson noticed in the field."""

    ORDERS_DOWN = "orders_down", _("Orders falling")
    PAYING_LATER = "paying_later", _("Paying later than usual")
    MANAGEMENT_CHANGE = "management_change", _("Management or ownership change")
    OPERATING_TROUBLE = "operating_trouble", _("Operating trouble (layoffs, stopped production)")
    LEGAL_TROUBLE = "legal_trouble", _("Lawsuits, enforcement or frozen accounts")
    OTHER = "other", _("Other risk")


class SignalStatus(models.TextChoices):
    RAISED = "raised", pgettext_lazy("risk signal", "Waiting for the credit manager")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("risk signal", "Acknowledged")


UNIT_LABELS = {
    Unit.DAYS: _("days"),
    Unit.BP: _("percent"),
    Unit.MONEY: _("CNY amount"),
    Unit.COUNT: _("count"),
}
WINDOW_LABELS = {WindowUnit.NONE: "", WindowUnit.DAYS: _("days"), WindowUnit.MONTHS: _("months")}
