"""Web pages of the dashboard and management reports, mounted at /reports/."""

from django.urls import path

from arms.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:key>.<str:fmt>", views.dashboard_export, name="export"),
    path("monthly/", views.monthly_list, name="monthly"),
    path("monthly/generate/", views.monthly_generate, name="monthly_generate"),
    path("monthly/<int:run_id>/download/", views.run_download, name="run_download"),
]
