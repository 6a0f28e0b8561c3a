"""Web pages of the monthly sales–finance reconciliation, mounted at /sales-reconciliations/."""

from django.urls import path

from arms.salesrecon import views

app_name = "salesrecon"
urlpatterns = [
    path("", views.reconciliation_list, name="list"),
    path("<int:reconciliation_id>/", views.reconciliation_detail, name="detail"),
    path("<int:reconciliation_id>/answer/", views.reconciliation_answer, name="answer"),
    path("<int:reconciliation_id>/sign-off/", views.reconciliation_sign_off, name="sign_off"),
    path("differences/<int:difference_id>/assign/", views.difference_assign, name="difference_assign"),
    path("differences/<int:difference_id>/resolve/", views.difference_resolve, name="difference_resolve"),
]
