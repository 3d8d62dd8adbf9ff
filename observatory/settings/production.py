"""Production settings: no unsafe default survives here.

The process refuses to start without `DJANGO_SECRET_KEY`, with `DJANGO_DEBUG` on, or
with the development key.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production: it exposes settings and personal data.")

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
# Django's own deployment check (security.W009) asks for 50 characters, 5 of them different.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == "development-only-insecure-key":
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(e.g. `openssl rand -hex 32`)."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only: plain HTTP is redirected and browsers are told to use HTTPS for a year. A deployment serving plain
# HTTP on a closed network (the demo on 127.0.0.1) turns these off with DJANGO_HTTPS=false.
_HTTPS = env.bool("DJANGO_HTTPS", default=True)
SECURE_SSL_REDIRECT = _HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000) if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=_HTTPS)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Each gunicorn worker serves one request at a time, so it holds at most one connection: keep it between requests.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
