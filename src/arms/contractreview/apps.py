from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractReviewConfig(AppConfig):
    name = "arms.contractreview"
    label = "contractreview"
    verbose_name = _("Contract review")
