from django import template

register = template.Library()


@register.filter
def row_as_sent(raw_row) -> list[tuple[str, str]]:
    """A rejected row as (column, value) pairs: a read row by its columns' names, a malformed line by position."""
    if isinstance(raw_row, dict):
        return sorted(raw_row.items())
    return [(str(position), value) for position, value in enumerate(raw_row or [], start=1)]
