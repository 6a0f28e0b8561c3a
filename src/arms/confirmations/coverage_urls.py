"""The coverage page of balance confirmations, mounted at /confirmations/coverage/."""

from django.urls import path

from arms.confirmations import coverage_views

app_name = "confirmation_coverage"
urlpatterns = [
    path("", coverage_views.coverage, name="coverage"),
]
