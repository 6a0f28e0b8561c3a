"""Web pages of collection cases, mounted at /collections/."""

app_name = "cases"
urlpatterns: list = []
