"""Settings, read from the environment (see the configuration table in README.md).

Safe by default: ``DEBUG`` is off unless set, and with it off the portal refuses to start
without a real ``SECRET_KEY`` and PII key, and (``core.checks``) without the static manifest.
With ``DEBUG=1`` (``make demo``, tests/settings.py) it runs on the embedded default: SQLite,
eager Celery and development keys.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.cache import redis_cache
from portal.openapi import SPECTACULAR_SETTINGS  # noqa: F401  (read by drf-spectacular)
from portal.schedule import CELERY_BEAT_SCHEDULE  # noqa: F401  (read by Celery beat)

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
_DEV_PII_KEY = "dev-only-insecure-pii-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
PORTAL_PII_KEY = env.str("PORTAL_PII_KEY", default=_DEV_PII_KEY if DEBUG else "")
# Key rotation (core.pii): a comma-separated list, the first key encrypts and indexes, every
# key decrypts; empty means PORTAL_PII_KEY alone. `manage.py rotate_pii_keys` moves the
# records to the first key.
PORTAL_PII_KEYS = env.list("PORTAL_PII_KEYS", default=[])
if PORTAL_PII_KEYS:
    PORTAL_PII_KEY = PORTAL_PII_KEYS[0]
# DEBUG is off unless set: a development shell (`manage.py makemigrations`, `shell`, ...) sets
# DEBUG=1 as the Makefile's targets do; production sets the keys below.
_DEV_HINT = " In development, set DEBUG=1 (the Makefile's targets do)."
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
            + _DEV_HINT
        )
    if not PORTAL_PII_KEY or PORTAL_PII_KEY == _DEV_PII_KEY or len(PORTAL_PII_KEY) < 32:
        raise ImproperlyConfigured(
            "PORTAL_PII_KEY must be set to a random value of at least 32 characters "
            "when DEBUG is off." + _DEV_HINT
        )
    for _key in PORTAL_PII_KEYS:
        if _key == _DEV_PII_KEY or len(_key) < 32:
            raise ImproperlyConfigured(
                "Every key in PORTAL_PII_KEYS must be a random value of at least 32 characters "
                "when DEBUG is off."
            )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

#: The project's own apps (the demo data aside), one a line in the layering's order
#: (docs/architecture.md): an app imports only the apps above it. Tests walk these.
PROJECT_APPS = [
    "core",
    "organizations",
    "members",
    "stations",
    "training",
    "appeals",
    "recruitment",
    "taskforce",
    "grid",
    "branchlife",
    "ecosystem",
    "coverage",
    "portal",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "health_check",
    "django_prometheus",
    "axes",
    "csp",
    *PROJECT_APPS,
    "demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Partner service users (API keys) have no business on the pages (organizations.login).
    "organizations.login.PartnerSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes wants: turns a locked-out login into its lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project templates (base.html, registration/) come before the apps', so the login
        # and logged-out pages are ours, not the admin's.
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and an eager task read while another request writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    # Fails open (core.cache): with Redis unreachable, pages serve without the cache.
    CACHES = {
        "default": redis_cache(
            REDIS_URL,
            prefix=env.str("CACHE_KEY_PREFIX", default="portal"),
            socket_timeout=env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
        )
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out after repeated failed sign-ins, on the portal's and the admin's login alike
# (django-axes; the client address from core.net): AXES_FAILURE_LIMIT failures of one user
# name from one address lock that pair out for AXES_COOLOFF_MINUTES; a success resets the count.
# Sessions resolve their user through core.authcache (per process, invalidated on change);
# axes' backend comes first and refuses a locked-out sign-in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.backends.CachedModelBackend",
]
SESSION_ENGINE = "core.sessions"
AUTH_CACHE_SECONDS = env.float("AUTH_CACHE_SECONDS", default=15)
# List endpoints from .values() with the serializers' output (core.api.fastlist).
API_VALUES_LISTS = env.bool("API_VALUES_LISTS", default=True)
# A list page's SQL prepared once per PostgreSQL connection (core.api.prepared); off behind a
# pooler that shares server sessions between clients.
API_PREPARED_STATEMENTS = env.bool("API_PREPARED_STATEMENTS", default=True)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.net.axes_client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
#: Private uploads (photos sent with a public appeal): outside STATIC_ROOT and any public media
#: path, no URL; files go out only through a scoped view (appeals.photos).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/nowhere/"},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Tests and the demo run without collectstatic: whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security: production defaults, each overridable from the environment.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the portal: the client address (rate limits,
# lock-out, logs; core.net) comes from X-Forwarded-For only when this is above 0.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.PartnerAPIKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CursorPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.ContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # core.api.throttling: per partner key, per staff user, per anonymous client address;
    # fail open when the cache is down.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.PartnerKeyThrottle",
        "core.api.throttling.StaffSessionThrottle",
        "core.api.throttling.AnonymousThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "partner": env.str("API_THROTTLE_PARTNER", default="600/min"),
        "staff": env.str("API_THROTTLE_STAFF", default="300/min"),
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
    },
}
# The API document's settings (SPECTACULAR_SETTINGS): portal/openapi.py, imported above.
API_KEY_CUSTOM_HEADER = "HTTP_X_API_KEY"

# Celery: eager without a broker so the demo needs no service.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Jobs (core.jobs): a running job beats every JOB_HEARTBEAT_SECONDS; one without a sign of life
# for JOB_STALE_SECONDS is sent again by the watchdog (beat, every minute) up to
# JOB_MAX_ATTEMPTS times, then failed. No job task runs longer than JOB_TASK_TIME_LIMIT (the
# longest chunk: a two-finds chunk, one rollup day, a backfill); the broker redelivers an
# unacknowledged message (its worker died) after that limit plus a margin, not kombu's hour.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=30)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=300)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
JOB_TASK_TIME_LIMIT = env.int("JOB_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_TIME_LIMIT = JOB_TASK_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = max(JOB_TASK_TIME_LIMIT - 60, 1)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=JOB_TASK_TIME_LIMIT + 300)
# A send to an unreachable Redis fails within seconds (the job is then failed at once, see
# core.jobs.services.send_job_task) instead of retrying for 20 s; a worker keeps reconnecting
# for ever (broker_connection_max_retries None) rather than exiting.
_REDIS_SOCKET = {"socket_connect_timeout": 2, "socket_timeout": 10, "socket_keepalive": True}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for unacknowledged messages past the visibility timeout
    # (kombu: every interval × throttle seconds).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # A worker killed while it held the restore sweep's lock (a few milliseconds each sweep)
    # leaves it until this expires: no worker restores anything meanwhile.
    "unacked_mutex_expire": env.int("CELERY_UNACKED_MUTEX_EXPIRE", default=300),
    **_REDIS_SOCKET,
    "retry_on_timeout": True,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
_SHORT_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = _SHORT_RETRY
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {**_REDIS_SOCKET, "retry_policy": _SHORT_RETRY}
CELERY_RESULT_EXPIRES = 24 * 3600
# A task running when the connection drops goes on (jobs are idempotent; its unacknowledged
# message is redelivered after the visibility timeout and finds its work done).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# What beat runs when (CELERY_BEAT_SCHEDULE): portal/schedule.py, imported above.
# The two finds run by themselves after a roster intake or a change of a person, at most once
# per TWO_FINDS_DEBOUNCE_SECONDS (later changes in the window make one deferred run).
TWO_FINDS_AUTO = env.bool("TWO_FINDS_AUTO", default=True)
TWO_FINDS_DEBOUNCE_SECONDS = env.int("TWO_FINDS_DEBOUNCE_SECONDS", default=300)
# Appeals: likely duplicates within this many days are offered for merging; this many appeals
# of one category against one platform or at one place within the window raise a hot spot.
APPEALS_DUPLICATE_DAYS = env.int("APPEALS_DUPLICATE_DAYS", default=30)
APPEALS_HOTSPOT_N = env.int("APPEALS_HOTSPOT_N", default=5)
APPEALS_HOTSPOT_WINDOW_DAYS = env.int("APPEALS_HOTSPOT_WINDOW_DAYS", default=7)
# The public appeal door: filings and follow-up look-ups per client address per window.
APPEALS_PUBLIC_RATE_LIMIT = env.int("APPEALS_PUBLIC_RATE_LIMIT", default=5)
APPEALS_PUBLIC_RATE_WINDOW = env.int("APPEALS_PUBLIC_RATE_WINDOW", default=600)
APPEALS_FOLLOW_RATE_LIMIT = env.int("APPEALS_FOLLOW_RATE_LIMIT", default=10)
APPEALS_FOLLOW_RATE_WINDOW = env.int("APPEALS_FOLLOW_RATE_WINDOW", default=600)
# A year the holiday table lacks and chinese-calendar does not know: "error" stops the SLA
# (appeals.sla.CalendarYearMissing; production's default), "weekdays" counts Monday-Friday
# with an error logged (the development default, so a demo outlives the package).
APPEALS_CALENDAR_MISSING_YEAR = env.str(
    "APPEALS_CALENDAR_MISSING_YEAR", default="weekdays" if DEBUG else "error"
)
if APPEALS_CALENDAR_MISSING_YEAR not in ("error", "weekdays"):
    raise ImproperlyConfigured("APPEALS_CALENDAR_MISSING_YEAR must be 'error' or 'weekdays'.")
# Open311 GeoReport v2: the jurisdiction_id hotline systems send (optional in requests).
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="changzhou.gov.cn")
# Coverage modes counting towards the 双有 ratio (coverage.definition); default: organization
# coverage of any kind or work coverage only.
COVERAGE_SHUANGYOU_MODES = env.list(
    "COVERAGE_SHUANGYOU_MODES",
    default=["standalone", "joint", "regional", "industry", "work_only"],
)

# Logs: one JSON object a line in production (LOG_FORMAT=json), plain text in development;
# every record carries the request id its audit events record (core.logging).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logging.RequestIdFilter"},
        "redact": {"()": "core.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(client)s] %(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(client)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's request loggers attach the request (its URL with the query string): redacted
    # at the source, before any handler sees the record.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["redact"]},
        "django.server": {"filters": ["redact"]},
    },
}

# Operations: /metrics answers signed-in staff, a scraper with this bearer token, or anyone
# when METRICS_PUBLIC is on (core.metrics); /health/ wants beat's watchdog within this age.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_PUBLIC = env.bool("METRICS_PUBLIC", default=False)
HEALTH_BEAT_MAX_AGE = env.int("HEALTH_BEAT_MAX_AGE", default=300)
# Django's logging config (LOGGING, JSON in production) applies in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Front end: the map has no basemap unless a tile URL for the closed network is configured.
PORTAL_MAP_TILE_URL = env.str("PORTAL_MAP_TILE_URL", default="")

# Content-Security-Policy (django-csp): every script, style and font is vendored under the
# apps' static/ folders, so only this origin is allowed; no inline script or style (none in the
# templates; tests/core/test_csp.py keeps it so); images also from the map's tile server.
_TILE_ORIGIN = ""
if PORTAL_MAP_TILE_URL:
    # Leaflet's "{s}" is a subdomain letter: allow any subdomain of the tile host.
    _tile = urlsplit(PORTAL_MAP_TILE_URL)
    _host = _tile.netloc.replace("{s}", "*")
    _TILE_ORIGIN = f"{_tile.scheme}://{_host}" if _host else ""
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
#: Set when the tile server draws in GCJ-02 (AutoNavi, Tencent): WGS-84 points are shifted
#: for display only (stations/static/stations/map.js); stored coordinates stay WGS-84.
PORTAL_MAP_TILES_GCJ02 = env.bool("PORTAL_MAP_TILES_GCJ02", default=False)

# The dashboard: its coverage body is cached per snapshot version (a rollup makes a new key);
# the training, appeal and assistance cards move all day and are cached a minute per scope.
PORTAL_DASHBOARD_CACHE_SECONDS = env.int("PORTAL_DASHBOARD_CACHE_SECONDS", default=600)
PORTAL_ACTIVITY_CACHE_SECONDS = env.int("PORTAL_ACTIVITY_CACHE_SECONDS", default=60)

# The 10-minute service circle (stations): radius = speed of the mode × minutes.
SERVICE_CIRCLE = {
    "mode": env.str("SERVICE_CIRCLE_MODE", default="ebike"),
    "speeds_kmh": {"walking": 5, "ebike": 15},
    "minutes": env.int("SERVICE_CIRCLE_MINUTES", default=10),
    # h3 resolution of the uncovered hot spots (8 ≈ 0.74 km² a cell) and of the candidate sites.
    "h3_resolution": env.int("SERVICE_CIRCLE_H3_RESOLUTION", default=8),
    "suggested_sites": 20,
}
PORTAL_NAME = _("New Employment Groups Party-Building Portal")

# Two finds: the public self-report form accepts this many submissions per client address
# in each window of this many seconds (HTTP 429 beyond).
MEMBER_CLAIM_RATE_LIMIT = env.int("MEMBER_CLAIM_RATE_LIMIT", default=5)
MEMBER_CLAIM_RATE_WINDOW = env.int("MEMBER_CLAIM_RATE_WINDOW", default=600)
