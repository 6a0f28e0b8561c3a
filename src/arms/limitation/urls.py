"""Web pages of limitation periods, mounted at /limitation/."""

from django.urls import URLPattern

app_name = "limitation"
urlpatterns: list[URLPattern] = []
