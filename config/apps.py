"""The project's own configuration of contributed apps."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    """``collectstatic`` leaves out django-ninja's Redoc bundle: no page uses it (the API docs
    are its swagger-ui), and it loads its logo from a CDN, which nothing served here may do."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc.standalone.js*"]
