from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Notice


@login_required
def inbox(request):
    notices = Notice.objects.filter(recipient=request.user).order_by("-created_at", "-id")[:50]
    return render(request, "notifications/inbox.html", {"notices": notices})
