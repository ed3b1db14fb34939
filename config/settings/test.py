"""Tests: the real PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, else embedded."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR

if "bench" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # the load generator and reference views have tests

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
KAKAOTALK_BACKEND = "locmem"
KAKAOTALK_FILE_PATH = VAR_DIR / "test-kakaotalk"
IDENTITY_PROVIDER = "sandbox"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; the integration tests start a real worker of their own.
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
LANGUAGE_CODE = "en"
