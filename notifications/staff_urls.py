"""Staff pages of the notifications app, mounted at /staff/ next to the restrictions' staff URLs."""

from django.urls import path

from . import staff_views

app_name = "staff_notifications"

urlpatterns = [
    path("notices/", staff_views.notices, name="notices"),
    path("notices/<int:notice_id>/withdraw/", staff_views.withdraw_notice, name="withdraw_notice"),
    path("notifications/", staff_views.deliveries, name="deliveries"),
    path("notifications/retry/", staff_views.retry, name="retry"),
]
