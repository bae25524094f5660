"""The admin commands print what users supplied literally: rich markup in a name stays text, and
terminal escape codes in names, paths and details are shown escaped (\\x1b), never sent."""

import os
import subprocess
import sys

import pytest

from imvo.terminal import escaped
from imvo.users import UserStore

MARKUP = "[/oops]"
CLEAR = "\x1b[2J\x1b]0;owned\x07"  # clears the screen, retitles the window, rings the bell
BIDI = "adm\u202eni"  # a right-to-left override shows 'admin' reversed


def imvo(data_dir, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "IMVO_DATA_DIR": str(data_dir), "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "imvo", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def raw_controls(text: str) -> set[str]:
    """Return the control characters in text other than line ends (rich sends no colour to a
    pipe, so any other would have come from the data)."""
    return {c for c in text if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) < 0xa0
            or c == "\u202e"}


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b[31mred", "\\x1b[31mred"), ("a\nb\tc\r", "a\\nb\\tc\\r"),
    ("\x07\x00\x7f\x9b", "\\x07\\x00\\x7f\\x9b"),
    (BIDI, "adm\\u202eni"), ("[bold]ok[/bold] é €", "[bold]ok[/bold] é €"),
])
def test_control_characters_are_written_as_escapes(text, shown):
    assert escaped(text) == shown


def test_the_audit_log_prints_names_and_details_literally(tmp_path):
    store = UserStore(tmp_path / "users.sqlite")
    store.record("sign_in_failed", username=MARKUP, address="10.0.0.1", detail="[red]x[/red]")
    store.record("sign_in_failed", username=f"ann{CLEAR}", address=BIDI,
                 detail=f"report {CLEAR}\nforged line")
    store.close()
    done = imvo(tmp_path, "users", "audit")
    assert done.returncode == 0, done.stderr
    assert MARKUP in done.stdout and "[red]x[/red]" in done.stdout
    assert "ann\\x1b[2J\\x1b]0;owned\\x07" in done.stdout
    assert "report \\x1b[2J\\x1b]0;owned\\x07\\nforged line" in done.stdout
    assert "adm\\u202eni" in done.stdout
    assert raw_controls(done.stdout + done.stderr) == set()
    only = imvo(tmp_path, "users", "audit", "--event", f"sign_in_failed{CLEAR}")
    assert only.returncode == 0 and raw_controls(only.stdout + only.stderr) == set()


def test_errors_quote_what_was_typed_literally(tmp_path):
    removed = imvo(tmp_path, "users", "remove", MARKUP)
    assert removed.returncode == 1
    assert removed.stderr == ("Error: there is no account '[/oops]'\nHint: 'imvo users list' "
                              "shows the accounts\n")
    escape = imvo(tmp_path, "users", "remove", f"zoe{CLEAR}")
    assert escape.stderr.startswith("Error: there is no account 'zoe\\x1b[2J\\x1b]0;owned\\x07'")
    typo = imvo(tmp_path, f"users{CLEAR}")
    assert typo.returncode == 2
    assert "Error: No such command 'users\\x1b[2J\\x1b]0;owned\\x07'." in typo.stderr
    for done in (removed, escape, typo):
        assert raw_controls(done.stdout + done.stderr) == set()


def test_ingest_prints_file_names_literally(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    name = f"[red]{CLEAR}[blink].csv"
    (inbox / name).write_text("not;a;questionnaire\n1;2;3\n", encoding="utf-8")
    done = imvo(tmp_path / "data", "ingest", str(inbox), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "rejected [red]\\x1b[2J\\x1b]0;owned\\x07[blink].csv: " in done.stderr
    assert raw_controls(done.stdout + done.stderr) == set()
