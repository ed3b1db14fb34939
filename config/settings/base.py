"""Settings shared by every mode. Every value comes from the environment (django-environ).

With no variables set at all the app runs in its embedded mode: a SQLite file in the project
folder, Celery tasks run in-process after commit, email to the console and KakaoTalk messages
to files under ``var/``.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# ------------------------------------------------------------------------------
# General
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# The embedded mode's secrets. They are public (they are in this file), so production refuses to
# start on any of them (config/settings/production.py) and `check --deploy` warns about them.
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "embedded-insecure-key-change-me-in-production-0123456789",
    "IDENTITY_HASH_KEY": "embedded-identity-hash-key-change-me",
    "IDENTITY_WEBHOOK_SECRET": "whsec_ZW1iZWRkZWQtaWRlbnRpdHktd2ViaG9vaw==",
    "CHAT_WEBHOOK_SECRET": "whsec_ZW1iZWRkZWQtY2hhdC13ZWJob29r",
    "REPORT_WEBHOOK_SECRET": "whsec_ZW1iZWRkZWQtcmVwb3J0LXdlYmhvb2s=",
}
DJANGO_ENV = "embedded"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRETS["SECRET_KEY"])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The benchmark's app: its two reference views (/bench/hello, /bench/list), load generator and
# no-op task, for `make bench` and `make drills` only; never on in production.
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)

TIME_ZONE = env("TIME_ZONE", default="Asia/Seoul")
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [("ko", _("Korean")), ("en", _("English")), ("vi", _("Vietnamese"))]
# Dates read the way each language writes them; shown through core.dates (`{{ value|when }}`).
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

# ------------------------------------------------------------------------------
# Databases
# ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (runserver, an in-process task) may write; wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Apps
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "config.apps.StaticFiles",  # django.contrib.staticfiles, without the files no page uses
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "phonenumber_field",
    "core",
    "channels_admin",
    "restrictions",
    "notifications",
    "staff",
    "ninja",  # its docs page then uses the bundled swagger-ui from our static files, never a CDN
    "platform_api",
]
if BENCH_VIEWS:
    INSTALLED_APPS.append("bench")

AUTH_USER_MODEL = "channels_admin.Account"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "channels_admin:dashboard"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "channels_admin.middleware.CachedAuthenticationMiddleware",  # Django's, the account kept between requests
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.StaffAreaMiddleware",
    "channels_admin.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "channels_admin.context_processors.admin_center",
            ],
            "builtins": ["core.templatetags.dates"],
        },
    }
]

# ------------------------------------------------------------------------------
# Static files: served by the app itself through whitenoise, never from a CDN
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the embedded mode serves without running collectstatic first

# ------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # absolute: one working day
SESSION_SAVE_EVERY_REQUEST = False
# Sessions live in the database and are read through the cache (Redis in production), so a
# signed-in request costs no session query; the database copy survives a cache flush, and
# requests go on with the database alone while the cache is down (config/cache.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Failed logins are throttled per username *and* IP together: an attacker can neither guess
# a password nor lock a known account out for everybody else.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Password reset requests per client address and per email address typed, each an hour.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env.int("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", default=10)
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env.int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", default=3)
# Staff two-factor sign-in (core.two_factor): an authenticator app's code after the password,
# enrolled on the first staff sign-in. Production requires it; the embedded demo does not.
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=False)
# Applying or lifting a restriction, deciding an appeal and moving the chat policy date ask for
# a code again when the last one is older than this.
STAFF_STEP_UP_SECONDS = env.int("STAFF_STEP_UP_SECONDS", default=15 * 60)
STAFF_2FA_RECOVERY_CODES = env.int("STAFF_2FA_RECOVERY_CODES", default=10)
OTP_TOTP_ISSUER = "Admin Center"
# The Django admin may delete a staff member's devices (to reset a lost phone), never show their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For (0: none,
# the client is REMOTE_ADDR). Login lockout and every throttle key on the address they name
# (core.throttle.client_ip); entries a client wrote itself further left are ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.throttle.client_ip"

# ------------------------------------------------------------------------------
# Cache, Redis, Celery
# ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",  # Redis down: misses, not errors
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The rows list pages draw, kept by their content (core.fragments): in the memory of each
# process, since a kept row can never go stale. Under DEBUG nothing is kept, so an edited row
# template shows at once.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache" if DEBUG else "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "row-fragments",
    "OPTIONS": {"MAX_ENTRIES": 10_000},  # about 450 bytes each on average (2 KB at most): a few MB a process
}

# With no broker, tasks run in-process (after the transaction commits, since every enqueue
# goes through transaction.on_commit).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 10
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # keep reconnecting; a worker must come back
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)  # > longest task
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # A publish or a command on a dead connection fails within seconds instead of waiting forever.
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "health_check_interval": 25,
    # Look for abandoned (unacknowledged) messages every ~30 s rather than every ~100 s.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 3,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The web path must not hang when Redis is down: publish briefly (three tries, about 0.4 s when
# Redis refuses, a few seconds when it does not answer), log the failure, and let the sweep send
# the rows, which are already committed.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Every task is short; the hard limit stays below the visibility timeout, so Redis never hands a
# task that is still running to a second worker.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_BEAT_SCHEDULE = {}  # each app adds its periodic tasks in config/celery.py; run exactly one beat

# ------------------------------------------------------------------------------
# Notification outbox (notifications.delivery)
# ------------------------------------------------------------------------------
# Attempts per delivery before it is marked failed. An attempt is counted before sending, so a
# delivery that kills the worker every time also ends failed.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
# Exponential backoff after a temporary error: base * 2**(attempt-1), capped.
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600)
# How long one worker owns a delivery it is sending; must exceed the longest single send
# (EMAIL_TIMEOUT, KAKAOTALK_TIMEOUT). After it, the sweep hands the delivery out again.
NOTIFICATIONS_CLAIM_SECONDS = env.int("NOTIFICATIONS_CLAIM_SECONDS", default=120)
# How long a published delivery waits in the queue before the sweep publishes it again.
NOTIFICATIONS_REQUEUE_SECONDS = env.int("NOTIFICATIONS_REQUEUE_SECONDS", default=300)
NOTIFICATIONS_SWEEP_SECONDS = env.float("NOTIFICATIONS_SWEEP_SECONDS", default=30)
# Every worker also publishes the sweep this often (notifications.worker_sweep), so rows whose
# publish Redis lost are sent even where no beat runs; 0 leaves the sweep to the beat alone.
NOTIFICATIONS_WORKER_SWEEP_SECONDS = env.float("NOTIFICATIONS_WORKER_SWEEP_SECONDS", default=NOTIFICATIONS_SWEEP_SECONDS)
NOTIFICATIONS_SWEEP_LIMIT = env.int("NOTIFICATIONS_SWEEP_LIMIT", default=20000)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=100)
# Requests larger than this publish one dispatch task instead of every id (set-based callers).
NOTIFICATIONS_FAST_PATH_MAX = env.int("NOTIFICATIONS_FAST_PATH_MAX", default=5000)

# ------------------------------------------------------------------------------
# Platform API (/api/v1/) and event webhooks out
# ------------------------------------------------------------------------------
# Requests per minute each API client may make (0: no limit); above it, 429 with Retry-After.
API_THROTTLE_PER_MINUTE = env.int("API_THROTTLE_PER_MINUTE", default=6000)
# How long a rotated key keeps working next to its successor.
API_KEY_OVERLAP_HOURS = env.float("API_KEY_OVERLAP_HOURS", default=24)
# A process remembers the keys it looked up until any key changes (a token in Redis tells every
# process at once, platform_api/key_cache.py); this bounds how long it trusts them should Redis
# lose that token's replacement. Without Redis keys are read on every request.
API_KEY_CACHE_SECONDS = env.float("API_KEY_CACHE_SECONDS", default=5)
# Event webhooks out: the request timeout, and how long an endpoint may fail (every attempt)
# before it is disabled and the senior moderators are told. Retries and backoff are the
# notification outbox's (NOTIFICATIONS_*).
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10)
WEBHOOK_DISABLE_AFTER_HOURS = env.float("WEBHOOK_DISABLE_AFTER_HOURS", default=24)
# Where webhooks may go (platform_api/destinations.py). The embedded mode and the tests send to
# receivers on this machine over plain http; production allows neither unless told to.
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=True)
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=True)

# ------------------------------------------------------------------------------
# Email and KakaoTalk
# ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":  # noqa: F821  (set just above)
    EMAIL_BACKEND = "notifications.mail.StderrEmailBackend"  # keeps commands' --json on stdout clean
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Admin Center <no-reply@admin-center.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

KAKAOTALK_BACKEND = env("KAKAOTALK_BACKEND", default="file")
KAKAOTALK_FILE_PATH = Path(env("KAKAOTALK_FILE_PATH", default=str(VAR_DIR / "kakaotalk")))
KAKAOTALK_API_BASE = env("KAKAOTALK_API_BASE", default="")
KAKAOTALK_APPKEY = env("KAKAOTALK_APPKEY", default="")
KAKAOTALK_SECRET_KEY = env("KAKAOTALK_SECRET_KEY", default="")
KAKAOTALK_SENDER_KEY = env("KAKAOTALK_SENDER_KEY", default="")
KAKAOTALK_TIMEOUT = env.float("KAKAOTALK_TIMEOUT", default=5.0)
# The approved AlimTalk template code of each event, e.g.
# KAKAOTALK_TEMPLATE_CODES=restriction_applied=AC001,restriction_lifted=AC002
KAKAOTALK_TEMPLATE_CODES = {
    "restriction_applied": "AC_RST_APPLIED",
    "restriction_modified": "AC_RST_MODIFIED",
    "restriction_lifted": "AC_RST_LIFTED",
    "restriction_expired": "AC_RST_EXPIRED",
    "appeal_filed": "AC_APPEAL_FILED",
    "appeal_upheld": "AC_APPEAL_UPHELD",
    "appeal_overturned": "AC_APPEAL_OVERTURNED",
    "verification_required": "AC_VERIFY_REQUIRED",
    "verification_completed": "AC_VERIFY_COMPLETED",
} | env.dict("KAKAOTALK_TEMPLATE_CODES", default={})
# Send the message as an SMS/LMS when KakaoTalk cannot deliver it.
KAKAOTALK_SMS_FALLBACK = env.bool("KAKAOTALK_SMS_FALLBACK", default=True)
# Provider result codes worth another try (besides HTTP 429/5xx, timeouts and network errors).
KAKAOTALK_TEMPORARY_RESULT_CODES = env.list("KAKAOTALK_TEMPORARY_RESULT_CODES", cast=int, default=[-9999, -1])
# Provider result codes that mean "this idempotency key was already accepted" ("duplicated
# request"): a retry after a lost answer, so the message counts as sent.
KAKAOTALK_DUPLICATE_RESULT_CODES = env.list("KAKAOTALK_DUPLICATE_RESULT_CODES", cast=int, default=[-1001])

# ------------------------------------------------------------------------------
# Policy
# ------------------------------------------------------------------------------
# R1: the default effective date of the 1:1 chat identity rule; the live value is data.
CHAT_POLICY_EFFECTIVE_AT = datetime.fromisoformat(
    env("CHAT_POLICY_EFFECTIVE_AT", default="2023-12-04T00:00:00+09:00")
).astimezone(ZoneInfo("Asia/Seoul"))
APPEAL_WINDOW_DAYS = env.int("APPEAL_WINDOW_DAYS", default=30)
# Four eyes (restrictions.services.sanctions): what one moderator may impose alone. A temporary
# or activity restriction longer than these (counted from its start), an activity restriction
# without an end, and a permanent one are permanent in effect: a senior moderator applies them
# and a second senior moderator confirms them before they take effect or are told to anyone.
RESTRICTION_MODERATOR_MAX_TEMPORARY_DAYS = env.int("RESTRICTION_MODERATOR_MAX_TEMPORARY_DAYS", default=30)
RESTRICTION_MODERATOR_MAX_ACTIVITY_DAYS = env.int("RESTRICTION_MODERATOR_MAX_ACTIVITY_DAYS", default=90)
# No restriction with an end lasts longer than this (whoever applies it, by days or by date);
# beyond it, a permanent restriction is the honest tool.
RESTRICTION_MAX_DAYS = env.int("RESTRICTION_MAX_DAYS", default=3650)
# Content whose fraud-rule weights add up to this is flagged for staff (staff.fraud).
FRAUD_FLAG_THRESHOLD = env.int("FRAUD_FLAG_THRESHOLD", default=3)
# An end user whose 1:1 messages solicit the managers of this many channels becomes one queue item.
FRAUD_SENDER_CHANNELS = env.int("FRAUD_SENDER_CHANNELS", default=2)
# Standard Webhooks secret of the messenger's user-report webhook.
REPORT_WEBHOOK_SECRET = env("REPORT_WEBHOOK_SECRET", default=DEVELOPMENT_SECRETS["REPORT_WEBHOOK_SECRET"])

# Identity verification
IDENTITY_PROVIDER = env("IDENTITY_PROVIDER", default="sandbox")
IDENTITY_HASH_KEY = env("IDENTITY_HASH_KEY", default=DEVELOPMENT_SECRETS["IDENTITY_HASH_KEY"])
IDENTITY_API_BASE = env("IDENTITY_API_BASE", default="")
IDENTITY_API_SECRET = env("IDENTITY_API_SECRET", default="")
IDENTITY_WEBHOOK_SECRET = env("IDENTITY_WEBHOOK_SECRET", default=DEVELOPMENT_SECRETS["IDENTITY_WEBHOOK_SECRET"])
CHAT_WEBHOOK_SECRET = env("CHAT_WEBHOOK_SECRET", default=DEVELOPMENT_SECRETS["CHAT_WEBHOOK_SECRET"])
# PortOne V2 shape: the browser goes to IDENTITY_BROWSER_URL with the id the app chose; the
# result is fetched from IDENTITY_API_BASE with "Authorization: PortOne <secret>".
IDENTITY_STORE_ID = env("IDENTITY_STORE_ID", default="")
IDENTITY_CHANNEL_KEY = env("IDENTITY_CHANNEL_KEY", default="")
IDENTITY_BROWSER_URL = env("IDENTITY_BROWSER_URL", default="")
IDENTITY_TIMEOUT = env.float("IDENTITY_TIMEOUT", default=5.0)
# Per-account attempt limit, counted in the database so every process sees the same number.
IDENTITY_MAX_ATTEMPTS = env.int("IDENTITY_MAX_ATTEMPTS", default=5)
IDENTITY_ATTEMPT_WINDOW_MINUTES = env.int("IDENTITY_ATTEMPT_WINDOW_MINUTES", default=60)
IDENTITY_ATTEMPT_LIFETIME_MINUTES = env.int("IDENTITY_ATTEMPT_LIFETIME_MINUTES", default=15)

# ------------------------------------------------------------------------------
# Audit trail anchor (core.audit_anchor)
# ------------------------------------------------------------------------------
# Every 5 minutes the beat (and run_periodic) writes the head of the audit chain (id, hash, count,
# time) to each sink: "file" (append-only JSON lines at AUDIT_CHECKPOINT_FILE; put it where the
# database's users cannot write, e.g. another host or a file with chattr +a), "log" (one INFO
# line of core.audit.checkpoint, for a log shipper), or a dotted path to a callable(dict).
AUDIT_CHECKPOINT_SINKS = env.list("AUDIT_CHECKPOINT_SINKS", default=["file", "log"])
AUDIT_CHECKPOINT_FILE = Path(env("AUDIT_CHECKPOINT_FILE", default=str(VAR_DIR / "audit-checkpoints.jsonl")))

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
