"""The page for a path the app does not know (Dash uses the module named not_found_404)."""

import dash
from dash.development.base_component import Component

from dashboard.messages import not_found
from dashboard.text import parse_lang

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/404", name="Not found", title="IMVO Monitor"
)


def layout(lang: str | None = None, **_: object) -> Component:
    """Return the 'page not found' card with a link back to the overview."""
    return not_found(lang=parse_lang(lang))
