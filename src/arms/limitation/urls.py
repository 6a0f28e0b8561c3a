"""Web pages of limitation periods, mounted at /limitation/."""

from django.urls import path

from arms.limitation import views

app_name = "limitation"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("refresh/", views.refresh, name="refresh"),
    path("settings/", views.settings_view, name="settings"),
    path("invoices/<int:invoice_id>/", views.claim, name="claim"),
    path("customers/<int:customer_id>/", views.customer, name="customer"),
    path("customers/<int:customer_id>/record/", views.record, name="record"),
    path("interruptions/<int:interruption_id>/evidence/", views.evidence, name="evidence"),
]
