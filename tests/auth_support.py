"""Accounts, signed-in test clients and a scanner for confidential data, for the auth tests.

The warehouse is the hand-worked input of tests/test_kpis.py: textile members A–E (A–D
submit), banks K1 and K2. What no role without company rights may see is written out here.
"""

import base64
import csv
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

from imvo.users import UserStore
from pipelines.ingest import ingest_paths
from tests.conftest import mat, site, write_csv_submission, write_tiny_inputs
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

PASSWORD = "correct horse battery"
# name: (role, covenant); the public has no account
ACCOUNTS = {
    "steering-textiel": ("steering", "textiel"), "steering-banken": ("steering", "banken"),
    "evaluator": ("evaluator", None), "commission-textiel": ("commission", "textiel"),
    "commission-banken": ("commission", "banken"), "admin": ("admin", None),
}
ROLES = ["public", *ACCOUNTS]

# Company rows: member names, the files they sent, member ids, links to member pages.
COMPANY_TEXT = {
    "textiel": [*(f"Company {m}" for m in "ABCDE"), "0_A.csv", "1_B.csv", "2_C.csv", "3_D.csv",
                "4_B.csv", "/member/textiel/"],
    "banken": ["Company K1", "Company K2", "K1.csv", "K2.csv", "/member/banken/"],
}
COMPANY_IDS = {"textiel": set("ABCDE"), "banken": {"K1", "K2"}}
# Suppressed values. Banks (2 members): assets covered 57.5 = 230 / 400, by size class K1 80.0
# and K2 50.0; policy share 50.0. Textile (dominance): certified 70 / 220 = 31.8, excessive
# hours 47 / 420 = 11.19. Bare numbers only where they are distinctive (targets of other
# covenants are 50 and 80 too); the others as shown, with one decimal and a percent sign.
SUPPRESSED_NUMBERS = {"banken": [57.5, 230.0, 400.0],
                      "textiel": [100 * 70 / 220, 100 * 47 / 420, 220.0, 420.0]}
SUPPRESSED_TEXT = {"banken": re.compile(r"(?<![\d.,])(57[.,]5|50[.,]0|80[.,]0)\s?%"),
                   "textiel": re.compile(r"(?<![\d.,])(31[.,]8|11[.,]2)\s?%")}


def tiny_warehouse(folder: Path, defs, *, hostile: bool = False) -> Path:
    """Ingest the hand-worked input (and the hostile member's) into a warehouse, compute it."""
    path = folder / "imvo.duckdb"
    write = write_hostile_inputs if hostile else write_tiny_inputs
    with connect_writer(path, defs.catalogue) as conn:
        ingest_paths(conn, write(folder / "in"), defs, archive_dir=folder / "archive")
        compute_kpis(conn, defs)
    return path


EVIL_ID = "x](https://evil.example/)[<img src=x onerror=alert(1)>"
EVIL_NAME = "<script>alert('name')</script>"
EVIL_VALUE = "<script>alert(2)</script>"
EVIL_MATERIAL = '<a href="https://evil.example">cotton</a>'


def write_hostile_inputs(folder):
    """Write the tiny input plus the hostile member's register row and file; return paths."""
    paths = write_tiny_inputs(folder)
    with (folder / "members.csv").open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["textiel", EVIL_ID, EVIL_NAME, "large", "2016-07-04"])
    paths.append(write_csv_submission(
        folder / "evil.csv", "textiel", 2018, EVIL_ID,
        answers={"msi_member": "ja", "dd_report_published": "ja", "market_share_pct": "1"},
        sites=[site("S1", "BD", EVIL_VALUE, 1, "ja", 1, 0, 0, "ja"),
               site("S2", "BD", 10, 1, "ja", 1, 0, 0, "ja")],
        materials=[mat(EVIL_MATERIAL, 5, 1)]))
    return paths


_MADE: list[Path] = []


def add_accounts(users_path: Path) -> UserStore:
    """Write a user store with one account per role that signs in, all with PASSWORD.

    The accounts are made once per test run and copied: hashing is slow on purpose.
    """
    if not _MADE:
        first = Path(tempfile.mkdtemp(prefix="imvo-accounts-")) / "users.sqlite"
        made = UserStore(first)
        for name, (role, covenant) in ACCOUNTS.items():
            made.add(name, PASSWORD, role, covenant)
        made.close()
        _MADE.append(first)
    users_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_MADE[0], users_path)
    return UserStore(users_path)


def csrf_token(page: bytes | str) -> str:
    """Return the CSRF token of the first form in a page."""
    text = page.decode() if isinstance(page, bytes) else page
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def sign_in(client, name: str, password: str = PASSWORD, next_path: str = "/", *,
            address: str = "127.0.0.1", lang: str = "en"):
    """Sign a test client in through the sign-in form, from an address; return the response."""
    origin = {"REMOTE_ADDR": address}
    token = csrf_token(client.get(f"/auth/sign-in?lang={lang}", environ_base=origin).data)
    return client.post(f"/auth/sign-in?lang={lang}", environ_base=origin, data={
        "csrf_token": token, "username": name, "password": password, "next": next_path})


def props_of(node):
    """Yield every component's properties in a Dash answer."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from props_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from props_of(item)


HEADER_REQUEST = {
    "output": "shell-header.children", "outputs": {"id": "shell-header", "property": "children"},
    "inputs": [{"id": "shell-url", "property": "pathname", "value": "/"},
               {"id": "shell-url", "property": "search", "value": "?lang=en"}],
    "changedPropIds": ["shell-url.pathname"], "state": []}


def header_props(client) -> list[dict]:
    """Return every component's properties in the page header the client is shown."""
    answer = client.post("/_dash-update-component", json=HEADER_REQUEST)
    return list(props_of(json.loads(answer.get_data(as_text=True))))


def header_texts(client) -> str:
    """Return the header's texts, one per line."""
    return "\n".join(p["children"] for p in header_props(client)
                     if isinstance(p.get("children"), str))


def signed_in_name(client) -> str | None:
    """Return the name the header says the client is signed in as, or None for the public."""
    found = re.search(r"^Signed in as (\S+) \(", header_texts(client), re.MULTILINE)
    return found.group(1) if found else None


def client_as(app, role: str):
    """Return a test client signed in as the account of a role (the public: not signed in)."""
    client = app.server.test_client()
    if role != "public":
        assert sign_in(client, role).status_code == 302
    client.get("/")  # the first request registers the pages' router callback
    return client


def _download_atoms(download: dict) -> list:
    content = base64.b64decode(download["content"])
    if download["filename"].endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return [cell for sheet in book for row in sheet.iter_rows(values_only=True)
                for cell in row if cell is not None]
    atoms: list = []
    for line in content.decode("utf-8-sig").splitlines():
        for cell in line.split(","):
            cell = cell.strip('"')
            try:
                atoms.append(float(cell))
            except ValueError:
                atoms.append(cell)
    return atoms


def atoms(node) -> list:
    """Return every string and number in a JSON answer, downloads decoded into their cells."""
    if isinstance(node, dict):
        if {"content", "filename", "base64"} <= set(node) and node.get("base64"):
            return _download_atoms(node)
        found = []
        for key, value in node.items():
            if key in ("type", "namespace") and "namespace" in node:
                continue  # a component's kind (html.A is "A"), not data
            if key == "member_id" and value is not None:
                found.append(("member_id", value))
            found += atoms(value)
        return found
    if isinstance(node, list):
        return [atom for item in node for atom in atoms(item)]
    return [node] if isinstance(node, str | int | float) else []


def leaks(answer, covenant: str, *, sent: str = "\0") -> list[str]:
    """Return the company rows and suppressed values of a covenant found in an answer.

    A link that starts with `sent` (the page path the request named) echoes the request, as
    the language switch does, and is skipped.
    """
    found = []
    for atom in atoms(answer):
        if isinstance(atom, str) and len(sent) > 1 and atom.startswith(sent):
            continue
        if isinstance(atom, tuple):
            value = str(atom[1])
            if value in COMPANY_IDS[covenant] or f"/member/{covenant}/" in value:
                found.append(f"member_id {value!r}")
        elif isinstance(atom, str):
            found += [f"text {t!r} in {atom[:80]!r}" for t in COMPANY_TEXT[covenant] if t in atom]
            if atom in COMPANY_IDS[covenant]:
                found.append(f"member id {atom!r}")
            if SUPPRESSED_TEXT[covenant].search(atom):
                found.append(f"suppressed value in {atom[:80]!r}")
        elif isinstance(atom, float) and any(abs(atom - n) < 1e-9 for n in
                                             SUPPRESSED_NUMBERS[covenant]):
            found.append(f"suppressed value {atom}")
    return found


def answer_of(response):
    """Return a callback response's JSON (None for 204 No Content or a non-JSON error)."""
    try:
        return json.loads(response.get_data(as_text=True))
    except ValueError:
        return response.get_data(as_text=True)


def upload_content(path: Path) -> str:
    """Return a file as the data URL that dcc.Upload sends."""
    return "data:text/csv;base64," + base64.b64encode(path.read_bytes()).decode()
