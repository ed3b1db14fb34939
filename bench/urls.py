from django.urls import path

from . import views

app_name = "bench"

urlpatterns = [
    path("hello", views.hello, name="hello"),
    path("list", views.reference_list, name="list"),
]
