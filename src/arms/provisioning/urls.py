"""Web pages of bad-debt provisioning, mounted at /provisioning/."""

from django.urls import path

from arms.provisioning import views

app_name = "provisioning"
urlpatterns = [
    path("", views.home, name="home"),
    path("preview/", views.preview, name="preview"),
    path("post/", views.post, name="post"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/pdf/", views.run_pdf, name="run_pdf"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:assessment_id>/end/", views.assessment_end, name="assessment_end"),
    path("assessments/<int:assessment_id>/evidence/", views.assessment_evidence, name="assessment_evidence"),
]
