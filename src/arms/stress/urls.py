"""Web pages of stress, mounted at /stress/."""

app_name = "stress"
urlpatterns: list = []
