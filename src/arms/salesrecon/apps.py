from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesReconConfig(AppConfig):
    name = "arms.salesrecon"
    label = "salesrecon"
    verbose_name = _("Sales–finance reconciliation")
