"""Every Dash callback, forged over HTTP with hostile inputs, for every role.

Dash callbacks answer any POST to /_dash-update-component with whatever inputs it names. Here a
client signed in as each role (and the public, not signed in) calls every registered callback
with inputs aimed at both covenants of the hand-worked input: every page through the router
(also /member/..., /quality, /kpi/... of the other covenant), every export of every registered
table in both formats on every such page, the year pickers, the meeting pack, the upload. Every
answer is searched for the company rows and the suppressed values of each covenant the role
may not see (tests/auth_support.py lists them). Roles that may see them must find them in the
same answers: that proves the forged requests reach the data.
"""

import json
from itertools import product

import dash
import pytest
from dash import Output

from dashboard.app import create_app
from dashboard.exports import TABLES
from dashboard.report.jobs import owner_of
from dashboard.report.jobstore import JobSettings, JobState, add_job, take_file, update_job
from tests.auth_support import (
    ACCOUNTS,
    ROLES,
    add_accounts,
    answer_of,
    client_as,
    leaks,
    tiny_warehouse,
    upload_content,
)
from tests.dashboard_support import reset_dash
from warehouse.access import Viewer

TARGETS = {"textiel": {"kpis": ["certified_share", "excessive_hours_share"], "member": "A"},
           "banken": {"kpis": ["assets_covered_share", "policy_share"], "member": "K1"}}
SEES = {"admin": {"textiel", "banken"}, "commission-textiel": {"textiel"},
        "commission-banken": {"banken"}}
SECRET_JOB = "f" * 32
UPLOADS: dict = {}  # covenant: a file of it already loaded, sent again as an upload


@pytest.fixture(scope="module")
def forged(tmp_path_factory, defs):
    folder = tmp_path_factory.mktemp("forged")
    warehouse = tiny_warehouse(folder, defs)
    add_accounts(folder / "users.sqlite")
    reset_dash()
    app = create_app(warehouse)
    yield app, folder
    reset_dash()


def _id(text: str):
    return json.loads(text) if text.startswith("{") else text


def _key(ident) -> str:
    return ident if isinstance(ident, str) else json.dumps(ident, sort_keys=True,
                                                           separators=(",", ":"))


def hostile_paths(covenant: str) -> list[str]:
    """Return every registered page's path filled in for a covenant, its KPIs and a member."""
    target, paths = TARGETS[covenant], []
    for kpi in target["kpis"]:
        fill = {"slug": covenant, "covenant": covenant, "kpi": kpi, "member_id": target["member"]}
        for page in dash.page_registry.values():
            template = page.get("path_template") or page["path"]
            for name, value in fill.items():
                template = template.replace(f"<{name}>", value)
            assert "<" not in template, f"no hostile value for a variable of {template}"
            paths.append(template)
    return list(dict.fromkeys(paths))


def _values(prop: str, ident, covenant: str, kpi: str, path: str, flavour: int):
    """Return a hostile value for an input property; flavours vary values whose kind differs.

    Values of the wrong type are refused before any callback runs (tests/test_security_requests.py);
    these have the types the callbacks declare, so each reaches its callback.
    """
    data = {"covenant": covenant, "slug": covenant, "kpi": kpi, "lang": "en", "year": 2018,
            "member_id": TARGETS[covenant]["member"]}
    named = json.dumps(ident)
    return {
        "pathname": path, "n_clicks": 1, "n_intervals": 1,
        "value": ("pdf", "pptx", "pdf")[flavour] if "format" in named
        else (2018, None, kpi)[flavour],
        # a Store holds a dict, a language or a job id
        "data": SECRET_JOB if "job" in named else ("en", data, "nl")[flavour] if "lang" in named
        else data,
        "search": f"?lang=en&year=2018&covenant={covenant}&kpi={kpi}&axis=covenant",
        "contents": [upload_content(UPLOADS[covenant])], "filename": ["forged.csv"],
    }.get(prop, covenant)


def _item(spec: dict, values) -> dict | list:
    ident = _id(spec["id"])
    if isinstance(ident, dict) and any(v == ["ALL"] for v in ident.values()):
        return []  # pattern inputs are filled in by the export requests below
    return {"id": ident, "property": spec["property"], "value": values(spec["property"], ident)}


def bodies(spec: dict, covenant: str) -> list[dict]:
    """Return the hostile requests for one callback, aimed at one covenant."""
    outputs = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    shaped = [{"id": _id(_key(o.component_id)), "property": o.component_property}
              for o in outputs]
    found = {}
    for kpi, path, flavour in product(TARGETS[covenant]["kpis"], hostile_paths(covenant),
                                      range(3)):

        def values(prop, ident, kpi=kpi, path=path, flavour=flavour):
            return _values(prop, ident, covenant, kpi, path, flavour)

        inputs = [_item(i, values) for i in spec["inputs"]]
        body = {"output": None, "outputs": shaped if len(shaped) > 1 else shaped[0],
                "inputs": inputs, "state": [_item(s, values) for s in spec["state"]],
                "changedPropIds": [f"{_key(_id(spec['inputs'][0]['id']))}."
                                   f"{spec['inputs'][0]['property']}"]}
        found[json.dumps(body, sort_keys=True)] = body
    return list(found.values())


def export_bodies(covenant: str) -> list[dict]:
    """Return a download of every registered table in both formats, from the pages that name
    the covenant (the path and query are all an export reads)."""
    found = []
    paths = [p for p in hostile_paths(covenant) if covenant in p] + ["/quality"]
    company = [p for p in paths if p.startswith(("/kpi/", "/member/"))]
    # Every table in both formats; the format only changes how the same frame is written.
    for table, fmt, path in [*product(TABLES, ["csv"], paths),
                             *product(TABLES, ["xlsx"], company)]:
        ident = {"type": "export", "table": table, "format": fmt}
        found.append({
            "outputs": {"id": "shell-download", "property": "data"},
            "inputs": [[{"id": ident, "property": "n_clicks", "value": 1}]],
            "state": [{"id": "shell-url", "property": "pathname", "value": path},
                      {"id": "shell-url", "property": "search",
                       "value": f"?lang=en&year=2018&covenant={covenant}"}],
            "changedPropIds": [f"{_key(ident)}.n_clicks"]})
    return found


def _sent_path(body: dict) -> str:
    """Return the page path a forged request names, which a link may echo."""
    for item in [*body["inputs"], *body["state"]]:
        if isinstance(item, dict) and item["property"] == "pathname":
            return item["value"]
    return "\0"


def server_callbacks(app) -> dict:
    """Return the callbacks that run on the server (clientside ones run in the browser)."""
    return {key: spec for key, spec in app.callback_map.items() if "callback" in spec}


@pytest.mark.parametrize("role", ROLES)
def test_no_forged_callback_reveals_what_the_role_may_not_see(forged, role, monkeypatch):
    app, folder = forged
    UPLOADS.update({"textiel": folder / "in" / "2_C.csv", "banken": folder / "in" / "K1.csv"})
    packs = []
    monkeypatch.setattr("dashboard.report.control.start_job",
                        lambda request, jobs: packs.append(request) or "0" * 32)
    # A finished confidential pack of another owner: its id must not fetch it.
    jobs, admin = JobSettings(folder / "jobs"), owner_of(Viewer("admin"), "admin", None)
    take_file(jobs, SECRET_JOB, admin)  # left by the role before
    add_job(jobs, SECRET_JOB, admin, "")
    update_job(jobs, SECRET_JOB, JobState(admin, "done", file_name="x.pdf"), b"%PDF secret")
    client = client_as(app, role)
    found, seen, answered = [], set(), {}
    for key, spec in server_callbacks(app).items():
        answered.setdefault(key, 0)
        for covenant in TARGETS:
            requests = export_bodies(covenant) if key == "shell-download.data" else [
                {**body, "output": key} for body in bodies(spec, covenant)]
            for body in requests:
                body["output"] = key
                response = client.post("/_dash-update-component", json=body)
                answered[key] += response.status_code in (200, 204)
                for other in TARGETS:
                    hits = leaks(answer_of(response), other, sent=_sent_path(body))
                    if other in SEES.get(role, set()):
                        seen.add(other) if hits else None
                    elif hits:
                        found.append((key, json.dumps(body)[:300], hits[:3]))
    assert found == []
    assert seen == SEES.get(role, set())
    assert all(answered.values()), [k for k, n in answered.items() if not n]
    expected = Viewer(*ACCOUNTS.get(role, ("public", None)))
    assert packs and {request.viewer for request in packs} == {expected}


def test_every_callback_and_page_is_forged(forged):
    app, _ = forged
    app.server.test_client().get("/")
    keys = set(app.callback_map)
    assert "shell-download.data" in keys
    assert any("_pages_content" in key for key in keys)
    assert any("upload-results" in key for key in keys)
    assert {"/member/banken/K1", "/quality", "/kpi/banken/assets_covered_share",
            "/upload", "/audit"} <= set(hostile_paths("banken"))
    assert set(TABLES) >= {"kpi-companies", "quarantine", "member-submissions"}
    assert all(isinstance(s["output"], Output | list) for s in app.callback_map.values())
