from django.urls import path

from .views import content
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
    path("channels/<str:handle>/posts/", content.post_list, name="post_list"),
    path("channels/<str:handle>/posts/new/", content.post_form, name="post_create"),
    path("channels/<str:handle>/posts/<int:post_id>/edit/", content.post_form, name="post_edit"),
    path("channels/<str:handle>/broadcasts/", content.broadcast_list, name="broadcast_list"),
    path("channels/<str:handle>/profile/", content.profile_form, name="profile_edit"),
    path("channels/<str:handle>/paid-services/", content.paid_service_list, name="paid_service_list"),
    path("restrictions/", content.restriction_list, name="restriction_list"),
    path("restrictions/<int:pk>/", content.restriction_detail, name="restriction_detail"),
    path("restrictions/<int:pk>/appeal/", content.file_appeal, name="file_appeal"),
]
