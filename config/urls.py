from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from channels_admin.views import core as channels_views
from platform_api.api import unknown_path as api_unknown_path
from platform_api.api import urls as api_urls

# Django admin pages of the models that moved to ``core`` and ``staff``: old bookmarks still work.
MOVED_ADMIN_PAGES = {
    "restrictions/auditentry": "core/auditentry",
    "channels_admin/webhookreceipt": "core/webhookreceipt",
    "restrictions/queueitem": "staff/queueitem",
    "restrictions/report": "staff/report",
    "restrictions/fraudrule": "staff/fraudrule",
}

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("channels_admin.auth_urls")),
    *(
        re_path(rf"^django-admin/{old}/(?P<rest>.*)$", RedirectView.as_view(url=f"/django-admin/{new}/%(rest)s", query_string=True))
        for old, new in MOVED_ADMIN_PAGES.items()
    ),
    path("django-admin/", admin.site.urls),
    path("api/v1/", api_urls()),
    re_path(r"^api/v1/(?P<rest>.*)$", api_unknown_path),  # after the routes: what none of them matched
    path("staff/platform/", include("platform_api.staff_urls")),
    path("staff/", include("staff.urls")),
    # /staff/notices/ and /staff/notifications/ keep their own URL namespace (staff_notifications), with full paths
    # in their own URLconf so the staff area's own "staff/" include stays the only one.
    path("", include("staff.notification_urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("staff.report_urls")),
    path("healthz", channels_views.healthz, name="healthz"),
    path("", include("channels_admin.urls")),
]

if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("bench/", include("bench.urls")))

admin.site.site_header = "Admin Center"
admin.site.site_title = "Admin Center"

handler500 = "config.errors.server_error"
