from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    WHOLESALE = "wholesale", _("Wholesale and retail")
    AUTOMOTIVE = "automotive", _("Automotive")
    ELECTRONICS = "electronics", _("Electronics")
    ENERGY = "energy", _("Energy")
    LOGISTICS = "logistics", _("Logistics")
    HEALTHCARE = "healthcare", _("Healthcare")
    AGRICULTURE = "agriculture", _("Agriculture")
    SERVICES = "services", _("Services")
    PUBLIC = "public", _("Government and public institutions")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    NORTH = "north", _("North China")
    NORTHEAST = "northeast", _("Northeast China")
    EAST = "east", _("East China")
    SOUTH = "south", _("South China")
    CENTRAL = "central", _("Central China")
    SOUTHWEST = "southwest", _("Southwest China")
    NORTHWEST = "northwest", _("Northwest China")
    OVERSEAS = "overseas", _("Overseas")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    INACTIVE = "inactive", _("Inactive")


class TermBasis(models.TextChoices):
    INVOICE_DATE = "invoice_date", _("Days after invoice date")
    MONTH_END = "month_end", _("Days after month end (月结)")
