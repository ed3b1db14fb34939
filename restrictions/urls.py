from django.urls import path

from .views import chat_policy, home

app_name = "staff"

urlpatterns = [
    path("", home.staff_home, name="home"),
    path("chat-policy/", chat_policy.chat_policy, name="chat_policy"),
]
