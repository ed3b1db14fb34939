from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("<int:notice_id>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("notices/", views.board, name="board"),
    path("notices/<int:notice_id>/", views.service_notice_detail, name="service_notice_detail"),
]
