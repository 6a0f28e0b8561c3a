from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionPlansConfig(AppConfig):
    name = "arms.collectionplans"
    label = "collectionplans"
    verbose_name = _("Collection plans")
