"""Public and signed-in monitoring pages. Each part adds its own patterns module here."""

app_name = "monitoring"

urlpatterns: list = []
