"""CLP settings. Configured only through environment variables (see README); defaults are safe
for production (debug off), and `make run` adds DJANGO_DEBUG=true for the zero-set-up demo:
SQLite, Celery tasks run eagerly, emails printed to the console."""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from clp.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)  # production is the default; `make run` sets true
# `makemigrations` reads only the models, never the key, so it runs where no key is set (a fresh
# clone, a pre-commit hook); every other command in production refuses to start without one.
_READS_ONLY_MODELS = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] == ["makemigrations"]
SECRET_KEY = (env_str("DJANGO_SECRET_KEY", required=not (DEBUG or _READS_ONLY_MODELS))
              or "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_fsm",
    "rest_framework",
    "drf_spectacular",
    "clp",
    "plans",
    "consultation",
    "actions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "actions.api.http.ApiCorsMiddleware",
]

ROOT_URLCONF = "clp.urls"
WSGI_APPLICATION = "clp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "clp.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "clp.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's own, reading the account without compiling a query (clp/auth.py).
    "clp.auth.AccountBackend",
    "clp.auth.EmailAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login; failed logins are rate limited by allauth itself.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_FORMS = {"signup": "clp.forms.SignupForm", "login": "clp.forms.LoginForm"}
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "signup": "10/h/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CLP] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Community Led Plan"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CRISPY_FAIL_SILENTLY = not DEBUG

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views
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
# Several web or worker machines need one shared store: DJANGO_STORAGE=s3 puts uploads and
# published PDFs in an S3-compatible bucket (pip install "django-storages[s3]"); see docs/deployment.md.
if env_str("DJANGO_STORAGE", "local") == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env_str("S3_BUCKET", required=True),
        "endpoint_url": env_str("S3_ENDPOINT_URL"),
        "region_name": env_str("S3_REGION"),
        "access_key": env_str("S3_ACCESS_KEY_ID"),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)

# Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "clp.mail.ReadableConsoleBackend"  # links print whole, not quoted-printable
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Community Led Plan <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis: broker, result backend and cache when REDIS_URL is set; otherwise tasks run eagerly.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "clp"),
        }
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE = {
    "resend-unsent-invitations": {
        "task": "clp.tasks.sweep_unsent_invitations",
        "schedule": 600.0,
    },
}

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# Behind a reverse proxy every request comes from the proxy: name the header (as a META key, e.g.
# HTTP_X_REAL_IP) that the proxy sets to the client's address, for rate limits and device checks.
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY")

# Counts below this are hidden outside the steering group (UK practice: 10; never below 5).
CONSULTATION_SUPPRESSION_THRESHOLD = env_int("CONSULTATION_SUPPRESSION_THRESHOLD", 10)
if CONSULTATION_SUPPRESSION_THRESHOLD < 5:
    raise ImproperlyConfigured("CONSULTATION_SUPPRESSION_THRESHOLD must be 5 or more.")

# Content-Security-Policy: nonce-based scripts, no inline code anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Security follows from DEBUG=False so that `check --deploy` is clean in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "clp.sessions"  # Django's database sessions, read without the ORM (clp/sessions.py)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # LOG_FORMAT=json: one JSON object a line, for a log collector (docs/deployment.md).
    "formatters": {"json": {"()": "clp.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             **({"formatter": "json"} if env_str("LOG_FORMAT", "text") == "json"
                                else {})}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Optional error reporting: only when SENTRY_DSN is set (and `pip install sentry-sdk`). No
# personal data is sent: no user details, no request bodies, no cookies.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError as missing:
        raise ImproperlyConfigured("SENTRY_DSN is set but sentry-sdk is not installed.") from missing
    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, max_request_body_size="never",
                    environment=env_str("SENTRY_ENVIRONMENT", "production"),
                    traces_sample_rate=0.0)

# The health page (/health/) calls the beat late once its heartbeat is older than this.
HEALTH_BEAT_MAX_AGE = env_int("HEALTH_BEAT_MAX_AGE", 300)
CELERY_BEAT_SCHEDULE["beat-heartbeat"] = {
    "task": "clp.tasks.beat_heartbeat",
    "schedule": 60.0,
}

# --- Consultation (surveys) ---------------------------------------------------------------------
# Public survey pages are rate limited per client address (django-ratelimit, using the cache).
# Generous per address, because a drop-in event or a care home may share one connection.
# A CSV import of more rows than this runs in the background (a Celery task), not in the request:
# about 5 ms a row, so a large file stays well inside the web server's 30 s timeout.
CONSULTATION_IMPORT_BACKGROUND_ROWS = env_int("CONSULTATION_IMPORT_BACKGROUND_ROWS", 500)
CONSULTATION_RATE_PUBLIC = env_str("CONSULTATION_RATE_PUBLIC", "300/h")  # page saves per address
CONSULTATION_RATE_SUBMIT = env_str("CONSULTATION_RATE_SUBMIT", "60/h")  # sent surveys per address
CONSULTATION_RATE_CODE = env_str("CONSULTATION_RATE_CODE", "30/h")  # codes tried per address
# One shared device may send this many different sets of answers a day (a family taking turns).
CONSULTATION_MAX_DAILY_PER_DEVICE = env_int("CONSULTATION_MAX_DAILY_PER_DEVICE", 10)
CELERY_BEAT_SCHEDULE["consultation-sweep-surveys"] = {
    "task": "consultation.tasks.sweep_surveys",
    "schedule": 3600.0,
}
# UK GDPR storage limitation: once a closed survey is past its community's retention period
# (Community.retention_months), its free text is replaced and its codes and uploaded files deleted.
# Hourly, like every sweep (a missed run is caught up within the hour); each survey is stamped,
# so a run with nothing past its period only reads the closed surveys and does nothing.
CELERY_BEAT_SCHEDULE["consultation-apply-retention"] = {
    "task": "consultation.tasks.apply_retention",
    "schedule": 3600.0,
}

# --- Actions (action plan) ----------------------------------------------------------------------
# Residents' comments on a published draft plan, per client address (django-ratelimit).
ACTIONS_RATE_COMMENT = env_str("ACTIONS_RATE_COMMENT", "10/h")
CELERY_BEAT_SCHEDULE["actions-sweep-endorsement-requests"] = {
    "task": "actions.tasks.sweep_unemailed_requests",
    "schedule": 900.0,
}
# Signed links in delivery emails (owner requests, update links, offers to help) work this long.
ACTIONS_LINK_VALID_DAYS = env_int("ACTIONS_LINK_VALID_DAYS", 21)
# Public pages that take a signed link, offers to help and raised issues, per client address.
ACTIONS_RATE_LINK = env_str("ACTIONS_RATE_LINK", "30/h")
ACTIONS_RATE_PUBLIC = env_str("ACTIONS_RATE_PUBLIC", "10/h")
CELERY_BEAT_SCHEDULE["actions-sweep-delivery-emails"] = {
    "task": "actions.tasks.sweep_delivery_emails",
    "schedule": 900.0,
}

# --- Reminders (clp.reminders: send ledger, digests, preferences) ---------------------------------
# Signed links in reminder emails (preferences, one-click unsubscribe) work this many days.
REMINDER_LINK_MAX_AGE_DAYS = env_int("REMINDER_LINK_MAX_AGE_DAYS", 60)
# A row left "sending" this long (a worker killed mid-send) is freed by the sweep for another try.
# Keep it well above the send task's time limit, so a slow send is never taken for a dead one.
REMINDER_CLAIM_TIMEOUT = env_int("REMINDER_CLAIM_TIMEOUT", 1800)
# After this many failed attempts on transient errors a reminder is marked failed.
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 8)
# Reminders are due by the day, so a sweep every 15 minutes adds no duplicates (the ledger's
# unique rows prevent them); it bounds how long a lost message, a stale claim or a Redis outage
# delays an email. The send tasks it queues carry the work.
CELERY_BEAT_SCHEDULE["reminders-sweep"] = {
    "task": "clp.tasks.sweep_reminders",
    "schedule": 900.0,
}

# --- Reliability: Redis down, worker killed, mail server hanging (see clp/cache.py, clp/outbox.py)
# The cache (rate-limit counters) fails open while Redis is unreachable: short socket timeouts,
# then no new attempt for RETRY_AFTER seconds. django-ratelimit reads "no count" as allowed.
if REDIS_URL:
    CACHES["default"]["BACKEND"] = "clp.cache.FailOpenRedisCache"
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 1,
                                    "RETRY_AFTER": 5}
RATELIMIT_FAIL_OPEN = True
# Nothing reads task results (the database row is the record of work), and the Redis result
# backend subscribes for each result when a task is queued: once Redis has been down that
# subscription fails for good ("the Celery application must be restarted"). So keep none.
CELERY_TASK_IGNORE_RESULT = True
# No SMTP conversation may hang a worker: each socket operation gives up after this many seconds.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Every task has a time limit: the soft one raises inside the task (an email task's claim is
# released, so a retry or the sweep can take the row), the hard one kills the worker process.
# Emails take seconds; the limits are there for a stuck network call, not for normal work. They
# are enforced by the prefork pool (the default); the solo pool enforces none.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", CELERY_TASK_SOFT_TIME_LIMIT + 30)
# A claim (clp/outbox.py) older than the hard time limit belongs to a worker that is dead.
OUTBOX_CLAIM_SECONDS = CELERY_TASK_TIME_LIMIT + 10
# Redis gives an unacknowledged message (acks_late: its worker was killed) to another worker once
# it is older than visibility_timeout. Longer than any task may run, or a healthy task would run
# twice; longer than a claim lasts, so the redelivered message finds the row free. 10 minutes, and
# each worker looks for such messages every 10 s: a killed worker's email goes out about 10
# minutes later (within 3 minutes if only its child process died: reject_on_worker_lost and
# retry_when_busy in clp/outbox.py).
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    visibility_timeout=env_int("CELERY_VISIBILITY_TIMEOUT", 600),
    unacked_restore_interval=10, unacked_restore_throttle=1, socket_connect_timeout=1)
# A request queuing a task waits at most about two connection attempts of a second each for a
# broker that is down (then logs it: see clp/celery.py); the default policy tries four times.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.2}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= OUTBOX_CLAIM_SECONDS:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than a task's hard time "
                               f"limit plus 10 s ({OUTBOX_CLAIM_SECONDS} s).")
# The sweeps are the safety net under every lost message (broker down when queued, worker killed,
# retries used up): each re-queues the rows still to do; a task finding one claimed by a live
# worker waits for that claim (clp/outbox.py), so a sweep never makes an email go twice.
# Invitations every 10 minutes (someone is waiting to join), councillors' review requests every 15
# minutes, survey housekeeping and missed milestone emails hourly (nobody waits on those).
# Publications every 5 minutes: someone pressed Publish and is watching the status page.
CELERY_BEAT_SCHEDULE["plans-sweep-publications"] = {
    "task": "plans.tasks.sweep_publications",
    "schedule": 300.0,
}
# CSV imports every 5 minutes, for the same reason: someone confirmed a large file and is waiting.
CELERY_BEAT_SCHEDULE["consultation-sweep-imports"] = {
    "task": "consultation.tasks.sweep_imports",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["actions-sweep-priority-messages"] = {
    "task": "actions.tasks.sweep_unemailed_messages",
    "schedule": 900.0,
}

# --- Security -----------------------------------------------------------------------------------
# One-time survey codes are stored as a keyed hash (HMAC-SHA256) with this key, else SECRET_KEY.
# Changing it makes every unused code already printed stop working.
CONSULTATION_CODE_KEY = env_str("CONSULTATION_CODE_KEY")
# Failed sign-ins: 5 per account in 5 minutes (a guessed account is locked, from anywhere), and a
# generous 30 per address, so that one person's mistakes at a village hall's or library's shared
# connection never lock out everyone else there.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login_failed": "30/5m/ip,5/5m/key"}

# --- Portfolio (actions.portfolio) ----------------------------------------------------------------
# Portfolio health flags (support officers): when a plan counts as stalled or stuck at a gate,
# and when one person has done "most" of the last 90 days' recorded activity.
PORTFOLIO_STALLED_DAYS = env_int("PORTFOLIO_STALLED_DAYS", 60)
PORTFOLIO_GATE_DAYS = env_int("PORTFOLIO_GATE_DAYS", 90)
PORTFOLIO_DEPENDENCY_SHARE = env_int("PORTFOLIO_DEPENDENCY_SHARE", 75)
PORTFOLIO_DEPENDENCY_MIN_EVENTS = env_int("PORTFOLIO_DEPENDENCY_MIN_EVENTS", 5)
PORTFOLIO_PAGE_SIZE = env_int("PORTFOLIO_PAGE_SIZE", 50)
INSTALLED_APPS += ["actions.portfolio"]
CELERY_BEAT_SCHEDULE["portfolio-sweep-bulk-messages"] = {
    "task": "actions.portfolio.tasks.sweep_bulk_messages",
    "schedule": 600,
}

# Open data (actions/api): read-only, public, rate limited per address (fails open).
OPEN_DATA_RATE = env_str("OPEN_DATA_RATE", "600/h")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Community Led Plan open data",
    "DESCRIPTION": "Published community led plans, their priorities, actions, progress, "
                   "councillors' endorsements and survey headlines (small numbers hidden).",
    "VERSION": "1",
    "LICENSE": {"name": "Open Government Licence v3.0",
                "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"},
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {"ProgressStatusEnum": "actions.models.UpdateStatus",
                            "SurveyStatusEnum": "consultation.models.SurveyStatus"},
}
