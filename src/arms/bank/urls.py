"""Web pages of bank accounts and statements, mounted at /bank/."""

from django.urls import path  # noqa: F401

app_name = "bank"
urlpatterns: list = []
