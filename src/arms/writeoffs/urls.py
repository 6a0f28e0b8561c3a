"""Web pages of write-offs, mounted at /write-offs/."""

from django.urls import URLPattern

app_name = "writeoffs"
urlpatterns: list[URLPattern] = []
