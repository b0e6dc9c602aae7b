"""Django settings for running BottleCRM (PyPI `django-crm` 1.35.0) as a local
test backend for Kehu. Used by scripts/backends/bottlecrm.sh as
DJANGO_SETTINGS_MODULE=bottlecrm_settings (this directory on PYTHONPATH).

What it changes from the package's `crm.settings`, and why:

* SQLite instead of PostgreSQL. The file comes from BOTTLECRM_DB (set by the
  script to .cache/bottlecrm/db.sqlite3; migrations and the bootstrap point it
  at scratch files). PostgreSQL row-level security does not exist on SQLite;
  the app code filters by org anyway, and the package's own test settings run
  the same way.
* Nothing reaches the network: Celery uses the in-process memory broker and is
  never consumed (no Redis, no worker, so assignment e-mails and webhook
  deliveries are queued and dropped), mail goes to the console backend,
  ENV_TYPE=dev so the production branch (Sentry, S3 storage) is never loaded,
  no Google OAuth client, no cache server, no SES.
* CORS allows any origin, with the headers the API reads (Authorization,
  Token, org) and exposes nothing special: the browser app is served from
  another 127.0.0.1 port and calls the API directly.
* Log files and uploads go under .cache/bottlecrm instead of the current
  directory and site-packages.

Changing this file changes the cache key of the migrated database, so the
script migrates again (about 2.5 minutes) after an edit.
"""

import os

_CACHE = os.environ.get("BOTTLECRM_CACHE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".cache", "bottlecrm")
)

# Read by crm.settings at import time, so set them before importing it.
# Assigned, not setdefault: crm.settings calls load_dotenv(), which would
# otherwise let a stray .env file steer a test backend.
os.environ["ENV_TYPE"] = "dev"
os.environ["DEBUG"] = os.environ.get("BOTTLECRM_DEBUG", "False")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"
os.environ["CACHE_URL"] = ""
os.environ["DB_POOL_ENABLED"] = "False"
os.environ["GOOGLE_CLIENT_ID"] = ""
os.environ["GOOGLE_CLIENT_SECRET"] = ""
os.environ["RELAY_SECRET"] = ""
os.environ["INBOUND_EMAIL_DOMAIN"] = ""
os.environ["INBOUND_EMAIL_TOPIC_ARN"] = ""
os.environ["INBOUND_EMAIL_S3_BUCKET"] = ""
os.environ["INBOUND_SNS_ACCOUNT_IDS"] = ""
if len(os.environ.get("SECRET_KEY", "").encode()) < 32:
    # The script passes a per-machine key from .cache/bottlecrm/secret_key.
    # This fallback only serves one-off commands run by hand.
    os.environ["SECRET_KEY"] = "kehu-local-test-backend-not-a-secret-0123456789"

from crm.settings import *  # noqa: E402,F401,F403
from crm.settings import LOGGING  # noqa: E402

DEBUG = os.environ["DEBUG"].lower() == "true"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BOTTLECRM_DB")
        or os.path.join(_CACHE, "db.sqlite3"),
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            # Several gunicorn threads/workers share one file: wait for the
            # write lock instead of failing with "database is locked", and
            # take it at BEGIN so two writers never deadlock on upgrade.
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}

# No external services.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
ADMINS = []
MANAGERS = []
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = False
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bottlecrm-local",
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = os.path.join(_CACHE, "media")
STATIC_ROOT = os.path.join(_CACHE, "static")
FRONTEND_URL = "http://127.0.0.1:8080"
DOMAIN_NAME = os.environ.get("BOTTLECRM_BASE_URL", "http://127.0.0.1:8000")
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False

# CORS: any origin (the Kehu app runs on another 127.0.0.1 port). Bearer
# tokens, not cookies, so no credentials mode is needed.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ORIGIN_ALLOW_ALL = True
CORS_ALLOWED_ORIGINS = []
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "if-match",
    "if-none-match",
    "if-modified-since",
    "org",
    "token",
    "user-agent",
    "x-requested-with",
)
CORS_ALLOW_METHODS = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")
CORS_EXPOSE_HEADERS = ("content-disposition", "etag", "last-modified", "location")
CSRF_TRUSTED_ORIGINS = ["http://127.0.0.1", "http://localhost"]

# Log files under the cache dir, not wherever the server was started.
LOGGING["handlers"]["logfile"]["filename"] = os.path.join(_CACHE, "server.log")
LOGGING["handlers"]["security_audit"]["filename"] = os.path.join(
    _CACHE, "security_audit.log"
)
LOGGING["handlers"]["mail_admins"] = {"class": "logging.NullHandler"}

# Fast password hashing: the admin password is for local tests only.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# `common.middleware.rls_context.RequireOrgContext` runs
# `SELECT set_config('app.current_org', ...)` (PostgreSQL) on every request and
# logs a warning when it fails. SQLite has no RLS to set, so give it a no-op
# function of that name instead of a warning per request.
def _sqlite_set_config(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "set_config", 3, lambda name, value, is_local: value, deterministic=True
        )


from django.db.backends.signals import connection_created  # noqa: E402

connection_created.connect(_sqlite_set_config, dispatch_uid="bottlecrm_set_config")
