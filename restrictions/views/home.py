from django.shortcuts import render

from .base import staff_required


@staff_required()
def staff_home(request):
    return render(request, "restrictions/staff_home.html", {})
