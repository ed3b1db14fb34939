"""Staff pages of the notifications app: /staff/notices/ and /staff/notifications/ (full paths)."""

from django.urls import path

from .views import notifications as staff_views

app_name = "staff_notifications"

urlpatterns = [
    path("staff/notices/", staff_views.notices, name="notices"),
    path("staff/notices/<int:notice_id>/withdraw/", staff_views.withdraw_notice, name="withdraw_notice"),
    path("staff/notifications/", staff_views.deliveries, name="deliveries"),
    path("staff/notifications/retry/", staff_views.retry, name="retry"),
]
