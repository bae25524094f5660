"""Dash callback requests checked before a callback runs: 400 or 404 and one line, never a 500.

A request must name a registered callback, send its outputs, inputs and state as that callback
declares them (same ids and properties, a list where a pattern matches several components),
and give every value the type the callback's signature names, checked strictly by pydantic
(`int | None` takes neither "2018" nor [2018]). Dash's own callbacks, which carry no types,
are checked by the property: a URL's pathname and search are text. Every `search` also passes
the query rules of dashboard.checks.
"""

import inspect
import json
import typing
from functools import cache
from typing import Annotated, Any
from urllib.parse import parse_qs

import dash
from flask import Response, request
from pydantic import AfterValidator, StringConstraints, TypeAdapter, ValidationError

from dashboard.cache import DASH_UPDATE
from dashboard.checks import (
    BadRequest,
    check_query,
    known_covenant,
    known_kpi,
    refusal,
    request_lang,
    shown,
)

PROPERTY_TYPES: dict[str, Any] = {"pathname": str | None, "search": str | None,
                                  "n_clicks": int | None, "n_intervals": int | None}


# Store values that must name a covenant or KPI the definitions hold (else a 404).
KnownCovenant = Annotated[str, StringConstraints(min_length=1), AfterValidator(known_covenant)]
KnownKpi = Annotated[str, StringConstraints(min_length=1), AfterValidator(known_kpi)]


def _bad(where: str) -> BadRequest:
    return BadRequest(400, "callback", where=shown(where))


def _parameter_types(callback: Any) -> list[Any]:
    """Return the declared types of a callback's positional parameters (None where none)."""
    function = inspect.unwrap(callback)
    hints = typing.get_type_hints(function, include_extras=True)
    return [hints.get(p.name) for p in inspect.signature(function).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _ids_match(sent: Any, declared: str) -> bool:
    """Return whether a sent component id fits a declared one (a pattern's wildcards fit any)."""
    if not declared.startswith("{"):
        return bool(sent == declared)
    pattern = json.loads(declared)
    return (isinstance(sent, dict) and set(sent) == set(pattern)
            and all(isinstance(v, list) or sent[k] == v for k, v in pattern.items()))


def _items(sent: Any, declared: dict[str, str]) -> list[dict[str, Any]]:
    """Return the sent items of one declared input, or raise when they do not fit it."""
    several = declared["id"].startswith("{") and "[" in declared["id"]
    items = sent if several and isinstance(sent, list) else [sent]
    for item in items:
        # An output that several callbacks share is declared as 'property@hash'.
        if not (isinstance(item, dict) and isinstance(item.get("property"), str)
                and item["property"].split("@")[0] == declared["property"].split("@")[0]
                and _ids_match(item.get("id"), declared["id"])):
            raise _bad(f"{declared['id']}.{declared['property']}")
    return items


def _check_value(value: Any, kind: Any, where: dict[str, str], several: bool) -> None:
    prop = where["property"]
    try:
        _adapter(kind).validate_python(value, strict=True)
    except ValidationError as exc:
        raise _bad(f"{where['id']}.{prop}") from exc
    if prop == "search" and isinstance(value, str) and not several:
        check_query(parse_qs(value.lstrip("?"), keep_blank_values=True))


def _check_inputs(body: dict[str, Any], spec: dict[str, Any]) -> None:
    declared = [*spec["inputs"], *spec["state"]]
    sent = [*body["inputs"], *body.get("state", [])]
    if len(sent) != len(declared):
        raise _bad("inputs")
    types = _parameter_types(spec["callback"])
    for index, (item, expected) in enumerate(zip(sent, declared, strict=True)):
        several = isinstance(item, list)
        values = [i.get("value") for i in _items(item, expected)]
        prop = expected["property"]
        declared_type = types[index] if index < len(types) else None
        kind = PROPERTY_TYPES.get(prop, Any) if declared_type is None else declared_type
        _check_value(values if several else values[0], kind, expected, several)


def _check_outputs(body: dict[str, Any], spec: dict[str, Any]) -> None:
    declared = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    sent = body.get("outputs")
    sent = sent if isinstance(sent, list) and len(declared) > 1 else [sent]
    if spec.get("no_output"):
        return
    if len(sent) != len(declared):
        raise _bad("outputs")
    for item, output in zip(sent, declared, strict=True):
        wanted = {"id": json.dumps(output.component_id, sort_keys=True, separators=(",", ":"))
                  if isinstance(output.component_id, dict) else output.component_id,
                  "property": output.component_property}
        _items(item, wanted)


def check_callback_body(app: dash.Dash, body: Any) -> None:
    """Raise BadRequest when a callback request does not fit a registered server callback."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise _bad("output")
    spec = app.callback_map.get(body["output"])
    if spec is None or "callback" not in spec:
        raise BadRequest(404, "no_callback")
    if not isinstance(body.get("inputs"), list) or not isinstance(body.get("state", []), list):
        raise _bad("inputs")
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        raise _bad("changedPropIds")
    _check_outputs(body, spec)
    _check_inputs(body, spec)


def install_callback_checks(app: dash.Dash) -> None:
    """Refuse malformed Dash callback requests with a 400 or 404 before any callback runs."""

    def check() -> Response | None:
        if request.path != DASH_UPDATE or request.method != "POST":
            return None
        try:
            check_callback_body(app, request.get_json(silent=True))
        except BadRequest as problem:
            return refusal(problem, request_lang())
        return None

    app.server.before_request(check)
