import factory
from django.contrib.gis.geos import MultiPolygon, Polygon

from observatory.accounts.models import User
from observatory.accounts.roles import Role
from observatory.geography.folding import fold_place_name
from observatory.geography.models import AdminUnit, Level, PlaceName, Population, PopulationKind


def square(x: float, y: float, size: float = 0.1) -> MultiPolygon:
    return MultiPolygon(Polygon(((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))), srid=4326)


PASSWORD = "clave-segura-123"  # every factory user's


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@observatorio.example")
    role = Role.PUBLIC
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def staff_flags(user, create, extracted, **kwargs):
        user.is_staff = user.role in (Role.ANALYST, Role.ADMIN)
        user.is_superuser = user.role == Role.ADMIN
        if create:
            user.save()


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        skip_postgeneration_save = True

    level = Level.MUNICIPALITY
    code = factory.Sequence(lambda n: f"{n:04d}")
    name = factory.Sequence(lambda n: f"Municipio {n}")
    boundary = factory.Sequence(lambda n: square(-90 + (n % 50) * 0.2, 14 + (n // 50) * 0.2))

    @factory.post_generation
    def official_name(unit, create, extracted, **kwargs):
        if create:
            PlaceName.objects.get_or_create(
                unit=unit,
                folded=fold_place_name(unit.name),
                defaults={"name": unit.name, "kind": PlaceName.Kind.OFFICIAL, "level": unit.level},
            )


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    unit = factory.SubFactory(AdminUnitFactory)
    year = 2020
    population = 100_000
    kind = PopulationKind.PROJECTION
    source = "INE proyecciones"
