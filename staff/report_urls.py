"""Public endpoints of the moderation queue: the report form and the report webhook."""

from django.urls import path

from .views import reports

app_name = "reports"

urlpatterns = [
    path("report/<str:handle>/", reports.report_channel, name="report_channel"),
    path("webhooks/reports/", reports.report_webhook, name="report_webhook"),
]
