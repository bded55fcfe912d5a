"""eBilim settings: one module, driven by environment variables.

Unset variables fall back to the embedded mode (SQLite file, in-memory channel
layer, a Celery broker on the local file system), so `make run` needs no
server. Production and CI set DATABASE_URL and REDIS_URL; nothing else changes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hub.env import ConfigurationError, envbool, envint, envlist, envstr, envurl

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("EBILIM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError(
            "SECRET_KEY is not set: export SECRET_KEY=<50 random characters> "
            "(or DEBUG=1 for a local demo, as `make run` does)."
        )
    SECRET_KEY = "django-insecure-local-demo-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigurationError(
        "ALLOWED_HOSTS is not set: export ALLOWED_HOSTS=ebilim.example.kg (comma-separated)."
    )
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "hub.accounts",
    "hub.api",
    "hub.jobs",
    "hub.cabinets",
    "hub.demo",
    "realtime",
    "hub.audit",
    "academic.structure",
    "academic.curricula",
    "academic.records",
    "academic.staff",
    "academic.grades",
    "hub.learning",
    "hub.testing",
    "realtime.chat",
    "realtime.questionnaire",
    "realtime.classes",
    "proctoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hub.accounts.middleware.UserLanguageMiddleware",
    "hub.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hub.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hub.urls"
ASGI_APPLICATION = "hub.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.cabinets.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = envurl(
    "DATABASE_URL",
    ("sqlite", "postgres", "postgresql", "pgsql"),
    "postgresql://user:password@127.0.0.1:5432/ebilim",
)
if DATABASE_URL:
    # Under ASGI a persistent connection (CONN_MAX_AGE) would outlive its
    # thread; PostgreSQL connections come from psycopg's pool instead, so a
    # request does not pay for a new connection (measured by `make bench`).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and envbool("DATABASE_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": envint("DATABASE_POOL_SIZE", 20),
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Daphne threads and the job worker write concurrently: wait for the
            # lock instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = VAR_DIR / "test.sqlite3"

# HTTP requests inside Django at once per server process (hub.admission); the rest
# wait on the event loop, holding no thread and no database connection. 0 = no bound.
# 4: measured against no bound on the exam start spike (deploy/SCALING.md).
HTTP_CONCURRENCY = envint("HTTP_CONCURRENCY", 4)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: channel layer, cache, job broker --------------------------------
REDIS_URL = envurl("REDIS_URL", ("redis", "rediss", "unix"), "redis://127.0.0.1:6379/0")

# Measured on this machine: channels_redis's default capacity of 100 messages
# per channel silently dropped 12-31% of group deliveries in a 10 rooms x 50
# members fan-out, and a pool of 100 connections failed with 500 consumers
# (each waiting consumer holds one connection in BZPOPMIN). Both are set
# explicitly and proven by tests/realtime/test_fanout_redis.py.
CHANNEL_CAPACITY = envint("CHANNEL_CAPACITY", 5000)
# Sockets' database calls run on the loop's thread pool (PostgreSQL only; see realtime/db.py).
REALTIME_PARALLEL_DB = envbool("REALTIME_PARALLEL_DB", True)
REDIS_MAX_CONNECTIONS = envint("REDIS_MAX_CONNECTIONS", 4000)

if REDIS_URL:
    # channels_redis' layer, except that a socket closing while its receive
    # pops the process's messages no longer loses them (realtime/layers.py).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "realtime.layers.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "max_connections": REDIS_MAX_CONNECTIONS}],
                "capacity": CHANNEL_CAPACITY,
                "expiry": 60,
                "group_expiry": 86400,
                "prefix": envstr("CHANNEL_PREFIX", "ebilim"),
            },
        }
    }
    CACHES = {
        "default": {
            # One connection pool per process, not one per request (hub.cache).
            "BACKEND": "hub.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ebilim",
        }
    }
    # Every request reads its session: from Redis, shared by all server processes, rather
    # than a query (written through to the database, which stays the record). Not with
    # the embedded per-process cache: a session ended in one process would live on,
    # cached, in another.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY, "expiry": 60},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- E-mail -----------------------------------------------------------------
# With EMAIL_HOST set, mail goes out by SMTP; without it (the embedded default)
# each message is written as a file under var/mail, so nothing is lost or sent.
EMAIL_HOST = envstr("EMAIL_HOST")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "eBilim <noreply@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Celery -----------------------------------------------------------------
# Without Redis the broker is a folder on disk (kombu's filesystem transport):
# jobs still run in a separate worker process, off the request, with no server.
CELERY_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # A message not acknowledged within this time is handed to another worker:
    # it must exceed the hard time limit so a running job is never duplicated.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 50 * 60)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 60 * 60)
CELERY_TASK_MAX_DELIVERIES = envint("CELERY_TASK_MAX_DELIVERIES", 3)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Bishkek"
# Celery beat (deploy/ebilim-beat.service): the clock of periodic work.
CELERY_BEAT_SCHEDULE = {
    # Orders signed with a later effective date move students on that day:
    # group chats follow them each night.
    "sync-group-chats": {"task": "chat.sync_group_chats", "schedule": 24 * 3600},
    # Lists uploaded for an import that was never confirmed hold personal data.
    "purge-stale-uploads": {"task": "records.purge_stale_uploads", "schedule": 24 * 3600},
    # Courses and exam sheets of the running terms; open sheets follow the records.
    "grades-nightly-sheets": {"task": "grades.nightly_sheets", "schedule": 24 * 3600},
    # E-courses follow the courses of the running terms (a course saved starts it at once).
    "learning-sync-ecourses": {"task": "learning.sync_ecourses", "schedule": 24 * 3600},
    # Attempts whose time is up are submitted even if no page of theirs is open.
    "testing-submit-overdue": {"task": "testing.submit_overdue", "schedule": 60},
    # Camera frames and thumbnails are personal data: kept only for the retention period.
    "proctoring-purge-frames": {"task": "proctoring.purge_frames", "schedule": 24 * 3600},
    # A required camera that stopped sending frames is flagged within a frame interval or so
    # (the default interval; one query however many attempts are running).
    "proctoring-flag-silent-cameras": {"task": "proctoring.flag_silent_cameras", "schedule": 5},
}
# Days proctoring frames, thumbnails and page events are kept after they were taken.
PROCTORING_RETENTION_DAYS = envint("PROCTORING_RETENTION_DAYS", 30)
# The Celery queue camera frames are analysed on ("": the default queue; deploy: frames).
PROCTORING_FRAMES_QUEUE = envstr("PROCTORING_FRAMES_QUEUE", "")
# A camera-required attempt with no frame for this many of its test's frame intervals is
# flagged "camera silent".
PROCTORING_SILENT_INTERVALS = envint("PROCTORING_SILENT_INTERVALS", 3)

# --- Authentication ---------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hub.accounts.validators.LettersAndDigitsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cabinet"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Brute-force protection: django-axes counts failed logins through the
# login page and the API token endpoint alike (both call authenticate() with
# the request). The lock is per username, not per IP: students sign in from
# the campus network behind one NAT address, so an IP lock would shut out a
# whole building for one mistyping student, while a password-guessing attack
# from many addresses would never reach the limit of any one IP. Someone who
# knows a login can lock its owner out on purpose; the cool-off bounds that and
# the administrator lifts a lock at once (hub.accounts.actions.user_unlock).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 assumes a lock keyed by browser or cookie, which rotating them
# would bypass; a lock by username counts every address and browser together.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock are refused but do not restart the clock: the lock
# ends AXES_COOLOFF_MINUTES after the failure that caused it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "hub.accounts.views.locked_out"
AXES_COOLOFF_MESSAGE = _(
    "This account is locked after too many failed sign-in attempts. "
    "Try again later or ask the administrator to lift the lock."
)

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = envstr("LANGUAGE_CODE", "ky")
LANGUAGES = [("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bishkek"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "frontend" / "static",
    # Third-party browser libraries come from npm (frontend/package.json).
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
# PDF exports embed DejaVu (npm dejavu-fonts-ttf): it has every Kyrgyz letter (ң ө ү).
PDF_FONT_DIR = NODE_MODULES / "dejavu-fonts-ttf" / "ttf"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", DEBUG)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# The largest file a teacher or student uploads to an e-course (keep nginx's client_max_body_size above it).
LEARNING_UPLOAD_MAX_MB = envint("LEARNING_UPLOAD_MAX_MB", 50)

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous request a 401
    # (Session first would turn it into a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "hub.api.exceptions.api_exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "eBilim API",
    "DESCRIPTION": "REST API of eBilim, the university information system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Swagger UI and Redoc are served from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security (production) --------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}

VAR_DIR.mkdir(parents=True, exist_ok=True)
# WhiteNoise warns on every request while STATIC_ROOT is missing (before collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Online classes (DL-7, TC-8) ---------------------------------------------
# The built-in aiortc media server re-encodes video for every viewer, so it takes
# classes of up to CLASSES_BUILTIN_MAX participants (teacher included); larger
# ones go to LiveKit when LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are set.
# 16: on two cores one 640x360 publisher reached 20 students at >= 12 fps with nothing
# else running (`python -m tests.bench.online_class`); the web traffic shares the process.
CLASSES_BUILTIN_MAX = envint("CLASSES_BUILTIN_MAX", 16)
CLASSES_STUN_URLS = envlist("CLASSES_STUN_URLS", [])
CLASSES_TURN_URLS = envlist("CLASSES_TURN_URLS", [])
CLASSES_TURN_SECRET = envstr("CLASSES_TURN_SECRET", "")
# Off (the embedded default): the built-in server's rooms live in the web process, which
# needs a class's sockets on one process. On (with REDIS_URL, several web processes): they
# live in `manage.py media_worker` (exactly one), reached over the channel layer; a request
# it does not answer within CLASSES_MEDIA_TIMEOUT seconds tells the user to try again.
CLASSES_MEDIA_WORKER = envbool("CLASSES_MEDIA_WORKER", False)
CLASSES_MEDIA_TIMEOUT = envint("CLASSES_MEDIA_TIMEOUT", 15)
LIVEKIT_URL = envstr("LIVEKIT_URL", "")
LIVEKIT_API_KEY = envstr("LIVEKIT_API_KEY", "")
LIVEKIT_API_SECRET = envstr("LIVEKIT_API_SECRET", "")
