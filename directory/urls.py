from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("shortlist/", views.shortlist, name="shortlist"),
    path("requests/", views.requests_sent, name="requests"),
    path("g/<str:public_id>/", views.profile, name="profile"),
    path("g/<str:public_id>/contact/", views.contact, name="contact"),
    path(
        "g/<str:public_id>/shortlist/", views.shortlist_toggle, name="shortlist_toggle"
    ),
    path("g/<str:public_id>/cv/", views.cv, name="cv"),
    path("g/<str:public_id>/photo/", views.photo, name="photo"),
]
