"""The NinjaAPI instance: authentication by client key, problem details for every error, the
schema at /api/v1/openapi.json and the docs at /api/v1/docs (swagger-ui from the app's own
static files, ``ninja`` being an installed app)."""

import functools
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .auth import ClientKey
from .errors import ApiProblem, field_name, invalid, problem_response, unknown_field, unstorable_text_message

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Admin Center API",
    version="1",
    description=(
        "The messenger platform's view of the channel policy: the 1:1 chat decision, the restrictions in force, "
        "reports and inbound chat messages. Authenticate with `Authorization: Bearer <key>`; errors are RFC 9457 "
        "problem details whose `code` is one of the domain's codes."
    ),
    urls_namespace="api-v1",
    auth=ClientKey(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return problem_response(request, exc)


def _message(error: dict) -> str:
    """What is wrong with one field, in the caller's language (pydantic's own text is English)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_short":
        return _("Give at least %(count)s characters.") % {"count": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("Give at most %(count)s characters.") % {"count": ctx.get("max_length")}
    if kind == "too_short":
        return _("Give at least %(count)s items.") % {"count": ctx.get("min_length")}
    if kind == "too_long":
        return _("Give at most %(count)s items.") % {"count": ctx.get("max_length")}
    if kind in ("string_type", "string_unicode"):
        return _("Give a text.")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Give a whole number.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Give true or false.")
    if kind in ("list_type", "tuple_type"):
        return _("Give a list.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Give an object.")
    if kind == "json_invalid":
        return _("The body is not valid JSON.")
    if kind == "unstorable_text":
        return unstorable_text_message()
    return _("This value is not valid.")


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        name = field_name(error.get("loc", ()))
        errors.append(unknown_field(name) if error.get("type") == "extra_forbidden" else {"field": name, "message": _message(error)})
    return problem_response(request, invalid(errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(request, ApiProblem(401, "unauthenticated", _("Send Authorization: Bearer <API key>.")))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, ApiProblem(404, "not_found"))


def unknown_path(request, rest: str = ""):
    """Any other URL under /api/v1/: a problem document too, so a client never has to read an
    HTML page (the Admin Center's own 404) to learn that it called a path that does not exist."""
    return _not_found(request, Http404())


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """django-ninja's own refusals, told in the caller's language: its one 400 is a body that
    does not parse."""
    if exc.status_code == 400:
        return problem_response(request, invalid([{"field": "body", "message": _("The body is not valid JSON.")}]))
    code = {401: "unauthenticated", 403: "insufficient_scope", 404: "not_found", 429: "rate_limited"}
    return problem_response(request, ApiProblem(exc.status_code, code.get(exc.status_code, "server_error")))


@api.exception_handler(RequestDataTooBig)
def _too_large(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem_response(request, ApiProblem(413, "payload_too_large",
                                                _("Send at most %(limit)s bytes in one request.") % {"limit": f"{limit:,}"}))


def urls():
    """The API's URL patterns (for the root URLconf), each of which answers a method it does
    not take with a 405 problem document and its Allow header, where django-ninja answers
    with plain text."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _methods_refused_as_problems(pattern.callback)
    return patterns, app_name, namespace


def _methods_refused_as_problems(view):
    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = problem_response(request, ApiProblem(
                405, "method_not_allowed", _("This resource takes %(methods)s.") % {"methods": allowed}))
            response["Allow"] = allowed
        return response

    return answer


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API request failed: %s %s", request.method, request.path)
    return problem_response(request, ApiProblem(500, "server_error", _("The server could not answer; try again.")))


from . import endpoints  # noqa: E402,F401  the routes register themselves on ``api``
