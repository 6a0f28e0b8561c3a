"""Web pages of dunning, mounted at /dunning/."""

from django.urls import path

from arms.dunning import views

app_name = "dunning"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/all/", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/letter.pdf", views.action_letter, name="letter"),
    path("actions/<int:action_id>/statement.pdf", views.action_statement, name="statement"),
    path("actions/<int:action_id>/process/", views.action_retry, name="action_process"),
    path("emails/", views.email_list, name="emails"),
    path("emails/retry/", views.email_retry, name="emails_retry"),
    path("emails/<int:email_id>/retry/", views.email_retry, name="email_retry"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<int:policy_id>/edit/", views.policy_edit, name="policy_edit"),
    path("exclusions/", views.exclusion_list, name="exclusions"),
    path("exclusions/<int:exclusion_id>/lift/", views.exclusion_end, name="exclusion_lift"),
]
