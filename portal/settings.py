"""Settings for the 技能认定 portal: one module, read from the environment.

With no environment at all the portal runs on the embedded default: SQLite in the project folder,
Celery tasks executed eagerly in-process, mail printed to the console. Production sets DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL.
"""

import importlib
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The development key only works with DEBUG on: production must provide its own.
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-000000000000000000"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets the portal's Chinese page (templates/csrf_failure.html), not Django's English one.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

INSTALLED_APPS = [
    "portal.apps.PortalConfig",
    "filings.apps.FilingsConfig",
    "certification.apps.CertificationConfig",
    "eligibility.apps.EligibilityConfig",
    "appraisals.apps.AppraisalsConfig",
    "certificates.apps.CertificatesConfig",
    "talent.apps.TalentConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",  # Chinese unless English was chosen: no Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.post_only.MethodNotAllowedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Left out for the public GET views marked @fast_lane (the QR verification page and the certificate
# API, portal/fastlane.py): they read no session, user, CSRF token or message and serve no static file,
# and the lane takes GET requests only, to views that answer GET: no bare 405 for
# MethodNotAllowedMiddleware to dress (issue 42 item 1). Every other middleware above runs for them too,
# in the same order.
FAST_LANE_SKIPPED_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.post_only.MethodNotAllowedMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections with health checks: a lookup view goes from ~220 to ~1,650 req/s on 2 cores
# (STYLE.md), and a restarted database is reconnected to by itself.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A web host cut off from the data host says so within seconds (/readyz 503, the error page) instead of
# waiting minutes on TCP's retransmissions (issue 41, tests/cluster): connecting and any unacknowledged
# send are bounded, and keepalives notice a silent peer. Options in the URL (?connect_timeout=...) win.
NETWORK_TIMEOUT_SECONDS = env.int("NETWORK_TIMEOUT_SECONDS", default=3)
if "postgresql" in DATABASES["default"]["ENGINE"]:
    for _option, _value in {
        "connect_timeout": NETWORK_TIMEOUT_SECONDS,
        "keepalives": 1,
        "keepalives_idle": NETWORK_TIMEOUT_SECONDS,
        "keepalives_interval": 1,
        "keepalives_count": 2,
        "tcp_user_timeout": NETWORK_TIMEOUT_SECONDS * 1000,
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_option, _value)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://portal")}
if "redis" in CACHES["default"]["BACKEND"].lower():  # bounded like the database's (above)
    for _option in ("socket_timeout", "socket_connect_timeout"):
        CACHES["default"].setdefault("OPTIONS", {}).setdefault(_option, NETWORK_TIMEOUT_SECONDS)
# Sessions are read through the cache when it is shared by every process (Redis): one query less on
# every logged-in page (bench/load.py, the staff queue). A per-process cache would let a log-out in one
# process go unseen in the others, so the database alone holds them then.
if "redis" in CACHES["default"]["BACKEND"].lower():
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The one authentication backend: Django's password check behind the login limits (portal/login.py), so
# the admin login and every other caller of authenticate() share the portal login's budgets.
AUTHENTICATION_BACKENDS = ["portal.login.LimitedModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Who may register an applicant account: each entry is a function (credit code) -> refusal or None,
# named by dotted path so that portal imports no app above it (read like AUTH_PASSWORD_VALIDATORS).
PORTAL_REGISTRATION_CHECKS = ["filings.institutions.registration_refusal"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Chinese for every browser, whatever its Accept-Language (portal.middleware.LanguageMiddleware); the
# navbar switch to English is remembered in the language cookie for a year (issue 29 item 13).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Each app keeps its catalogue in <app>/locale; shared templates/ strings live in portal/locale.
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# local (MEDIA_ROOT, the default) or database (PostgreSQL, for hosts without a shared disk): portal/storage.py.
FILE_STORAGE = env("FILE_STORAGE", default="local")
if FILE_STORAGE not in ("local", "database"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"FILE_STORAGE must be local or database, not {FILE_STORAGE!r}")
STORAGES = {
    "default": {
        "BACKEND": {
            "local": "django.core.files.storage.FileSystemStorage",
            "database": "portal.storage.DatabaseStorage",
        }[FILE_STORAGE]
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail's claim older than this was left by a sender that died (portal.outbox.CLAIM_TIMEOUT); it must
# outlast any live sender (portal.outbox.SWEEP_TIME_LIMIT, 180 s).
OUTBOX_CLAIM_TIMEOUT_SECONDS = env.int("OUTBOX_CLAIM_TIMEOUT_SECONDS", default=300)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="技能认定门户 <noreply@localhost>")

# The portal's public address, the one host printed in mails, QR codes and PDFs (portal/links.py).
# `make run` passes the address it serves; production sets it (portal/checks.py warns otherwise).
DEFAULT_PORTAL_PUBLIC_URL = "http://127.0.0.1:8000"
PORTAL_PUBLIC_URL = env("PORTAL_PUBLIC_URL", default="")
if not PORTAL_PUBLIC_URL and env("CERTIFICATES_PUBLIC_BASE_URL", default=""):
    # The old name, still read for one release; portal/checks.py asks for the new one on every check.
    CERTIFICATES_PUBLIC_BASE_URL = PORTAL_PUBLIC_URL = env("CERTIFICATES_PUBLIC_BASE_URL")
PORTAL_PUBLIC_URL = PORTAL_PUBLIC_URL or DEFAULT_PORTAL_PUBLIC_URL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: a Redis broker when CELERY_BROKER_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True  # tasks are idempotent, so a redelivery after a crash is safe
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# A task whose worker died (its host killed: nothing acknowledged, ACKS_LATE) is handed by Redis to another
# worker once it has been unacknowledged this long (kombu's visibility timeout; an hour, its default, not
# below the longest task: a live task past it would be delivered twice). Every worker looks for such tasks
# every tenth of it, at most every 10 s. A certificate batch is queued again sooner by the beat
# (certificates.requeue_stale_batches); tests/cluster sets seconds (issue 41).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_TIMEZONE = TIME_ZONE
# Each domain app lists its periodic tasks in <app>/schedule.py as BEAT_SCHEDULE (plain data).
CELERY_BEAT_SCHEDULE: dict = {}
for _app in ("portal", "filings", "certification", "certificates"):
    try:
        CELERY_BEAT_SCHEDULE.update(importlib.import_module(f"{_app}.schedule").BEAT_SCHEDULE)
    except ModuleNotFoundError:
        pass

# Domain settings.
PROVINCE_CODE = env("PROVINCE_CODE", default="12")  # GB/T 2260; 12 = Tianjin
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.SizeLimitedUploadHandler",  # an oversize file is cut off while it arrives
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

# Settings of the domain apps: each app reads them with getattr() and its own default (see the apps'
# constants.py); the environment may set any of them here, so production changes them without code.
# /metrics answers only with "Authorization: Bearer <METRICS_TOKEN>"; unset, it does not exist (portal.metrics).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="")  # Ed25519, see certificates/README.md
for _name in (
    "CERTIFICATE_LOOKUP_RATE",  # e.g. "20/m": public lookup, verification and API, per address
    "FILING_OBJECTION_RATE",
    "APPRAISAL_OBJECTION_RATE",  # the score publicity's objections (appraisals), default as the filings'
    "FILING_COMPLAINT_RATE",
    "FILING_DIRECTORY_RATE",
    "FILING_DIRECTORY_XLSX_RATE",
    "ELIGIBILITY_CHECK_RATE",
    "FILING_INTAKE",  # "rounds" (default: the bureau's 申报工作安排, filings.rounds) or "continuous"
):
    if _name in env:
        vars()[_name] = env(_name)
RATELIMIT_TRUST_FORWARDED = env.bool("RATELIMIT_TRUST_FORWARDED", default=False)
RATELIMIT_TRUSTED_PROXIES = env.int(
    "RATELIMIT_TRUSTED_PROXIES", default=1 if RATELIMIT_TRUST_FORWARDED else 0
)
# IPv6 clients are counted per network of this many leading bits (portal.ratelimit.client_key): one
# subscriber usually gets a whole /64 and may rotate addresses inside it. 56 or 48 for ISPs that hand out
# shorter prefixes (coarser budgets); IPv4 clients are always counted per address.
RATELIMIT_IPV6_PREFIX = env.int("RATELIMIT_IPV6_PREFIX", default=64)
# How many processes share the Redis count (all hosts together). Each may then grant its share of what is
# left without a round trip (portal.ratelimit.LocalShare); 0 asks Redis on every hit. gunicorn reads its
# worker count from the same WEB_CONCURRENCY.
RATELIMIT_PROCESSES = env.int("RATELIMIT_PROCESSES", default=env.int("WEB_CONCURRENCY", default=0))
RATELIMIT_SYNC_SECONDS = env.float("RATELIMIT_SYNC_SECONDS", default=1.0)  # pending hits pushed this often

# Security: the secure-by-default flags hold whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Django's own JS-free forms do not need to read it; kept default
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Set only where TLS ends at a trusted proxy that itself redirects http to https (and gunicorn is
# reachable from that proxy only): then SECURE_SSL_REDIRECT may be off, and the deploy check
# (portal/checks.py, portal.E001) accepts it. Issue 30, finding 6.
TLS_REDIRECT_AT_PROXY = env.bool("TLS_REDIRECT_AT_PROXY", default=False)
if not DEBUG:
    # Only a plain-http test rig behind no proxy turns these off (SECURE_COOKIES=0).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One JSON object per line with the request id (portal/logs.py), so a request can be followed across
    # hosts; each request also writes one line of its own to portal.request (portal/middleware.py).
    "filters": {"request_id": {"()": "portal.middleware.RequestIdFilter"}},
    "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO: keep their warnings only.
    # The request lines: LOG_REQUESTS=0 turns them off (where the proxy's access log is kept instead).
    "loggers": {
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
        "portal.request": {"level": "INFO" if env.bool("LOG_REQUESTS", default=True) else "WARNING"},
    },
}
