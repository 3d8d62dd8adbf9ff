"""The public pages, read from the URL configuration: every pattern outside the API, the admin and the language
switch, with sample arguments for those that take some, that an anonymous reader gets as an HTML page. A page
added later is covered without touching this list; one whose pattern takes arguments needs a sample here (the
test says so), or to be named in NOT_PAGES with the reason."""

import re

import polib
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from lxml import html as lxml_html

from observatory.indicators.models import Vintage
from observatory.reconciliation.models import Victim
from tests.indicators.portal_data import publish_homicides

# Prefixes whose patterns are not pages a reader visits: the API (JSON, checked by its own tests), the admin
# (staff only), the language switch (a POST), Django's static and media files.
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/", "static/", "media/")
# Patterns that take arguments but answer with a file, not a page.
NOT_PAGES = {"open_data:file": "a file of a release, downloaded rather than read"}


def url_patterns(resolvers=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str, list[str]]]:
    """Every (route, name with its namespace, argument names) of the URL configuration."""
    found = []
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += url_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            found.append((route, f"{namespace}{entry.name or ''}", list(entry.pattern.regex.groupindex)))
    return found


def _path(route: str, arguments: dict) -> str:
    """A route ("victims/<int:victim_id>/") with its arguments in place."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(arguments[match.group(1)]), route)
    return "/" + path.lstrip("^").rstrip("$")


def public_pages(samples: dict[str, dict]) -> list[str]:
    """The paths of the pages an anonymous reader gets as HTML (status 200, not a redirect to the login).
    `samples` gives, by URL name, the arguments of a pattern that takes some; a missing sample fails."""
    client = Client()
    pages = []
    for route, name, arguments in url_patterns():
        if route.startswith(SKIPPED_PREFIXES) or name in NOT_PAGES:
            continue
        if arguments and name not in samples:
            raise AssertionError(f"The URL {name} ({route}) takes arguments: give it a sample in public_pages.")
        path = _path(route, samples.get(name, {}))
        response = client.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages.append(path)
    return pages


def published_country_pages(country: dict) -> list[str]:
    """The public pages of a published country (tests.indicators' fixture), with a vintage that failed after an
    import so that its reason shows (a queued one would reload the page), and sample arguments for the patterns
    that take some."""
    publish_homicides(country)
    Vintage.objects.create(
        kind=Vintage.Kind.INCREMENTAL,
        status=Vintage.Status.FAILED,
        reason_code=Vintage.Reason.IMPORT_RUN,
        reason_params={"run": 7},
    )
    samples = {
        "reconciliation:pair-detail": {"pair_id": 1},
        "reconciliation:victim-detail": {"victim_id": Victim.objects.first().pk},
        "reconciliation:run-status": {"run_id": 1},
        "ingestion:run-detail": {"run_id": 1},
        "indicators:event-edit": {"pk": 1},
        "indicators:event-delete": {"pk": 1},
        "dashboards:unit-ranking": {"level": "municipality"},
        "dashboards:unit": {"level": "municipality", "code": country["mixco"].code},
        "compstat:report-download": {"pk": 1},
    }
    return public_pages(samples)


def catalogue() -> polib.POFile:
    return polib.pofile(str(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")
# A text this long is searched for inside the page's texts; a shorter one must be a whole text to count, so that
# "Mapa" or "Total" inside a sentence of the other language is not taken for a leak.
_SEARCHED_INSIDE = 25
# A text with placeholders is looked for only when its own words are enough to tell it ("%(category)s en
# %(unit)s, %(month)s" would match any sentence with "en" and a comma).
_LETTERS_OF_A_PATTERN = 12


def _pattern(text: str) -> str:
    parts = _PLACEHOLDER.split(" ".join(text.split()))
    return ".+?".join(re.escape(part) for part in parts)


class ForeignText:
    """The catalogue's texts of one language, to find on a page of the other: the English msgids on a Spanish
    page (untranslated), the Spanish msgstrs on an English page (leaked). Entries the same in both are ignored."""

    def __init__(self, entries: list[tuple[str, str]], *, foreign_is_english: bool) -> None:
        texts = {english if foreign_is_english else spanish for english, spanish in entries if english != spanish}
        texts = {text for text in texts if "<" not in text and re.search(r"[A-Za-zÁÉÍÓÚáéíóúñÑ]{2}", text)}
        self.whole = {" ".join(text.split()) for text in texts if not _PLACEHOLDER.search(text)}
        self.patterns = [
            (
                text,
                re.compile(
                    _pattern(text) if len(_PLACEHOLDER.sub("", text)) >= _SEARCHED_INSIDE else f"^{_pattern(text)}$"
                ),
            )
            for text in texts
            if len(re.findall(r"[^\W\d_]", _PLACEHOLDER.sub("", text))) >= _LETTERS_OF_A_PATTERN
        ]

    @classmethod
    def of(cls, catalogue: polib.POFile, *, foreign_is_english: bool) -> "ForeignText":
        entries = []
        for entry in catalogue:
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            if entry.msgid_plural:
                entries += [
                    (entry.msgid, entry.msgstr_plural.get(0, "")),
                    (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
                ]
            else:
                entries.append((entry.msgid, entry.msgstr))
        return cls(
            [(english, spanish) for english, spanish in entries if english and spanish],
            foreign_is_english=foreign_is_english,
        )

    def found_in(self, texts: list[str]) -> list[str]:
        """The page's texts that hold a foreign text, each with the catalogue's text it holds."""
        found = []
        for text in texts:
            if text in self.whole:
                found.append(text)
                continue
            hit = next((source for source, pattern in self.patterns if pattern.search(text)), None)
            if hit is not None:
                found.append(f"{text!r} holds {hit!r}")
        return found


# What a reader reads besides the text of the elements: labels that screen readers speak or scripts show.
_READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
_NOT_READ = {"script", "style", "template", "head"}


def visible_texts(html: str) -> list[str]:
    """The texts of a page as a reader meets them: each element's own text, the title, the labels read aloud
    and those a script shows (data-label-*), whitespace folded. Text marked as of another language (a `lang`
    attribute: the language switch offers "English" on a Spanish page) is left out."""
    document = lxml_html.document_fromstring(html)
    page_language = document.get("lang", "")
    texts = [document.findtext(".//title") or ""]
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.xpath("ancestor-or-self::*[@lang][1]/@lang") != [page_language]:
            continue
        hidden = any(ancestor.tag in _NOT_READ for ancestor in element.iterancestors()) or element.tag in _NOT_READ
        if not hidden:
            texts += [element.text or "", element.tail or ""]
        elif element.tail and element.getparent() is not None and element.getparent().tag not in _NOT_READ:
            texts.append(element.tail)
        texts += [
            value for name, value in element.attrib.items() if name in _READ_ATTRIBUTES or name.startswith("data-label")
        ]
    return [folded for folded in (" ".join(text.split()) for text in texts) if folded]
