"""Settings for the test suite: the real PostGIS and Redis, on their own databases."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Redis database 15 keeps the test suite away from a running demo's queues and cache.
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "observatory-test",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anonymous": "10000/minute", "api_key": "100000/minute"}}  # noqa: F405
PAGE_RATE_ANONYMOUS = "100000/minute"
# The workers the tests start do not compile esda's kernels at once: the hotspot tests compile what they use.
HOTSPOTS_WARM_KERNELS_AT_START = False
