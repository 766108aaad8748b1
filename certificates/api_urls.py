from django.urls import path

from . import views

app_name = "certificates_api"

# Outside the language prefixes: machines ask for the same URL in any language.
urlpatterns = [
    path("verify/", views.verify_upload_json, name="upload"),
    path("<str:code>/", views.verify_json, name="verify"),
]
