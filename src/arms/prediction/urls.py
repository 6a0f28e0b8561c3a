"""Web pages of prediction, mounted at /prediction/."""

from django.urls import path

from arms.prediction import views

app_name = "prediction"
urlpatterns = [
    path("", views.home, name="home"),
    path("train/", views.train, name="train"),
    path("items/", views.items, name="items"),
    path("models/<int:version_id>/", views.version, name="version"),
    path("models/<int:version_id>/activate/", views.activate, name="activate"),
]
