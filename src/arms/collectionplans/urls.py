"""Web pages of collection plans, mounted at /collection-plans/."""

from django.urls import path

from arms.collectionplans import views

app_name = "collectionplans"
urlpatterns = [
    path("", views.plan_list, name="home"),
    path("new/", views.plan_create, name="create"),
    path("variance/", views.variance, name="variance"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/lines/", views.plan_lines, name="lines"),
    path("<int:plan_id>/submit/", views.plan_submit, name="submit"),
    path("<int:plan_id>/approve/", views.plan_approve, name="approve"),
    path("<int:plan_id>/return/", views.plan_return, name="return"),
    path("<int:plan_id>/cancel/", views.plan_cancel, name="cancel"),
    path("<int:plan_id>/close/", views.plan_close, name="close"),
]
