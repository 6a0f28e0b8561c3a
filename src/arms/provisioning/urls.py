"""Web pages of bad-debt provisioning, mounted at /provisioning/."""

from django.urls import URLPattern

app_name = "provisioning"
urlpatterns: list[URLPattern] = []
