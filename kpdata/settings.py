"""Settings for KP Data: every environment variable is read here once, with type and default."""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value.strip() else default
    except ValueError:
        sys.exit(f"kpdata: {name} must be a whole number, not {value!r}.")


# --- Environment: the only variables the project reads -------------------------------------------
DEBUG = _bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# The local key `make` keeps (.secret-key), so that `manage.py` in a fresh shell uses it too.
SECRET_KEY_FILE = Path(os.environ.get("KPDATA_SECRET_KEY_FILE", "") or BASE_DIR / ".secret-key")
DATABASE_URL = os.environ.get("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'kpdata.sqlite3'}"
ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CONN_MAX_AGE = _int("CONN_MAX_AGE", 60)
STATEMENT_TIMEOUT_MS = _int("STATEMENT_TIMEOUT_MS", 30000)
# Where the whole-dataset ZIPs are kept, one per dataset version.
EXPORT_ROOT = Path(os.environ.get("KPDATA_EXPORT_ROOT", "") or BASE_DIR / "var" / "exports")
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Off by default because TLS is usually ended by a proxy in front; `make serve` is plain HTTP.
SECURE_SSL_REDIRECT = _bool("DJANGO_SECURE_SSL_REDIRECT", False)
# Requests per client: "off" lifts a limit (for benchmarks and load tests).
THROTTLE_ANON_RATE = os.environ.get("THROTTLE_ANON_RATE", "") or "600/min"
THROTTLE_EDITOR_RATE = os.environ.get("THROTTLE_EDITOR_RATE", "") or "6000/min"
# How many proxies in front append the address they saw to X-Forwarded-For (behind one nginx:
# 1). The client is the address the outermost of them saw; with 0 the header is never read.
TRUSTED_PROXIES = _int("KPDATA_TRUSTED_PROXIES", 0)
# Where the throttles count when REDIS_URL is not set: one file every worker of the machine shares.
THROTTLE_FILE = Path(
    os.environ.get("KPDATA_THROTTLE_FILE", "") or BASE_DIR / "var" / "throttles.sqlite3"
)
# Scale-out (docs/deployment.md): read replicas of the PostgreSQL primary, comma-separated; how
# long a client that wrote keeps reading from the primary; a cache (and throttle store) shared by
# every app server; server-side prepared statements (off for PgBouncer in transaction mode).
DATABASE_REPLICA_URLS = _list("DATABASE_REPLICA_URLS", "")
# A replica whose replay lags more than this many seconds is left out until it catches up.
DATABASE_REPLICA_MAX_LAG = _int("DATABASE_REPLICA_MAX_LAG", 30)
REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_PREPARED_STATEMENTS = _bool("DATABASE_PREPARED_STATEMENTS", True)
# "pgbouncer" when the database URLs name PgBouncer in transaction mode: no start-up parameter,
# prepared statement or server-side cursor; each transaction sets the statement timeout.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
# With a token set, `/metrics` answers only `Authorization: Bearer <token>` (docs/deployment.md).
METRICS_TOKEN = os.environ.get("KPDATA_METRICS_TOKEN", "")
# --------------------------------------------------------------------------------------------------

if DATABASE_POOLER not in {"", "pgbouncer"}:
    sys.exit(f"kpdata: DATABASE_POOLER must be pgbouncer or empty, not {DATABASE_POOLER!r}.")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        # One clear line instead of a traceback: production must never run on a known key.
        sys.exit(
            "kpdata: DJANGO_SECRET_KEY is not set. Set it to a long random string (or run "
            "make once, which keeps one in .secret-key), or set DJANGO_DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"


def _database(name: str, url: str) -> dict:
    try:
        database = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE)
    except ValueError as error:
        sys.exit(
            f"kpdata: {name} is not a database URL ({error}). "
            "Use postgres://user@host:5432/name or sqlite:///path/to/file.sqlite3."
        )
    if database["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        sys.exit(f"kpdata: {name} must name PostgreSQL (postgres://...) or SQLite (sqlite:///...).")
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check that needs no round trip (kpdata/postgresql/base.py).
        database["ENGINE"] = "kpdata.postgresql"
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # One writer at a time from the first statement: optimistic locking and the history
        # triggers' writer both rely on it; wait for a busy database instead of failing.
        options.update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    else:
        # Fail fast when the server is unreachable, instead of hanging on a dead host.
        options["connect_timeout"] = 5
        # No query runs longer than this: a pathological request fails instead of piling up.
        # PgBouncer refuses start-up parameters: behind it, each transaction sets it instead
        # (api/pooler.py), and no state outlives a transaction (no prepared statement, no
        # server-side cursor: exports read their rows at once, 10,000 at most).
        if DATABASE_POOLER:
            database["DISABLE_SERVER_SIDE_CURSORS"] = True
        else:
            options["options"] = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        # A query the connection has run five times is planned once and kept: planning a
        # list's joins costs more than running them.
        options["server_side_binding"] = True
        prepared = DATABASE_PREPARED_STATEMENTS and not DATABASE_POOLER
        options["prepare_threshold"] = 5 if prepared else None
        database["CONN_HEALTH_CHECKS"] = True
    return database


DATABASES = {"default": _database("DATABASE_URL", DATABASE_URL)}
for _number, _url in enumerate(DATABASE_REPLICA_URLS, 1):
    DATABASES[f"replica_{_number}"] = {
        **_database("DATABASE_REPLICA_URLS", _url),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["api.replicas.ReplicaRouter"]

# "responses" keeps details' JSON answers per dataset version (api/conditional.py): up to 256 KiB
# each, 200 at most, so a worker's own cache stays small (records are a few KiB). Every entry of
# either cache expires (api/caches.py): "responses" after an hour, the default's after 5 minutes
# unless it says otherwise. With Redis, also give it a memory limit (docs/deployment.md).
KEPT_ANSWER_SECONDS = 3600
if REDIS_URL:
    # Every entry expires, and while Redis is down each instance caches on its own
    # (api/caches.py: the connection and read timeouts are the backend's own).
    _redis = {"BACKEND": "api.caches.FailSafeRedisCache", "LOCATION": REDIS_URL}
    CACHES = {
        "default": _redis,
        "responses": {**_redis, "KEY_PREFIX": "responses", "TIMEOUT": KEPT_ANSWER_SECONDS},
    }
else:
    CACHES = {
        "default": {"BACKEND": "api.caches.ExpiringLocMemCache"},
        "responses": {
            "BACKEND": "api.caches.ExpiringLocMemCache",
            "LOCATION": "responses",
            "TIMEOUT": KEPT_ANSWER_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": 200},
        },
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "axes",
    "api",
]

MIDDLEWARE = [
    # Outermost, so that every answer carries the client's RateLimit-* headers.
    "api.throttles.RateLimitHeaders",
    "api.middleware.LivenessMiddleware",
    "api.middleware.MetricsMiddleware",
    "api.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.DatabaseUnavailableMiddleware",
    "api.replicas.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.SiteSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "api.middleware.SiteAuthenticationMiddleware",
    "api.middleware.AdminChangesMiddleware",
    "api.middleware.SiteMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # ETag on every GET answer, and 304 Not Modified for a matching If-None-Match.
    "django.middleware.http.ConditionalGetMiddleware",
    # Last, as django-axes asks: it answers a locked-out login (api/problems.py: locked_out).
    "axes.middleware.AxesMiddleware",
]

# Failed admin logins are limited (django-axes): after 5 in a row for one account, or from one
# address (as the trusted proxies saw it), logins for it are refused for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "api.throttles.client_address"
AXES_LOCKOUT_CALLABLE = "api.problems.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "kpdata.urls"
WSGI_APPLICATION = "kpdata.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# A request body larger than this (1 MiB; a record is a few KiB) is a 413 (api/parsers.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Every error is problem details (api/problems.py), a refused form's CSRF check too.
CSRF_FAILURE_VIEW = "api.problems.csrf_failure"

TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Forms read a URL typed without a scheme as https (Django 6's default).
FORMS_URLFIELD_ASSUME_HTTPS = True

# Production hardening: on whenever debug is off.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Reading is open to every origin, without credentials.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
# Other sites may read, never write: a browser's cross-origin write fails its preflight.
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api/|healthz)"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.renderers.Negotiation",
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StrictJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.EditorTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.EditorsWrite"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AnonThrottle", "api.throttles.EditorThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": None if THROTTLE_ANON_RATE == "off" else THROTTLE_ANON_RATE,
        "editor": None if THROTTLE_EDITOR_RATE == "off" else THROTTLE_EDITOR_RATE,
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.search.TextSearchFilter",
        "api.search.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "URL_FORMAT_OVERRIDE": "format",
}

# Editors' tokens do not expire; they are revoked by deleting them in the admin.
REST_KNOX = {"TOKEN_TTL": None, "AUTO_REFRESH": False}

SPECTACULAR_SETTINGS = {
    "TITLE": "KP Data API",
    "DESCRIPTION": (
        "An open record of how the Kimberley Process is governed: participants, chairs, meetings, "
        "proposals and who backed or blocked them, statements, and production and trade "
        "statistics. Every record cites its public sources. Errors are RFC 9457 problem details. "
        "Data licence: CC BY 4.0.\n\n"
        "Getting started, one request per question:\n\n"
        "- South Africa's voting record: `GET /api/v1/participants/ZA/record/`\n"
        "- Who backed and who blocked a proposal: `GET /api/v1/proposals/{slug}/`\n"
        "- How often two participants agree: `GET /api/v1/agreement/?actors=US,ZA`\n"
        "- Which participants are suspended today: `GET /api/v1/participants/?status=suspended`\n"
        "- What changed since a day: `GET /api/v1/changes/?since=2026-11-28`\n"
        "- Every statement about Marange, as CSV: "
        "`GET /api/v1/statements/?topic=marange-zimbabwe&format=csv`\n\n"
        "Reading needs no token; writing needs an editor's (Authorize, above)."
    ),
    "VERSION": "1.0.0",
    # Sections in a reader's order, reads before writes (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.arrange",
    ],
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # `?fields=` may leave any field out, so no response field is promised to be present.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "ENUM_NAME_OVERRIDES": {
        "ConfidenceEnum": "api.models.Confidence",
        "DatePrecisionEnum": "api.models.DatePrecision",
        "ParticipantKindEnum": "api.models.ParticipantKind",
        "ParticipantStatusEnum": "api.models.ParticipantStatus",
        "OrganisationKindEnum": "api.models.OrganisationKind",
        "MeetingKindEnum": "api.models.MeetingKind",
        "SourceKindEnum": "api.models.SourceKind",
        "ProposalOutcomeEnum": "api.models.ProposalOutcome",
        "PositionKindEnum": "api.models.PositionKind",
        "TradeFlowEnum": "api.models.TradeFlow",
        "RegionEnum": "api.models.Region",
        "DecisionRuleEnum": "api.models.DecisionRule",
    },
}

# Every line with its request id (api/logs.py); LOG_FORMAT=json for one JSON object a line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    sys.exit(f"kpdata: LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "api.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "api.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
