from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("sessions/", views.sign_out_everywhere, name="sign_out_everywhere"),
]

# Mounted at /accounts/ beside allauth's pages, so that someone who has not set
# up a second factor yet may still use it (people.middleware).
