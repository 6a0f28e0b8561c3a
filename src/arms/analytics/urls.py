"""Web pages of analytics, mounted at /analytics/."""

from django.urls import path

from arms.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("aging/", views.aging, name="aging"),
    path("aging/items/", views.aging_drill, name="aging_items"),
    path("kpis/", views.kpis, name="kpis"),
    path("team/", views.team, name="team"),
    path("budgets/", views.budgets, name="budgets"),
    path("budgets/<int:budget_id>/", views.budget_edit, name="budget_edit"),
    path("budgets/<int:budget_id>/delete/", views.budget_delete, name="budget_delete"),
]
