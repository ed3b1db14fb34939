from django.urls import path

from .views import core as views

app_name = "channels_admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("language/", views.switch_language, name="switch_language"),
    path("robots.txt", views.robots, name="robots"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("channels/<str:handle>/", views.channel_detail, name="channel_detail"),
    path("channels/<str:handle>/managers/invite/", views.invite_manager, name="invite_manager"),
    path("channels/<str:handle>/managers/<int:membership_id>/remove/", views.remove_manager, name="remove_manager"),
    path("channels/<str:handle>/managers/<int:membership_id>/make-master/", views.transfer_master, name="transfer_master"),
]
