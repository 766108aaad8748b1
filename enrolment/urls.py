from django.urls import path

from . import views

app_name = "enrolment"

urlpatterns = [
    path("courses/", views.my_courses, name="my_courses"),
    path("courses/<id:pk>/cancel/", views.enrolment_cancel_view, name="cancel"),
    path("editions/<id:edition_id>/enrol/", views.enrol, name="enrol"),
    path("offers/<str:token>/", views.offer, name="offer"),
    path("invitations/", views.invitations, name="invitations"),
]
