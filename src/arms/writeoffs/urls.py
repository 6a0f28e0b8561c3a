"""Web pages of write-offs, mounted at /write-offs/."""

from django.urls import URLPattern

from arms.writeoffs.small_urls import small_balance_urlpatterns

app_name = "writeoffs"
urlpatterns: list[URLPattern] = []
urlpatterns += small_balance_urlpatterns
