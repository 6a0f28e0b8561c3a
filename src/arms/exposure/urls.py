"""Web pages of credit exposure and holds, mounted at /credit/holds/."""

app_name = "exposure"
urlpatterns: list = []
