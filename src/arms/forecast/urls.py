"""Web pages of forecast, mounted at /forecast/."""

from django.urls import path

from arms.forecast import views

app_name = "forecast"
urlpatterns = [
    path("", views.home, name="home"),
    path("run/", views.run, name="run"),
    path("list/", views.forecast_list, name="list"),
    path("accuracy/", views.accuracy, name="accuracy"),
    path("<int:forecast_id>/", views.detail, name="detail"),
]
