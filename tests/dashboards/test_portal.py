"""The public portal's pages: the home page's headline figures and map, the methodology, numbers written as the
reader's language writes them, and the figures form's answers."""

import json
import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from observatory.reconciliation.models import LinkageRun
from tests.indicators.conftest import country, record, victim  # noqa: F401
from tests.indicators.portal_data import publish_homicides

pytestmark = pytest.mark.django_db


def _english(client) -> None:
    client.cookies["django_language"] = "en"


def _text(html: str) -> str:
    """What a reader sees: the page without its tags and scripts."""
    visible = re.sub(r"<script.*?</script>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", visible))


def test_the_home_page_gives_the_latest_complete_year_and_month_with_rate_interval_and_change(client, country):  # noqa: F811
    publish_homicides(country)

    spanish = _text(client.get("/").content.decode())
    _english(client)
    english = _text(client.get("/").content.decode())

    assert "Homicidios en Guatemala" in spanish and "Año 2024" in spanish and "Diciembre 2024" in spanish
    assert "40 homicidios" in spanish and "+43 % respecto a 2023 (28)" in spanish
    assert "+50 % respecto a diciembre 2023 (2)" in spanish
    assert re.search(r"intervalo del 95 %: de \d+,\d a \d+,\d", spanish)
    assert re.search(r"cobertura parcial: 7\d–\d\d % de la población", spanish)
    assert "Policía Nacional" in spanish and "hasta el 01/03/2025" in spanish
    assert "Homicides in Guatemala" in english and "Year 2024" in english and "December 2024" in english
    assert "40 homicides" in english and "+43% on 2023 (28)" in english
    assert re.search(r"95% interval: \d+\.\d to \d+\.\d", english)


def test_the_home_page_map_opens_on_the_latest_complete_year_and_lists_the_periods(client, country):  # noqa: F811
    vintage = publish_homicides(country)

    page = client.get("/").content.decode()
    chosen = client.get("/", {"period": "2024-06"}).content.decode()

    assert f'data-vintage="{vintage.pk}"' in page and 'data-period="2024"' in page
    assert 'data-url="/api/v1/indicators/map/"' in page
    assert '<option value="2024" selected>2024</option>' in page
    assert '<option value="2025-02">Febrero 2025 (provisional)</option>' in page
    assert 'data-period="2024-06"' in chosen
    assert 'id="hatch-unstable"' in page and "Rayado: tasa inestable, de menos de 20 homicidios" in page


def test_before_anything_is_published_the_home_page_says_so_and_never_asks_to_run_a_command(client, country):  # noqa: F811
    for path in ("/", "/indicators/", "/indicators/monitor/", "/methodology/"):
        page = client.get(path).content.decode()
        assert "manage.py" not in page and "compute_indicators" not in page, path
    assert "Todavía no se han publicado cifras." in client.get("/").content.decode()


def test_the_methodology_is_in_the_navigation_in_both_languages_with_this_site_s_settings(client, country):  # noqa: F811
    publish_homicides(country)

    spanish = _text(client.get(reverse("dashboards:methodology")).content.decode())
    _english(client)
    english = _text(client.get(reverse("dashboards:methodology")).content.decode())

    assert 'href="/methodology/"' in client.get("/").content.decode()
    assert "Cómo se elaboran las cifras" in spanish and "How the figures are made" in english
    assert "menos de 20 víctimas" in spanish and "fewer than 20 victims" in english
    assert "al menos 45 días" in spanish and "at least 45 days" in english
    assert "probabilidad de 0,95 o más" in spanish and "probability of 0.95 or more" in english
    assert "«&lt;5»" in spanish or "«<5»" in spanish
    assert "Last run on" in english and "victims were recorded by more than one source" in english
    assert "decisions also teach the model" in english and "Each decision updates both" in english
    assert "Garwood" in english and "Fisher-Jenks" in english and "BIC" in english


def test_numbers_are_grouped_as_the_reader_s_language_writes_them(client, country):  # noqa: F811
    record(source="police", on=date(2024, 1, 3), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.FULL)
    query = {"level": "municipality", "unit": "0108", "category": "homicide", "basis": "police"}

    spanish = _text(client.get("/indicators/", query).content.decode())
    _english(client)
    english = _text(client.get("/indicators/", query).content.decode())

    assert "126.500" in spanish and "126500" not in spanish
    assert "126,500" in english


def test_the_figures_form_says_what_is_wrong_in_the_reader_s_language(client, country):  # noqa: F811
    query = {"level": "municipality", "unit": "GT", "month_from": "marzo"}

    spanish = client.get("/indicators/", query).content.decode()
    _english(client)
    english = client.get("/indicators/", query).content.decode()

    assert "Unidad: «GT» no está entre las unidades del nivel Municipio: elija una de la lista." in spanish
    assert "Desde: Escriba el mes como 2024-03 (año-mes)." in spanish
    assert "Escoja una opción válida" not in spanish and "Todavía no se han publicado cifras." not in spanish
    assert "Unit: “GT” is not among the units of the level Municipality: choose one from the list." in english
    assert "From: Write the month as 2024-03 (year-month)." in english


def test_the_figures_form_carries_every_level_s_units_for_its_script(client, country):  # noqa: F811
    page = client.get("/indicators/").content.decode()

    units = json.loads(re.search(r'<script id="units-by-level" type="application/json">(.*?)</script>', page)[1])

    assert units["municipality"] == [["0108", "Mixco (0108)"], ["0503", "Palín (0503)"], ["0115", "Villa Nueva (0115)"]]
    assert units["country"] == [["GT", "Guatemala (GT)"]]
    assert "js/figures_form.js" in page


def test_the_methodology_dates_the_latest_linkage_run_that_has_a_finishing_time(client, country):  # noqa: F811
    finished = timezone.make_aware(datetime(2025, 3, 5, 10, 0))
    LinkageRun.objects.create(kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.DONE, finished_at=finished)
    LinkageRun.objects.create(kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.DONE)
    _english(client)

    english = _text(client.get(reverse("dashboards:methodology")).content.decode())

    assert "Last run on 05/03/2025:" in english
    assert "Last run on :" not in english
