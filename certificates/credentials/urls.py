"""The school's published credential material, outside the language prefixes
(machines ask for the same URL whatever their language)."""

from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("status/<id:number>", views.status_list, name="status_list"),
]
