# One image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# GeoDjango loads GDAL, GEOS and PROJ at run time (gdal-bin brings all three);
# gettext provides msgfmt for compilemessages; postgresql-client for `manage.py dbshell`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gdal-bin libgdal32 gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# pyproject.toml declares `packages = []`, so a regular `pip install .` would install no code.
# The editable install only installs the dependencies; the code is imported from /app
# (PYTHONPATH above). It needs nothing but pyproject.toml, so this layer stays cached
# while the source changes.
COPY pyproject.toml ./
RUN pip install -e .

COPY . .

# A fresh checkout has no locale/ directory until the first catalogue is added, and
# compilemessages refuses to run without one.
# collectstatic runs with the production settings because they store static files with
# CompressedManifestStaticFilesStorage: without the manifest it writes, every page that
# uses {% static %} fails with DEBUG off. The secret key here exists only for this command.
RUN mkdir -p locale \
    && DJANGO_SETTINGS_MODULE=observatory.settings.base python manage.py compilemessages -v 0 \
    && DJANGO_SETTINGS_MODULE=observatory.settings.production \
       DJANGO_SECRET_KEY=build-time-only-collectstatic-key-not-used-at-run-time \
       DJANGO_ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --no-input -v 0

# The code and static files stay owned by root; the app writes only under /data
# (uploads in /data/media), which docker-compose.yml mounts as a named volume.
RUN groupadd --system observatory \
    && useradd --system --gid observatory --create-home --home-dir /home/observatory \
       --shell /usr/sbin/nologin observatory \
    && mkdir -p /data/media \
    && chown -R observatory:observatory /data
USER observatory

# Fail loudly rather than run with the development defaults (DEBUG on, a public secret key).
ENV DJANGO_SETTINGS_MODULE=observatory.settings.production

EXPOSE 8000
CMD ["gunicorn", "observatory.wsgi:application", "--bind", "0.0.0.0:8000"]
