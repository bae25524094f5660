"""Meeting-pack jobs are private and bounded: a 0700 folder of the service user, plain values in
SQLite (nothing that runs code when read), a job answers only its owner, at most N running jobs
per owner and M in all with a "busy" answer on the covenant page, and no pack outlives its fetch
or a short wait."""

import json
import os
import sqlite3
import stat
import time

import pytest

from dashboard.app import create_app
from dashboard.report.control import IDS
from dashboard.report.jobs import owner_of
from dashboard.report.jobstore import (
    JobsBusy,
    JobSettings,
    JobState,
    add_job,
    job_state,
    private_folder,
    take_file,
    update_job,
)
from imvo.errors import ImvoError
from tests.auth_support import ACCOUNTS, ROLES, add_accounts, client_as, tiny_warehouse
from tests.dashboard_support import reset_dash
from warehouse.access import PUBLIC, Viewer

BUSY = {
    "busy_you": {"en": "You already have as many meeting packs in the making as allowed. Hint: "
                       "wait until one is ready, then try again.",
                 "nl": "U laat al het hoogste aantal vergaderstukken tegelijk maken. Tip: wacht "
                       "tot er een klaar is en probeer het dan opnieuw."},
    "busy_all": {"en": "Too many meeting packs are being made right now. Hint: try again in a "
                       "minute.",
                 "nl": "Er worden nu te veel vergaderstukken gemaakt. Tip: probeer het over een "
                       "minuut opnieuw."},
}
MAKE = '..{"part":"job","type":"covenant-pack"}.data...{"part":"status","type":"covenant-pack"}'


def test_the_job_folder_is_private_and_holds_only_plain_values(tmp_path):
    jobs = JobSettings(tmp_path / "data" / "jobs")
    add_job(jobs, "j1", "admin::account admin", "Queued")
    update_job(jobs, "j1", JobState("admin::account admin", "done", file_name="pack.pdf"),
               b"%PDF-1.4 confidential")
    assert stat.S_IMODE(os.stat(jobs.folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(jobs.folder / "jobs.sqlite").st_mode) == 0o600
    assert "imvo-packs" not in str(jobs.folder) and str(jobs.folder).startswith(str(tmp_path))
    with sqlite3.connect(jobs.folder / "jobs.sqlite") as conn:
        kinds = conn.execute("SELECT typeof(id), typeof(owner), typeof(status), typeof(done), "
                             "typeof(message), typeof(content) FROM jobs").fetchall()
    assert kinds == [("text", "text", "text", "integer", "text", "blob")]


def test_a_loosened_folder_is_closed_again_and_someone_elses_is_refused(tmp_path):
    folder = tmp_path / "jobs"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    private_folder(folder)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    if os.geteuid() != 0:
        pytest.skip("handing a folder to another user needs root")
    other = tmp_path / "planted"
    other.mkdir()
    os.chown(other, 65534, 65534)  # made first by another local user
    with pytest.raises(ImvoError) as refused:
        add_job(JobSettings(other), "j1", "public::visitor x", "Queued")
    assert str(refused.value) == (f"the job folder {other} is not a folder of this user\n"
                                  "Hint: remove it, or set IMVO_JOBS_DIR to a folder of the "
                                  "service user")
    assert not (other / "jobs.sqlite").exists()


def test_a_job_answers_only_its_owner_and_hands_its_file_out_once(tmp_path):
    jobs = JobSettings(tmp_path / "jobs")
    mila = owner_of(Viewer("commission", "textiel"), "mila", "10.0.0.1")
    other = owner_of(Viewer("commission", "textiel"), "noor", "10.0.0.1")
    add_job(jobs, "j1", mila, "Queued")
    update_job(jobs, "j1", JobState(mila, "done", 1, 1, "Ready", "pack.pdf"), b"%PDF-1.4 A B")
    assert job_state(jobs, "j1", other) is None  # same role and covenant, another account
    assert take_file(jobs, "j1", other) is None
    assert job_state(jobs, "j1", mila) == JobState(mila, "done", 1, 1, "Ready", "pack.pdf")
    assert take_file(jobs, "j1", mila) == ("pack.pdf", b"%PDF-1.4 A B")
    assert take_file(jobs, "j1", mila) is None
    assert job_state(jobs, "j1", mila) is None
    stored = b"".join(p.read_bytes() for p in jobs.folder.iterdir())
    assert b"%PDF-1.4 A B" not in stored  # overwritten, not only unlinked from the table


def test_jobs_are_bounded_per_owner_and_in_all(tmp_path):
    jobs = JobSettings(tmp_path / "jobs", per_owner=2, in_all=3)
    add_job(jobs, "a1", "ann", "Queued")
    add_job(jobs, "a2", "ann", "Queued")
    with pytest.raises(JobsBusy) as mine:
        add_job(jobs, "a3", "ann", "Queued")
    assert mine.value.mine is True
    add_job(jobs, "b1", "bob", "Queued")
    with pytest.raises(JobsBusy) as everyone:
        add_job(jobs, "c1", "cas", "Queued")
    assert everyone.value.mine is False
    update_job(jobs, "a1", JobState("ann", "done", file_name="x.pdf"), b"x")  # no longer running
    add_job(jobs, "c1", "cas", "Queued")
    assert job_state(jobs, "a3", "ann") is None and job_state(jobs, "c1", "cas").status == "queued"


def test_an_unfetched_or_stalled_job_is_forgotten_after_a_short_time(tmp_path):
    jobs = JobSettings(tmp_path / "jobs", per_owner=1, keep_seconds=0.5)
    add_job(jobs, "j1", "ann", "Queued")
    update_job(jobs, "j1", JobState("ann", "done", file_name="x.pdf"), b"%PDF")
    add_job(jobs, "j2", "bob", "Queued")  # never moves on, as when its process was killed
    time.sleep(0.7)
    assert job_state(jobs, "j1", "ann") is None and take_file(jobs, "j1", "ann") is None
    add_job(jobs, "j3", "bob", "Queued")  # the stalled job no longer counts
    # A forgotten job's process stops at its next step instead of writing a file nobody fetches.
    assert update_job(jobs, "j2", JobState("bob", "running")) is False


@pytest.fixture(scope="module")
def busy_app(tmp_path_factory, defs):
    folder = tmp_path_factory.mktemp("busy")
    warehouse = tiny_warehouse(folder, defs)
    add_accounts(folder / "users.sqlite")
    reset_dash()
    jobs = JobSettings(folder / "private", per_owner=1, in_all=1)
    yield create_app(warehouse, jobs=jobs), jobs
    reset_dash()


def _make(client, app, lang: str):
    key = next(k for k in app.callback_map if k.startswith(MAKE))
    ids = {part: {"part": part, "type": "covenant-pack"} for part in
           ("job", "status", "make", "year", "format", "request")}
    body = {"output": key,
            "outputs": [{"id": ids["job"], "property": "data"},
                        {"id": ids["status"], "property": "children"}],
            "inputs": [{"id": ids["make"], "property": "n_clicks", "value": 1}],
            "state": [{"id": ids["year"], "property": "value", "value": 2018},
                      {"id": ids["format"], "property": "value", "value": "pdf"},
                      {"id": ids["request"], "property": "data",
                       "value": {"covenant": "textiel", "lang": lang}}],
            "changedPropIds": [json.dumps(ids["make"], separators=(",", ":")) + ".n_clicks"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data
    return response.get_json()["response"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_pack_form_says_busy_and_starts_nothing_at_the_limits(busy_app, role, lang):
    app, jobs = busy_app
    client = client_as(app, role)
    name = None if role == "public" else role
    viewer = PUBLIC if role == "public" else Viewer(*ACCOUNTS[role])
    owner = owner_of(viewer, name, "127.0.0.1")  # the test client's address
    add_job(jobs, f"{role}-{lang}", owner, "Queued")
    status, job = (json.dumps(IDS[p], sort_keys=True, separators=(",", ":"))
                   for p in ("status", "job"))
    answer = _make(client, app, lang)
    assert answer[status]["children"] == BUSY["busy_you"][lang]
    assert job not in answer  # no job started
    update_job(jobs, f"{role}-{lang}", JobState(owner, "done"), b"")
    add_job(jobs, f"other-{role}-{lang}", "someone else", "Queued")  # the service is full
    answer = _make(client, app, lang)
    assert answer[status]["children"] == BUSY["busy_all"][lang]
    assert job not in answer
    update_job(jobs, f"other-{role}-{lang}", JobState("someone else", "failed"))
