"""The API under /api/v1/ (django-ninja): the instance, its error shapes and its routes."""

from .site import api, unknown_path, urls

__all__ = ["api", "unknown_path", "urls"]
