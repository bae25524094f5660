"""Projector mode for steering-group meetings: one KPI of a covenant per screen."""

import dash
from dash.development.base_component import Component

from dashboard.context import current_definitions, current_viewer, reader, shows_errors
from dashboard.messages import unknown_covenant
from dashboard.projector import projector_view
from dashboard.text import parse_lang
from warehouse import access


def title(slug: str | None = None) -> str:
    """Return the browser-tab title of a covenant's projector mode."""
    return f"{slug} · IMVO Monitor" if slug else "IMVO Monitor"


dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path_template="/projector/<slug>", name="Projector", title=title
)


@shows_errors
def layout(slug: str | None = None, kpi: str | None = None, lang: str | None = None,
           **_: object) -> Component:
    """Return one KPI of a covenant in large type; the first KPI when none or another is asked."""
    language, defs = parse_lang(lang), current_definitions()
    covenant = defs.covenants.get(slug or "")
    if covenant is None:
        return unknown_covenant(slug, lang=language)
    kpis = defs.covenant_kpis(covenant.slug)
    chosen = next((k for k in kpis if k.id == kpi), kpis[0])
    with reader() as conn:
        values = access.kpi_values(conn, current_viewer(), covenant=covenant.slug, kpi=chosen.id)
        states = access.progress(conn, current_viewer(), covenant=covenant.slug)
    return projector_view(values, states, covenant=covenant, kpis=kpis, kpi=chosen,
                          lang=language)
