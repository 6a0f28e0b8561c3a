from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "arms.common"
    label = "common"
    verbose_name = "ARMS common"
