"""/portal/: the customer portal (a contact of one customer, entered with a link; docs/portal.md)."""

from django.urls import path

from arms.portal import views

app_name = "portal"

urlpatterns = [
    path("enter/<str:token>/", views.enter, name="enter"),
    path("", views.home, name="home"),
]
