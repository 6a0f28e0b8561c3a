"""Web pages of bank accounts and statements, mounted at /bank/."""

from django.urls import path

from arms.bank import views

app_name = "bank"
urlpatterns = [
    path("", views.statement_list, name="statements"),
    path("statements/<int:statement_id>/", views.statement_detail, name="statement"),
    path("upload/", views.upload, name="upload"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:account_id>/", views.account_edit, name="account_edit"),
    path("accounts/<int:account_id>/columns/", views.account_columns, name="account_columns"),
]
