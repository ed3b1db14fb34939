"""The 500 page. Django's own handler renders ``500.html`` without a request (so without the
context processors and their queries); this one also survives a missing static manifest and a
broken template, because it is what people see when something else already failed."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext

_LAST_RESORT = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
    '<body><main><h1>{title}</h1><p>{hint}</p><p><a href="/">{home}</a></p></main></body></html>'
)


def _static(path: str) -> str:
    try:
        return static(path)
    except ValueError:  # no manifest entry (collectstatic not run): the file is still served unhashed
        return f"{settings.STATIC_URL}{path}"


def server_error(request, template_name: str = "500.html"):
    try:
        body = loader.get_template(template_name).render({"stylesheet": _static("css/app.css"), "icon": _static("img/icon.svg")})
    except Exception:  # noqa: BLE001 - the error page must never fail in turn
        body = _LAST_RESORT.format(
            title=gettext("Sorry, there is a problem with the service"),
            hint=gettext("Try again in a few minutes."),
            home=gettext("Go to My channels"),
        )
    return HttpResponseServerError(body)
