import io

import pytest
from django.core.management import call_command

from observatory.geography.folding import fold_place_name, neighbourhood_keys
from observatory.geography.models import Level
from observatory.geography.selectors import colonias_named_in, gazetteer_match
from observatory.geography.services.boundaries import place_name_add
from tests.factories import AdminUnitFactory


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("COL. NUEVA SUYAPA", "Nueva Suyapa"),
        ("Colonia Nueva Suyapa", "Nueva Suyapa"),
        ("nueva  suyapa.", "Nueva Suyapa"),
        ("SAN JOSE DEL GOLFO", "San José del Golfo"),
        ("San José Del Golfo", "San José del Golfo"),
        ("Sn. José del Golfo", "San José del Golfo"),
        ("MUNICIPIO DE MIXCO", "Mixco"),
        ("Barrio El Centro", "El Centro"),
        ("Cd. Vieja", "Ciudad Vieja"),
    ],
)
def test_written_variants_fold_to_the_official_key(written, official):
    assert fold_place_name(written) == fold_place_name(official)


@pytest.mark.parametrize(
    ("one", "other"), [("Villa Nueva", "Nueva"), ("Ciudad Vieja", "Vieja"), ("Santa Tecla", "Tecla")]
)
def test_names_that_only_look_like_prefixes_are_kept_whole(one, other):
    assert fold_place_name(one) != fold_place_name(other)


def test_a_place_description_offers_the_words_after_each_neighbourhood_prefix_longest_first():
    assert neighbourhood_keys("Barranco de la Col. El Zapote, 3a calle") == [["zapote 3a calle", "zapote 3a", "zapote"]]
    assert neighbourhood_keys("Bo. de Jesús") == [["jesus"]]
    assert neighbourhood_keys("Lotificación Los Álamos") == [["alamos"]]
    assert neighbourhood_keys("9a. calle 22-92 zona 9, municipio de Mixco") == []  # a municipality is no colonia
    assert neighbourhood_keys("frente a la colonia") == []


@pytest.mark.django_db
def test_a_colonia_named_in_a_place_description_is_found_within_its_municipality(small_hierarchy):
    mixco = small_hierarchy["mixco"]
    milagro = AdminUnitFactory(level=Level.COLONIA, code="0108-001", name="El Milagro", parent=mixco)
    belen = AdminUnitFactory(level=Level.COLONIA, code="0108-002", name="Belén", parent=mixco)
    place_name_add(unit=belen, name="Belén Norte")
    found = colonias_named_in(
        places=[
            (mixco.pk, "Río Villalobos, altura de Col. de El Milagro"),
            (mixco.pk, "COLONIA BELEN NORTE, callejón 4"),  # an alias, its longest run of words
            (mixco.pk, "El Milagro, 3a. calle"),  # no word says a colonia follows
            (mixco.pk, "entre Col. El Milagro y Col. Belén"),  # two colonias: neither
            (mixco.pk, "Col. Las Brisas"),  # not in the gazetteer
            (small_hierarchy["villa_nueva"].pk, "Col. El Milagro"),  # another municipality's colonia
        ]
    )
    assert found == [milagro.pk, belen.pk, None, None, None, None]


@pytest.mark.django_db
def test_alias_matches_the_official_unit_accent_and_case_insensitively(small_hierarchy):
    santa_tecla = AdminUnitFactory(
        level=Level.MUNICIPALITY, code="0511", name="Santa Tecla", parent=small_hierarchy["department"]
    )
    place_name_add(unit=santa_tecla, name="Nueva San Salvador")

    for written in ("Nueva San Salvador", "NUEVA SAN SALVADOR", "nueva san salvador", "Santa Tecla", "SANTA TECLA."):
        assert gazetteer_match(name=written, level=Level.MUNICIPALITY).unit == santa_tecla, written
    assert not gazetteer_match(name="Nva. San Salvador", level=Level.MUNICIPALITY).matched  # not guessed


@pytest.mark.django_db
def test_colonia_matching_is_scoped_to_its_municipality(small_hierarchy):
    mixco, villa_nueva = small_hierarchy["mixco"], small_hierarchy["villa_nueva"]
    in_mixco = AdminUnitFactory(level=Level.COLONIA, code="0108-001", name="El Milagro", parent=mixco)
    in_villa_nueva = AdminUnitFactory(level=Level.COLONIA, code="0115-001", name="El Milagro", parent=villa_nueva)

    assert gazetteer_match(name="COL. EL MILAGRO", level=Level.COLONIA, within=mixco).unit == in_mixco
    assert gazetteer_match(name="el milagro", level=Level.COLONIA, within=villa_nueva).unit == in_villa_nueva
    assert gazetteer_match(name="El Milagro", level=Level.COLONIA, within=small_hierarchy["department"]).unit is None

    ambiguous = gazetteer_match(name="El Milagro", level=Level.COLONIA)
    assert not ambiguous.matched
    assert set(ambiguous.candidates) == {in_mixco, in_villa_nueva}
    assert "0108-001" in ambiguous.reason and "0115-001" in ambiguous.reason


@pytest.mark.django_db
def test_unknown_place_says_why(small_hierarchy):
    match = gazetteer_match(name="Colonia Inexistente", level=Level.COLONIA, within=small_hierarchy["mixco"])

    assert not match.matched
    assert match.reason == "no colonia named 'Colonia Inexistente' in Mixco"


@pytest.mark.django_db
def test_alias_file_import_reports_rows_it_cannot_use(small_hierarchy, tmp_path):
    path = tmp_path / "alias.csv"
    path.write_text("level,code,name\nmunicipality,0108,Mixco Ciudad\nmunicipality,9999,Nowhere\nbarrio,0108,X\n")
    output = io.StringIO()

    call_command("import_place_names", str(path), stdout=output)

    lines = output.getvalue().splitlines()
    assert "alias.csv row 3, field code: no municipality with code '9999'" in lines[0]
    assert "alias.csv row 4, field level: 'barrio' is not a level" in lines[1]
    assert lines[-1].endswith("created=1 unchanged=0 rejected=2")
    assert gazetteer_match(name="MIXCO CIUDAD", level=Level.MUNICIPALITY).unit == small_hierarchy["mixco"]
