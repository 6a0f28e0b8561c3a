"""Web pages of legal, mounted at /legal/."""

from django.urls import URLPattern

app_name = "legal"
urlpatterns: list[URLPattern] = []
