"""Web pages of stress, mounted at /stress/."""

from django.urls import path

from arms.stress import views

app_name = "stress"
urlpatterns = [
    path("", views.home, name="home"),
    path("scenarios/new/", views.scenario_new, name="scenario_new"),
    path("scenarios/<int:scenario_id>/", views.scenario, name="scenario"),
    path("scenarios/<int:scenario_id>/edit/", views.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:scenario_id>/delete/", views.scenario_delete, name="scenario_delete"),
    path("scenarios/<int:scenario_id>/run/", views.scenario_run, name="scenario_run"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("runs/<int:run_id>/pdf/", views.run_pdf, name="run_pdf"),
    path("cost/", views.cost, name="cost"),
    path("settings/", views.settings_view, name="settings"),
]
