"""One shape for every error of the API: RFC 9457 problem details (``application/problem+json``)
with the domain's code in ``type`` (``…/problems/<code>``) and in ``code``; a 400 for bad input
lists each field at fault in ``errors``.

``title`` and ``detail`` are in the caller's language: the one LocaleMiddleware chose from its
``Accept-Language`` header (ko, vi or en; LANGUAGE_CODE when it names none of them), which is
active while the request is answered. The codes are the same in every language."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PROBLEM_TYPE_BASE = "/api/v1/problems/"

# The title of each code, the same for every occurrence (RFC 9457 §3.1.3).
TITLES = {
    "invalid_request": gettext_lazy("The request has invalid or unknown fields"),
    "unauthenticated": gettext_lazy("A valid API key is required"),
    "insufficient_scope": gettext_lazy("The API key lacks the scope this call needs"),
    "rate_limited": gettext_lazy("Too many requests"),
    "not_found": gettext_lazy("No such resource"),
    "method_not_allowed": gettext_lazy("This resource does not take this method"),
    "payload_too_large": gettext_lazy("The request body is too large"),
    "account_not_found": gettext_lazy("No such account"),
    "channel_not_found": gettext_lazy("No such channel"),
    "report_refused": gettext_lazy("The report was refused"),
    "chat_refused": gettext_lazy("The message was refused"),
    "server_error": gettext_lazy("The server could not answer"),
}


class ApiProblem(Exception):
    """Raised anywhere under an endpoint; rendered as problem details."""

    def __init__(self, status: int, code: str, detail: str = "", *, errors: list[dict] | None = None,
                 retry_after: int | None = None, **extra):
        super().__init__(detail or code)
        self.status, self.code, self.detail = status, code, detail
        self.errors, self.retry_after, self.extra = errors, retry_after, extra


def problem_response(request: HttpRequest, problem: ApiProblem) -> JsonResponse:
    title = str(TITLES.get(problem.code, problem.code))
    body = {
        "type": f"{settings.SITE_URL}{PROBLEM_TYPE_BASE}{problem.code}",
        "title": title,
        "status": problem.status,
        "code": problem.code,
        "detail": str(problem.detail) if problem.detail else title,
        "instance": request.get_full_path(),
    }
    if problem.errors:
        body["errors"] = problem.errors
    if problem.retry_after is not None:
        body["retry_after"] = problem.retry_after
    body.update(problem.extra)
    response = JsonResponse(body, status=problem.status, content_type="application/problem+json")
    if problem.retry_after is not None:
        response["Retry-After"] = str(problem.retry_after)
    if problem.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def field_name(loc) -> str:
    """``("query", "account")`` or ``("body", "payload", "pairs", 3, "channel")`` → ``account`` /
    ``pairs[3].channel``: the name the caller wrote, without ninja's wrappers."""
    parts = [p for p in loc if p not in ("query", "body", "path", "payload", "params")]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def unknown_field(name: str) -> dict:
    return {"field": name, "message": _("Unknown field.")}


def invalid(errors: list[dict]) -> ApiProblem:
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return ApiProblem(400, "invalid_request", detail, errors=errors)


def refuse_nul(request: HttpRequest, field: str) -> JsonResponse:
    """A NUL character in the path or the query (refused by ``core.middleware`` before any
    route runs), told as every other bad value is."""
    return problem_response(request, invalid([{"field": field.replace("\x00", "\\u0000") or "query",
                                                "message": unstorable_text_message()}]))


def unstorable_text_message() -> str:
    return _("This text holds a character no field accepts: a NUL (\\u0000) or a lone surrogate.")
