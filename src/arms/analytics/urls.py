"""Web pages of analytics and reports, mounted at /analytics/."""

app_name = "analytics"
urlpatterns: list = []
