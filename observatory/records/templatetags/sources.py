"""Sources named for the reader in the pages: `{{ victim.sources|source_names }}` gives "Police, Coroner", and
`{{ "coroner+police"|source_names:" + " }}` (an overlap pattern) "Coroner + Police"; a source the observatory does
not ship keeps its code."""

from django import template

from ..terms import SHIPPED_SOURCE_SHORT_NAMES

register = template.Library()


@register.filter
def source_names(sources, separator: str = ", ") -> str:
    codes = sources.split("+") if isinstance(sources, str) else list(sources or [])
    return separator.join(str(SHIPPED_SOURCE_SHORT_NAMES.get(code, code)) for code in codes)
