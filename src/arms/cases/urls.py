"""Web pages of collection cases, mounted at /collections/."""

from django.urls import path

from arms.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("disputes/", views.dispute_list, name="disputes"),
    path("promises/", views.promise_list, name="promises"),
    path("plans/", views.plan_list, name="plans"),
    path("customers/<int:customer_id>/", views.case, name="case"),
    path("customers/<int:customer_id>/activities/", views.activity_add, name="activity_add"),
    path("customers/<int:customer_id>/tasks/", views.task_add, name="task_add"),
    path("customers/<int:customer_id>/promises/", views.promise_add, name="promise_add"),
    path("customers/<int:customer_id>/plans/", views.plan_add, name="plan_add"),
    path("customers/<int:customer_id>/disputes/", views.dispute_add, name="dispute_add"),
    path("customers/<int:customer_id>/bundle/", views.bundle_download, name="bundle"),
    path("tasks/<int:task_id>/complete/", views.task_done, name="task_complete"),
    path("tasks/<int:task_id>/cancel/", views.task_drop, name="task_cancel"),
    path("plans/<int:plan_id>/<str:decision>/", views.plan_decide, name="plan_decide"),
    path("disputes/<int:dispute_id>/resolve/", views.dispute_close, name="dispute_resolve"),
    path("activities/<int:activity_id>/attachment/", views.attachment_download, name="attachment"),
]
