"""Settings shared by every environment, read from the environment.

Development needs no configuration: every value has a safe local default.
`production.py` removes the defaults that would be unsafe there.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="development-only-insecure-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "leaflet",
    "axes",
    "observatory.accounts",
    "observatory.geography",
    "observatory.dashboards",
    "observatory.demo",
    "observatory.records",
    "ingestion",
    "observatory.reconciliation",
    "observatory.indicators",
    "observatory.open_data",
    "observatory.compstat",
    "observatory.hotspots",
    "observatory.backups",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "observatory.language.DefaultLanguageMiddleware",
    "observatory.request_guards.NulCharacterGuard",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "observatory.request_guards.SessionLifetimeGuard",
    "observatory.accounts.middleware.AdminSearchAudit",
    "observatory.request_guards.AnonymousPageRateLimit",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Trusted reverse proxies in front of the app (observatory.client_address); 0 ignores X-Forwarded-For.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# After AXES_FAILURE_LIMIT wrong passwords for a user name from an address, both logins pause for that pair.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "observatory.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "observatory.accounts.lockout.locked_out"

# A signed-in session ends after SESSION_IDLE_MINUTES without a request (the cookie's age, renewed by every request)
# and SESSION_MAX_HOURS after the login whatever happens (observatory.request_guards.SessionLifetimeGuard): these
# sessions can read personal data.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)

# Anonymous requests for pages and their CSV downloads (the API has its own throttle), per client address.
PAGE_RATE_ANONYMOUS = env("PAGE_RATE_ANONYMOUS", default="120/minute")

ROOT_URLCONF = "observatory.urls"
WSGI_APPLICATION = "observatory.wsgi.application"

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
                "django.template.context_processors.i18n",
                "observatory.accounts.context_processors.role",
                "observatory.indicators.context_processors.alert_bell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgis://postgres@127.0.0.1:5432/observatory",
        engine="django.contrib.gis.db.backends.postgis",
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# Development serves each request on a thread of its own (runserver): a kept connection per thread would pile up
# until PostgreSQL refuses more clients. Production (one request at a time per gunicorn worker) keeps them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"  # commanders land on CompStat instead (accounts.views.LoginView)
LOGOUT_REDIRECT_URL = "dashboards:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Spanish first, English available. Dates dd/mm/yyyy in Spanish
# come from observatory/formats/es/formats.py.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["observatory.formats"]
USE_I18N = True
# Numbers on pages grouped by thousands in the reader's language (1.234,5 / 1,234.5): years, ids and values that
# go into URLs or scripts are written with `unlocalize`.
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = env("OBSERVATORY_TIME_ZONE", default="America/Guatemala")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "observatory",
    }
}

# Celery: tasks acknowledge after they finish, so a killed worker's task is redelivered;
# heavy work runs on its own queue.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=55 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("ingestion", Exchange("ingestion"), routing_key="ingestion"),
)
CELERY_TASK_ROUTES = {"ingestion.*": {"queue": "ingestion"}}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the hard time limit, so Redis does not hand a running task to a second worker.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 600,
}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
HEALTH_WORKER_PING_TIMEOUT = env.float("HEALTH_WORKER_PING_TIMEOUT", default=1.0)
# Seconds the health checks' answer is reused: /health/ is public and its worker ping waits up to a second.
HEALTH_CACHE_SECONDS = env.int("HEALTH_CACHE_SECONDS", default=10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The first class names the scheme in 401 answers' WWW-Authenticate header.
        "observatory.accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.OrderedPageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exception_handlers.application_error_handler",
    "DEFAULT_THROTTLE_CLASSES": ["observatory.accounts.throttling.PublicRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env("API_RATE_ANONYMOUS", default="120/minute"),
        "api_key": env("API_RATE_API_KEY", default="1200/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Municipal Crime Observatory API"),
    "DESCRIPTION": _(
        "Crime figures of the municipal observatory, open to everyone: monthly indicators, discrepancies between "
        "sources, victim-level open data, bulk files and SDMX. Start with the guide at [/api/v1/](/api/v1/): quick "
        "start with curl, pandas and R, rate limits and API keys, suppression and provisional months, how to cite "
        "a vintage. This schema in another language: `?lang=es` or `?lang=en`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # One name per set of choices called "status" (the generator would otherwise name one after a hash).
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "observatory.jobs.models.Job.Status",
        "UndercountStatusEnum": "observatory.indicators.models.UndercountEstimate.Status",
        "MonthStatusEnum": ["provisional", "final"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.describe_envelopes_and_errors",
    ],
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (15.6, -90.3),
    "DEFAULT_ZOOM": 7,
    "TILES": [],
    "ATTRIBUTION_PREFIX": "",
    "RESET_VIEW": False,
}

# Geography
GEOGRAPHY_DISPLAY_SIMPLIFY_TOLERANCE = env.float("GEOGRAPHY_DISPLAY_SIMPLIFY_TOLERANCE", default=0.001)
# The public map of rates: boundaries simplified on their shared borders by this many degrees and quantised to this
# many steps across the country (340 municipalities in about 150 KB); a tile layer under it only where a deployment
# sets one (a URL template such as https://tile.example.org/{z}/{x}/{y}.png): by default the map loads nothing from
# elsewhere.
PORTAL_MAP_SIMPLIFY_TOLERANCE = env.float("PORTAL_MAP_SIMPLIFY_TOLERANCE", default=0.0015)
PORTAL_MAP_QUANTIZATION = env.int("PORTAL_MAP_QUANTIZATION", default=100_000)
PORTAL_MAP_TILE_URL = env("PORTAL_MAP_TILE_URL", default="")
PORTAL_MAP_TILE_ATTRIBUTION = env("PORTAL_MAP_TILE_ATTRIBUTION", default="")

# Content-Security-Policy (django-csp): scripts only from this site's own files, never inline, so an injected
# <script> or on* attribute does not run. Styles may be inline: Leaflet places its panes with style attributes.
# Images also from the map tile server when a deployment sets one.
_TILE_ORIGIN = (
    "{0.scheme}://{0.netloc}".format(urlsplit(PORTAL_MAP_TILE_URL.replace("{s}.", "*.")))
    if PORTAL_MAP_TILE_URL
    else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Debian 12 ships GDAL 3.6, which cannot block file and network access from spatial references.
# Boundary files are imported by operators from the command line only, never from anonymous uploads.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Ingestion: raw files are kept here by checksum; partners drop files in INGEST_DROP_DIR/<source>/.
INGEST_RAW_ROOT = Path(env("INGEST_RAW_ROOT", default=str(MEDIA_ROOT / "raw")))
INGEST_DROP_DIR = Path(env("INGEST_DROP_DIR", default=str(BASE_DIR / "var" / "drop")))
# Rows normalised at a time; up to three chunks are in flight (one being normalised, one being made ready to
# copy, one being loaded). 40,000 keeps a 1 GB file's import under 900 MiB (measured).
INGEST_CHUNK_ROWS = env.int("INGEST_CHUNK_ROWS", default=40_000)
# Arrow's allocator (mimalloc) gives freed memory back to the system at once rather than after a delay: an
# import frees a chunk's buffers every fraction of a second, and the delay kept ~100 MB more resident. Read when
# Arrow is loaded, which is after the settings in every process.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
# A file in the drop folder is taken once it has not changed for this long (it may still be being written).
INGEST_DROP_SETTLE_SECONDS = env.int("INGEST_DROP_SETTLE_SECONDS", default=10)
# A run whose worker gave no sign of life for this long is handed to another worker.
INGEST_STALLED_AFTER_SECONDS = env.int("INGEST_STALLED_AFTER_SECONDS", default=600)
INGEST_MAX_UPLOAD_BYTES = env.int("INGEST_MAX_UPLOAD_BYTES", default=2 * 1024**3)
# A run is started over after its worker dies; a file whose processing killed its worker this many times (out of
# memory, say) fails instead, rather than taking the worker down again and again.
INGEST_MAX_ATTEMPTS = env.int("INGEST_MAX_ATTEMPTS", default=3)
# The same for linkage runs and indicator vintages: a job whose worker died this many times fails.
JOB_MAX_INTERRUPTIONS = env.int("JOB_MAX_INTERRUPTIONS", default=3)
DEMO_DATA_DIR = Path(env("DEMO_DATA_DIR", default=str(BASE_DIR / "var" / "demo")))

# --- Reconciliation (observatory/reconciliation) ---------------------------------------------------------
# Pairs at or above the match threshold are linked; pairs between the review and the match threshold wait for
# an analyst in the review queue. Both are match probabilities of the Fellegi-Sunter model.
RECONCILIATION_MATCH_THRESHOLD = env.float("RECONCILIATION_MATCH_THRESHOLD", default=0.95)
RECONCILIATION_REVIEW_THRESHOLD = env.float("RECONCILIATION_REVIEW_THRESHOLD", default=0.5)
# Below this many records the model is not estimated from the data: the priors below are used as they are. A
# thousand records (FEBRL 1: 500 people recorded twice) are enough for EM to learn what tells its people apart.
RECONCILIATION_MIN_RECORDS_TO_TRAIN = env.int("RECONCILIATION_MIN_RECORDS_TO_TRAIN", default=1000)
# The analysts' "same person" decisions give the m probabilities at a full run once there are this many (a few
# would outweigh the estimates from thousands of pairs: Splink averages its training sessions unweighted).
RECONCILIATION_MIN_MATCH_LABELS = env.int("RECONCILIATION_MIN_MATCH_LABELS", default=30)
# How long the linkage's quality report (precision and recall estimated from the decisions; the methodology and
# runs pages, the API) stays cached; a new run or decision makes a new one at once.
RECONCILIATION_QUALITY_REPORT_CACHE_SECONDS = env.int("RECONCILIATION_QUALITY_REPORT_CACHE_SECONDS", default=86400)
# Pairs sampled to estimate the u probabilities, and at most this many blocked pairs per EM training session.
RECONCILIATION_U_SAMPLE_PAIRS = env.float("RECONCILIATION_U_SAMPLE_PAIRS", default=5e5)
RECONCILIATION_EM_MAX_PAIRS = env.float("RECONCILIATION_EM_MAX_PAIRS", default=5e5)
RECONCILIATION_MODEL_PRIORS = Path(
    env("RECONCILIATION_MODEL_PRIORS", default=str(BASE_DIR / "observatory" / "reconciliation" / "model_priors.json"))
)
# Parameters fixed by configuration whatever the data say, in the priors file's format, e.g.
# {"comparisons": {"id_number": {"same number": {"m": 0.99}}}}.
RECONCILIATION_FIXED_PARAMETERS = env.json("RECONCILIATION_FIXED_PARAMETERS", default={})
# Memory the linkage's DuckDB database may hold before it spills to RECONCILIATION_DUCKDB_TEMP_DIRECTORY (a DuckDB
# size: "2GB"), each database in a directory of its own there; scored pairs are read from it
# RECONCILIATION_SCORE_BATCH_PAIRS at a time.
RECONCILIATION_DUCKDB_MEMORY_LIMIT = env("RECONCILIATION_DUCKDB_MEMORY_LIMIT", default="2GB")
RECONCILIATION_DUCKDB_TEMP_DIRECTORY = Path(
    env("RECONCILIATION_DUCKDB_TEMP_DIRECTORY", default=str(Path(tempfile.gettempdir()) / "observatory-duckdb"))
)
RECONCILIATION_SCORE_BATCH_PAIRS = env.int("RECONCILIATION_SCORE_BATCH_PAIRS", default=50_000)
# A blocking key (an ID number, a name, a name part on a day, a day for records without a name) whose records would
# be compared in more pairs than this is too common to tell anyone apart: its pairs are not generated, and the run
# says how many were left out. Realistic data stay far below it (at most about 8,000 for 100,000 records).
RECONCILIATION_BLOCK_MAX_PAIRS = env.int("RECONCILIATION_BLOCK_MAX_PAIRS", default=50_000)
# Sources that hold at most one record per person (one autopsy per body): two of their records never link.
RECONCILIATION_ONE_RECORD_PER_VICTIM_SOURCES = env.list(
    "RECONCILIATION_ONE_RECORD_PER_VICTIM_SOURCES", default=["coroner"]
)
# Sources whose reporting unit is the health facility that treated the person (a hospital's establishment): compared
# with the place a body was recovered from when that place is a hospital.
RECONCILIATION_FACILITY_SOURCES = env.list("RECONCILIATION_FACILITY_SOURCES", default=["hospital"])
# Which source each reconciled attribute is taken from first (see reconciliation/linkage/attributes.py).
RECONCILIATION_AUTOPSY_SOURCES = env.list("RECONCILIATION_AUTOPSY_SOURCES", default=["coroner"])
RECONCILIATION_PRECEDENCE = {
    "category": ["coroner", "police", "hospital"],
    "manner": ["coroner"],
    "place": ["police", "coroner", "hospital"],
    "injury": ["hospital", "coroner"],
    "person": ["coroner", "police", "hospital"],
    "age": ["coroner", "hospital", "police"],
}

# Indicators (observatory/indicators): what counts as unstable, what is hidden from the public, and the alerts.
INDICATORS_UNSTABLE_BELOW = env.int("INDICATORS_UNSTABLE_BELOW", default=20)
INDICATORS_CONFIDENCE = env.float("INDICATORS_CONFIDENCE", default=0.95)
# Public small-cell suppression (docs/privacy.md): counts from 1 to SUPPRESS_BELOW - 1 of these series, and of
# victims under MINOR_AGE, are shown as "<5", with complementary suppression so that totals cannot reveal them.
INDICATORS_SUPPRESS_BELOW = env.int("INDICATORS_SUPPRESS_BELOW", default=5)
INDICATORS_SUPPRESSED_SERIES = env.list("INDICATORS_SUPPRESSED_SERIES", default=["sexual_violence"])
INDICATORS_MINOR_AGE = env.int("INDICATORS_MINOR_AGE", default=18)
# Sex and age-band breakdowns (SDG 16.1.1) of these series, at these levels.
INDICATORS_BREAKDOWN_SERIES = env.list("INDICATORS_BREAKDOWN_SERIES", default=["homicide", "femicide"])
INDICATORS_BREAKDOWN_LEVELS = env.list("INDICATORS_BREAKDOWN_LEVELS", default=["country", "department"])
# How long an answer of the public aggregates API (per vintage, language and query) stays cached in Redis.
API_AGGREGATE_CACHE_SECONDS = env.int("API_AGGREGATE_CACHE_SECONDS", default=24 * 3600)
# Public pages are kept whole for anonymous readers per vintage (observatory/indicators/page_cache.py), at most
# this long for what changes between publications (boundaries, populations).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)
# How long the current publication's count table stays cached for the next incremental computation.
INDICATORS_TABLE_CACHE_SECONDS = env.int("INDICATORS_TABLE_CACHE_SECONDS", default=7 * 24 * 3600)
# Two records of one victim whose dates are further apart than this are a date conflict.
INDICATORS_DATE_CONFLICT_DAYS = env.int("INDICATORS_DATE_CONFLICT_DAYS", default=3)
# A month is provisional until every source covering it has sent data (events) past its end plus this many days.
INDICATORS_SETTLING_DAYS = env.int("INDICATORS_SETTLING_DAYS", default=45)
# A municipality a source is declared to cover but has sent no record for this many months in a row is flagged.
INDICATORS_SILENT_MONTHS = env.int("INDICATORS_SILENT_MONTHS", default=3)
# Alerts: a month is flagged when P(X >= observed) under a Poisson with the mean of the previous months is below
# ALERT_P_VALUE and the excess is at least ALERT_MIN_EXCESS events.
INDICATORS_ALERT_HISTORY_MONTHS = env.int("INDICATORS_ALERT_HISTORY_MONTHS", default=24)
INDICATORS_ALERT_P_VALUE = env.float("INDICATORS_ALERT_P_VALUE", default=0.01)
INDICATORS_ALERT_MIN_EXCESS = env.int("INDICATORS_ALERT_MIN_EXCESS", default=3)
INDICATORS_ALERT_SERIES = env.list("INDICATORS_ALERT_SERIES", default=["homicide", "assault_injury", "disappearance"])
# Multiple systems estimation: the series, the lists (sources) and the information criterion. BIC by default: in
# simulation its chosen model's 95% interval covered the truth 93-94% of the time, AIC's 87-89% (extra interactions).
INDICATORS_UNDERCOUNT_SERIES = env.list("INDICATORS_UNDERCOUNT_SERIES", default=["homicide"])
INDICATORS_UNDERCOUNT_LISTS = env.list("INDICATORS_UNDERCOUNT_LISTS", default=["police", "coroner", "hospital"])
INDICATORS_UNDERCOUNT_CRITERION = env("INDICATORS_UNDERCOUNT_CRITERION", default="bic")

# Open data (observatory/open_data, docs/privacy.md): victim-level rows leave out these categories and every victim at
# these kinds of place (the records carry no flag for domestic violence; home stands for it), and victims under
# INDICATORS_MINOR_AGE. A case's place is the centre of its grid cell (this many metres, in this metric projection:
# UTM 15N by default, whose scale error stays under 0.3% across Guatemala) where at least OPEN_DATA_MIN_CASES_PER_CELL
# published cases of the same year share the cell, else its colonia's centroid.
OPEN_DATA_EXCLUDED_CATEGORIES = env.list("OPEN_DATA_EXCLUDED_CATEGORIES", default=["sexual_violence"])
OPEN_DATA_EXCLUDED_PLACE_TYPES = env.list("OPEN_DATA_EXCLUDED_PLACE_TYPES", default=["home"])
OPEN_DATA_GRID_METRES = env.int("OPEN_DATA_GRID_METRES", default=250)
OPEN_DATA_GRID_SRID = env.int("OPEN_DATA_GRID_SRID", default=32615)
OPEN_DATA_MIN_CASES_PER_CELL = env.int("OPEN_DATA_MIN_CASES_PER_CELL", default=3)
# The agency the SDMX data structure and dataflow are maintained by (an SDMX id).
OPEN_DATA_SDMX_AGENCY = env("OPEN_DATA_SDMX_AGENCY", default="OBSERVATORY")
# The bulk files of each release (a folder per release; the latest two are kept).
OPEN_DATA_ROOT = Path(env("OPEN_DATA_ROOT", default=str(MEDIA_ROOT / "open-data")))

# The commanders' analyses: CompStat, daily alerts and hotspots.
from .commanders import *  # noqa: E402, F403
