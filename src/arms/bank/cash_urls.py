"""Web pages of cash application (the clerk's workbench), mounted at /cash/."""

from django.urls import path  # noqa: F401

app_name = "cash"
urlpatterns: list = []
