"""docker-compose.yml wires the app to its database and broker and passes only settings the app reads.

No Docker needed: the file is parsed and compared with the repository and the settings modules.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
SETTINGS_DIR = REPO_ROOT / "observatory" / "settings"

SERVICES = {"web", "worker", "beat", "db", "redis"}
APP_SERVICES = ("web", "worker", "beat")
DATA_DIRS = {"db": "/var/lib/postgresql/data", "redis": "/data"}
REQUIRED_APP_VARIABLES = {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
# Read by Django itself (manage.py, wsgi.py, celery.py), not by the settings modules.
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE"}

# env("NAME", ...), env.bool("NAME", ...), env.db_url(\n "NAME", ...) and so on.
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
COMPOSE_VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE_FILE.is_file(), f"{COMPOSE_FILE} is missing"
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def variables_read_by_settings() -> set[str]:
    names = set()
    for module in SETTINGS_DIR.glob("*.py"):
        names |= set(ENV_READ.findall(module.read_text()))
    assert names, f"no env(...) reads found in {SETTINGS_DIR}/*.py: the pattern no longer matches the settings"
    return names


def interpolate(value: str) -> str:
    """The value as Compose would see it with none of the variables set (a required one stands as <NAME>)."""

    def substitute(match: re.Match) -> str:
        operator, argument = match.group(2), match.group(3)
        if operator and operator.endswith("-"):
            return argument
        if operator and operator.endswith("?"):
            return f"<{match.group(1)}>"
        return ""

    return COMPOSE_VARIABLE.sub(substitute, value).replace("$$", "$")


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def volume_mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) of each volume, whether written short ("source:target:mode") or long."""
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            mounts.append((volume.get("source", ""), volume.get("target", "")))
        else:
            source, _, rest = volume.partition(":")
            mounts.append((source, rest.split(":")[0]) if rest else ("", source))
    return mounts


def test_all_services_are_defined(compose):
    missing = SERVICES - set(compose.get("services") or {})
    assert not missing, f"docker-compose.yml lacks the services {sorted(missing)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_builds_from_the_repository_dockerfile(compose, name):
    build = compose["services"][name].get("build")
    assert build is not None, f"{name} has no `build`, so it would not run this repository's code"
    if isinstance(build, str):
        build = {"context": build}
    context = (COMPOSE_FILE.parent / build.get("context", ".")).resolve()
    dockerfile = (context / build.get("dockerfile", "Dockerfile")).resolve()
    assert dockerfile == REPO_ROOT / "Dockerfile", f"{name} builds from {dockerfile}, not {REPO_ROOT / 'Dockerfile'}"
    assert dockerfile.is_file(), f"{name} builds from {dockerfile}, which does not exist"


def test_database_image_has_postgis(compose):
    image = compose["services"]["db"].get("image", "")
    assert image.startswith("postgis/postgis:"), f"db runs {image!r}; GeoDjango needs a postgis/postgis image"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_service_has_a_healthcheck(compose, name):
    healthcheck = compose["services"][name].get("healthcheck") or {}
    test = healthcheck.get("test")
    assert test and not healthcheck.get("disable"), f"{name} has no healthcheck"
    assert test not in (["NONE"], "NONE"), f"{name} disables its healthcheck with test NONE"


@pytest.mark.parametrize("name", sorted(DATA_DIRS))
def test_service_data_is_on_a_declared_named_volume(compose, name):
    """A bind mount or anonymous volume would be lost or shared by accident; a named volume survives `down`."""
    target = DATA_DIRS[name]
    sources = [source for source, mounted_at in volume_mounts(compose["services"][name]) if mounted_at == target]
    assert sources, f"{name} keeps {target} in the container only: mount a named volume there"
    source = sources[0]
    declared = set(compose.get("volumes") or {})
    assert source in declared, (
        f"{name} mounts {source!r} at {target}; it must be a named volume declared under top-level "
        f"`volumes:` (declared: {sorted(declared)})"
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_database_and_redis(compose, name):
    depends_on = compose["services"][name].get("depends_on") or {}
    assert isinstance(depends_on, dict), (
        f"{name} lists depends_on without conditions, so it starts before db and redis accept connections"
    )
    for dependency in ("db", "redis"):
        condition = (depends_on.get(dependency) or {}).get("condition")
        assert condition == "service_healthy", (
            f"{name} must depend on {dependency} with condition service_healthy, found {condition!r}"
        )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_sets_only_variables_the_settings_read(compose, variables_read_by_settings, name):
    """A variable no setting reads is silently ignored: the operator believes it configures something."""
    unread = set(environment_of(compose["services"][name])) - variables_read_by_settings - READ_OUTSIDE_SETTINGS
    assert not unread, f"{name} sets {sorted(unread)}, which no observatory/settings/*.py module reads with env(...)"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_sets_the_required_variables(compose, name):
    missing = REQUIRED_APP_VARIABLES - set(environment_of(compose["services"][name]))
    assert not missing, f"{name} does not set {sorted(missing)}; the development defaults would apply"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_runs_the_production_settings(compose, name):
    module = environment_of(compose["services"][name]).get("DJANGO_SETTINGS_MODULE")
    assert module == "observatory.settings.production", (
        f"{name} runs with DJANGO_SETTINGS_MODULE={module!r}, not observatory.settings.production"
    )
    module_file = REPO_ROOT.joinpath(*module.split(".")).with_suffix(".py")
    assert module_file.is_file(), f"{name} runs with {module}, but {module_file} does not exist"


@pytest.mark.parametrize("name", APP_SERVICES)
@pytest.mark.parametrize(("variable", "host"), [("DATABASE_URL", "db"), ("REDIS_URL", "redis")])
def test_app_service_reaches_backing_services_by_service_name(compose, name, variable, host):
    assert host in compose["services"], f"there is no {host} service for {variable} to point at"
    value = interpolate(environment_of(compose["services"][name]).get(variable, ""))
    actual = urlsplit(value).hostname
    assert actual == host, f"{name}'s {variable} points at host {actual!r}, not the {host} service ({value!r})"
