"""Web pages of credit exposure and holds, mounted at /credit/holds/."""

from django.urls import path

from arms.exposure import views

app_name = "exposure"
urlpatterns = [
    path("", views.hold_list, name="hold_list"),
    path("place/", views.hold_place, name="hold_place"),
    path("<int:hold_id>/release/", views.hold_release, name="hold_release"),
    path("overrides/", views.override_list, name="override_list"),
    path("overrides/request/", views.override_request, name="override_request"),
    path("overrides/<int:override_id>/approve/", views.override_approve, name="override_approve"),
    path("overrides/<int:override_id>/reject/", views.override_reject, name="override_reject"),
    path("check/", views.credit_check, name="check"),
    path("customers/<int:customer_id>/", views.customer_exposure, name="customer"),
    path("settings/", views.credit_settings, name="settings"),
]
