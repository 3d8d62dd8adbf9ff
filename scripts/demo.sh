#!/usr/bin/env bash
# `make demo` after `make setup`: load the demo and serve it as a deployment would, with the production settings
# (DEBUG off, a real application server, static files by WhiteNoise), over plain HTTP on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p var
# A secret generated once per checkout and kept, so signed-in sessions survive a restart of the demo.
if [ ! -s var/demo_secret_key ]; then
    .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/demo_secret_key
    chmod 600 var/demo_secret_key
fi
export DJANGO_SETTINGS_MODULE=observatory.settings.production
DJANGO_SECRET_KEY="$(cat var/demo_secret_key)"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export DJANGO_HTTPS="${DJANGO_HTTPS:-false}"
# The served processes connect as the application's role (created by setup): no owner, no superuser, the audit
# log only read and appended to. A DATABASE_URL of your own is used as it is.
export DATABASE_URL="${DATABASE_URL:-postgis://${OBSERVATORY_APP_DB_ROLE:-observatory_app}@127.0.0.1:5432/observatory}"

.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/python manage.py load_demo
echo "The observatory is at http://127.0.0.1:8000 (Ctrl-C stops the web server, worker and beat)"
exec .venv/bin/honcho --procfile Procfile start
