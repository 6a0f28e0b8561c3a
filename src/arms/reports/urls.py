"""Web pages of the dashboard and management reports, mounted at /reports/."""

app_name = "reports"
urlpatterns: list = []
