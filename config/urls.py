from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from channels_admin.views import core as channels_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("channels_admin.auth_urls")),
    path("django-admin/", admin.site.urls),
    path("staff/", include("restrictions.urls")),
    # /staff/notices/ and /staff/notifications/: the notifications app's staff pages, with full paths
    # in their own URLconf so the staff area's own "staff/" include stays the only one.
    path("", include("notifications.staff_urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("restrictions.public_urls")),
    path("healthz", channels_views.healthz, name="healthz"),
    path("", include("channels_admin.urls")),
]

if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("bench/", include("bench.urls")))

admin.site.site_header = "Admin Center"
admin.site.site_title = "Admin Center"
