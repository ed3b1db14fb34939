"""The NinjaAPI instance: authentication by client key, problem details for every error, the
schema at /api/v1/openapi.json and the docs at /api/v1/docs (swagger-ui from the app's own
static files, ``ninja`` being an installed app)."""

import logging

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .auth import ClientKey
from .errors import ApiProblem, field_name, invalid, problem_response

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


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        message = error.get("msg", "invalid value")
        if error.get("type") == "extra_forbidden":
            message = "unknown field"
        errors.append({"field": field_name(error.get("loc", ())), "message": message})
    return problem_response(request, invalid(errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(request, ApiProblem(401, "unauthenticated", "Send Authorization: Bearer <API key>."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, ApiProblem(404, "not_found"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code = {400: "invalid_request", 401: "unauthenticated", 403: "insufficient_scope", 404: "not_found", 429: "rate_limited"}
    return problem_response(request, ApiProblem(exc.status_code, code.get(exc.status_code, "server_error"), str(exc)))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API request failed: %s %s", request.method, request.path)
    return problem_response(request, ApiProblem(500, "server_error", "The server could not answer; try again."))


from . import endpoints  # noqa: E402,F401  the routes register themselves on ``api``
