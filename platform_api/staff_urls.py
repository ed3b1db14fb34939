from django.urls import path

from . import views

app_name = "platform_api"

urlpatterns = [
    path("clients/", views.clients, name="clients"),
    path("clients/<int:pk>/rotate/", views.rotate, name="rotate_key"),
    path("clients/<int:pk>/revoke/", views.revoke, name="revoke_client"),
]
urlpatterns += [
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/<slug:action>/", views.webhook_action, name="webhook_action"),
]
