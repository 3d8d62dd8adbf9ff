import pytest
from django.core.cache import cache

from observatory.accounts.roles import Role
from observatory.geography.models import Level

from .factories import AdminUnitFactory, UserFactory, square
from .workers import CeleryWorker


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: Redis outlives the database a test rolls back, and the API caches
    which vintage is the latest."""
    cache.clear()


@pytest.fixture
def user_with_role(db):
    def make(role: Role, **kwargs):
        if role == Role.SOURCE_UPLOADER:
            kwargs.setdefault("source_code", "police")
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def small_hierarchy(db):
    """A country with one department and two municipalities, enough for parent lookups."""
    country = AdminUnitFactory(level=Level.COUNTRY, code="GT", name="Guatemala", boundary=square(-92, 13, 4))
    department = AdminUnitFactory(
        level=Level.DEPARTMENT, code="01", name="Guatemala", parent=country, boundary=square(-91, 14, 1)
    )
    mixco = AdminUnitFactory(
        level=Level.MUNICIPALITY, code="0108", name="Mixco", parent=department, boundary=square(-90.7, 14.6, 0.1)
    )
    villa_nueva = AdminUnitFactory(
        level=Level.MUNICIPALITY, code="0115", name="Villa Nueva", parent=department, boundary=square(-90.6, 14.5, 0.1)
    )
    return {"country": country, "department": department, "mixco": mixco, "villa_nueva": villa_nueva}


@pytest.fixture
def celery_worker_process():
    """A real Celery worker process on the test broker (Redis database 15), using the test database."""
    worker = CeleryWorker()
    yield worker.start()
    worker.stop()
