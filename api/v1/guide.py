"""/api/v1/: a guide for people (quick start with curl, pandas and R, limits, keys, the rules behind the figures,
citing a vintage) and the list of endpoints for programs; the Swagger page in the site's language."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import set_query_parameters
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import renderers, routers
from rest_framework.response import Response

from observatory.indicators.selectors import vintage_or_latest

MONTHLY_CSV = "indicators/monthly/?unit=0108&category=homicide&format=csv"
VICTIMS_CSV = "open-data/victims/?year=2024&format=csv"


@dataclass(frozen=True)
class Example:
    """A runnable example of the quick start: the code, with {url} for the endpoint's address on this site."""

    tool: str
    path: str
    code: str

    def for_site(self, api_root: str) -> str:
        return self.code.format(url=f"{api_root}{self.path}")


EXAMPLES = (
    Example("curl", MONTHLY_CSV, 'curl -fsS -o homicides-mixco.csv "{url}"'),
    Example(
        "pandas",
        MONTHLY_CSV,
        'import pandas as pd\n\nfigures = pd.read_csv("{url}", na_values=["<5", "x"])\nprint(figures.head())',
    ),
    Example("R", MONTHLY_CSV, 'figures <- read.csv("{url}", na.strings = c("<5", "x"))\nhead(figures)'),
    Example("curl", VICTIMS_CSV, 'curl -fsS -o victims-2024.csv "{url}"'),
    Example("pandas", VICTIMS_CSV, 'import pandas as pd\n\nvictims = pd.read_csv("{url}")\nprint(victims.head())'),
    Example("R", VICTIMS_CSV, 'victims <- read.csv("{url}")\nhead(victims)'),
)

_PERIODS = {"s": _("a second"), "m": _("a minute"), "h": _("an hour"), "d": _("a day")}


def _rate(name: str) -> dict:
    """A throttle rate as the settings give it ("120/minute") in words: 120 requests a minute."""
    number, _slash, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][name].partition("/")
    return {"requests": int(number), "period": _PERIODS[period[0]]}


class GuideRenderer(renderers.TemplateHTMLRenderer):
    template_name = "api/guide.html"


class ApiGuideRootView(routers.APIRootView):
    """A browser (which asks for HTML) reads the guide; a program gets the endpoints' addresses as JSON."""

    renderer_classes = [renderers.JSONRenderer, GuideRenderer]

    def get(self, request, *args, **kwargs):
        endpoints = super().get(request, *args, **kwargs)
        if request.accepted_renderer.format != GuideRenderer.format:
            return endpoints
        api_root = request.build_absolute_uri(request.path)
        return Response(
            {
                "api_root": api_root,
                "endpoints": sorted(endpoints.data.items()),
                "examples": [
                    {"tool": example.tool, "path": example.path, "code": example.for_site(api_root)}
                    for example in EXAMPLES
                ],
                "monthly_url": f"{api_root}{MONTHLY_CSV}",
                "anonymous_rate": _rate("anonymous"),
                "api_key_rate": _rate("api_key"),
                "suppress_below": settings.INDICATORS_SUPPRESS_BELOW,
                "unstable_below": settings.INDICATORS_UNSTABLE_BELOW,
                "settling_days": settings.INDICATORS_SETTLING_DAYS,
                "grid_metres": settings.OPEN_DATA_GRID_METRES,
                "min_cases_per_cell": settings.OPEN_DATA_MIN_CASES_PER_CELL,
                "vintage": vintage_or_latest(None),
            }
        )


class SwaggerInSiteLanguageView(SpectacularSwaggerSplitView):
    """The Swagger page reads the schema in the site's language unless `?lang=` asks for another. The split view
    serves its start-up script as a file: the Content-Security-Policy runs no inline script."""

    def _get_schema_url(self, request):
        return set_query_parameters(super()._get_schema_url(request), lang=request.GET.get("lang") or get_language())
