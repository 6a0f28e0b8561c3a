"""Web pages of incentives (奖惩), mounted at /incentives/."""

from django.urls import path

from arms.incentives import views

app_name = "incentives"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.scheme_new, name="scheme_new"),
    path("<int:scheme_id>/", views.scheme, name="scheme"),
    path("<int:scheme_id>/edit/", views.scheme_edit, name="scheme_edit"),
    path("<int:scheme_id>/compute/", views.scheme_compute, name="scheme_compute"),
    path("<int:scheme_id>/approve/", views.scheme_approve, name="scheme_approve"),
    path("<int:scheme_id>/close/", views.scheme_close, name="scheme_close"),
    path("<int:scheme_id>/ratings/", views.ratings, name="ratings"),
    path("<int:scheme_id>/people/<int:user_id>/", views.person, name="person"),
]
