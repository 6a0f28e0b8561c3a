from django.urls import path

from arms.contractreview import views

app_name = "contractreview"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("attention/", views.attention, name="attention"),
    path("new/", views.create, name="create"),
    path("settings/", views.settings_page, name="settings"),
    path("<int:contract_id>/", views.detail, name="detail"),
    path("<int:contract_id>/edit/", views.edit, name="edit"),
    path("<int:contract_id>/review/", views.review, name="review"),
    path("<int:contract_id>/submit/", views.submit, name="submit"),
    path("<int:contract_id>/decide/", views.decide, name="decide"),
    path("<int:contract_id>/sign/", views.sign, name="sign"),
    path("<int:contract_id>/milestones/", views.milestone_event, name="milestone_event"),
    path("<int:contract_id>/attachments/", views.attach, name="attach"),
    path("<int:contract_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
