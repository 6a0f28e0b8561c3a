from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "arms.common"
    label = "common"
    verbose_name = "ARMS common"

    def ready(self):
        from django.core.signals import got_request_exception

        from arms.common.api_errors import remember_exception

        got_request_exception.connect(remember_exception, dispatch_uid="arms.api_errors")
