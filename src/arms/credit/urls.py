"""Web pages of credit management, mounted at /credit/ (holds and overrides live under /credit/holds/)."""

from django.urls import path

from arms.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.index, name="index"),
    path("review/", views.review_queue, name="review"),
    path("policies/", views.policies, name="policies"),
    path("customers/<int:customer_id>/", views.credit_file, name="file"),
    path("customers/<int:customer_id>/rate/", views.rate, name="rate"),
    path("customers/<int:customer_id>/facts/", views.file_update, name="file_update"),
    path("customers/<int:customer_id>/financials/", views.financials_save, name="financials_save"),
    path("customers/<int:customer_id>/limit-request/", views.limit_request_new, name="limit_request_new"),
    path("ratings/<int:rating_id>/", views.rating_detail, name="rating"),
    path("proposals/<int:proposal_id>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:proposal_id>/reject/", views.proposal_reject, name="proposal_reject"),
    path("limit-requests/", views.limit_request_list, name="limit_requests"),
    path("guarantees/", views.guarantee_list, name="guarantees"),
    path("customers/<int:customer_id>/guarantees/", views.guarantee_create, name="guarantee_create"),
    path("guarantees/<int:guarantee_id>/release/", views.guarantee_release, name="guarantee_release"),
    path("guarantees/<int:guarantee_id>/document/", views.guarantee_document, name="guarantee_document"),
    path("limit-requests/<int:request_id>/", views.limit_request_detail, name="limit_request"),
    path("limit-requests/<int:request_id>/approve/", views.limit_request_approve, name="limit_request_approve"),
    path("limit-requests/<int:request_id>/reject/", views.limit_request_reject, name="limit_request_reject"),
    path("limit-requests/<int:request_id>/cancel/", views.limit_request_cancel, name="limit_request_cancel"),
]
