"""Accounts, their sessions, and the audit log of sign-ins, uploads and exports, in SQLite.

The file is kept apart from the warehouse: web workers open the warehouse read-only, but every
worker writes sign-ins and audit entries at once, which SQLite handles (WAL mode, busy wait).
Passwords are stored only as Argon2id hashes. A session is a record here, found by the hash of
the token its cookie holds, so every worker sees at once that it ended: signing out, removing
the account or changing its role deletes the account's records.
"""

import hashlib
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from imvo.errors import ImvoError
from warehouse.access import ROLES, SCOPED_ROLES, Role, Viewer

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, password_hash TEXT, role TEXT NOT NULL, covenant TEXT,
    source TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, event TEXT NOT NULL,
    username TEXT, address TEXT, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS audit_user_event ON audit (username, event, at);
CREATE TABLE IF NOT EXISTS uploads (
    sha256 TEXT NOT NULL, username TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (sha256, username));
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, started_at TEXT NOT NULL,
    seen_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (username);
"""
END_SESSIONS = "DELETE FROM sessions WHERE username = ?"
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")
MIN_PASSWORD = 10
HASHER = PasswordHasher()
# Verified against when the user name is unknown, so a wrong name costs as long as a wrong
# password and the answer time does not tell which names exist.
DUMMY_HASH = HASHER.hash("no such user: the time of a real check")


@dataclass(frozen=True)
class Account:
    """Someone who may sign in: a role and, for covenant-bound roles, the covenant."""

    username: str
    role: Role
    covenant: str | None = None
    source: str = "local"

    @property
    def viewer(self) -> Viewer:
        """Return what this account may see, as the access layer knows it."""
        return Viewer(self.role, self.covenant)


@dataclass(frozen=True)
class SessionLifetime:
    """How long a session lasts: without a request (idle), and at most (absolute)."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=8)

    @property
    def touch(self) -> timedelta:
        """Return how stale the last-seen time may get before a request writes it anew."""
        return min(timedelta(minutes=1), self.idle / 10)


@dataclass(frozen=True)
class AuditEntry:
    """One audited event: when, what, by whom, from where, and about what."""

    at: str
    event: str
    username: str | None
    address: str | None
    detail: str


def now() -> str:
    """Return the current moment in UTC as ISO text (seconds)."""
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    """Return a moment as ISO text (seconds), which sorts as the moments do."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    """Return the stored form of a session token: a leaked file opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_account(username: str, role: str, covenant: str | None) -> Role:
    """Return the role when the name, role and covenant make a valid account, else refuse."""
    if not USERNAME.fullmatch(username):
        raise ImvoError(f"'{username}' is not a valid user name",
                        hint="use 1 to 64 letters, digits and . _ @ + -, starting with a letter "
                        "or digit")
    if role not in ROLES or role == "public":
        raise ImvoError(f"'{role}' is not a role an account can have",
                        hint="choose steering, evaluator, commission or admin (the public "
                        "needs no account)")
    if (role in SCOPED_ROLES) != (covenant is not None):
        hint = (f"add --covenant for the {role} role" if role in SCOPED_ROLES
                else f"leave out --covenant: the {role} role spans all covenants")
        raise ImvoError(f"a {role} account {'needs' if covenant is None else 'has no'} covenant",
                        hint=hint)
    chosen: Role = next(r for r in ROLES if r == role)
    return chosen


def no_account(username: str) -> ImvoError:
    """Return the error for a name that has no account."""
    return ImvoError(f"there is no account '{username}'",
                     hint="'imvo users list' shows the accounts")


class UserStore:
    """The accounts and the audit log in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()  # one connection per thread, kept open: cheap entries
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL stays consistent after a crash and spares a disk sync per entry.
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        with conn:  # one transaction, committed on success
            yield conn

    def close(self) -> None:
        """Close this thread's connection to the file (others close when their thread ends)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def add(self, username: str, password: str, role: str,
            covenant: str | None = None) -> Account:
        """Create an account with a password; refuse a name that exists or a short password."""
        chosen = check_account(username, role, covenant)
        if len(password) < MIN_PASSWORD:
            raise ImvoError(f"the password is shorter than {MIN_PASSWORD} characters",
                            hint="choose a longer one, or let --generate make one")
        try:
            with self._connect() as conn:
                conn.execute("INSERT INTO users VALUES (?, ?, ?, ?, 'local', ?)",
                             [username, HASHER.hash(password), chosen, covenant, now()])
                # A name made anew is another person: no session of an earlier holder is theirs.
                conn.execute(END_SESSIONS, [username])
        except sqlite3.IntegrityError as exc:
            raise ImvoError(f"there is already an account '{username}'",
                            hint=f"change its role with 'imvo users role {username} ROLE', or "
                            f"remove it first with 'imvo users remove {username}'") from exc
        return Account(username, chosen, covenant)

    def set_role(self, username: str, role: str, covenant: str | None = None) -> Account:
        """Give a local account another role (and covenant); its sessions end."""
        chosen = check_account(username, role, covenant)
        current = self.account(username)
        if current is None:
            raise no_account(username)
        if current.source != "local":
            raise ImvoError(f"the role of '{username}' comes from its groups at the OpenID "
                            "Connect provider",
                            hint=f"change its groups there; 'imvo users remove {username}' ends "
                            "its sessions now")
        with self._connect() as conn:
            conn.execute("UPDATE users SET role = ?, covenant = ? WHERE username = ?",
                         [chosen, covenant, username])
            conn.execute(END_SESSIONS, [username])
        return Account(username, chosen, covenant)

    def set_external(self, username: str, role: Role, covenant: str | None) -> Account:
        """Create or update an account signed in elsewhere (OpenID Connect), without password."""
        before = self.account(username)
        with self._connect() as conn:
            changed = conn.execute(
                "INSERT INTO users VALUES (?, NULL, ?, ?, 'oidc', ?) ON CONFLICT (username) DO "
                "UPDATE SET role = excluded.role, covenant = excluded.covenant "
                "WHERE users.source = 'oidc'", [username, role, covenant, now()]).rowcount
            if changed and (before is None or before.viewer != Viewer(role, covenant)):
                # The provider gave another role: sessions started with the old one end.
                conn.execute(END_SESSIONS, [username])
        if not changed:  # never let a provider's user take over a local account's name
            raise ImvoError(f"the name '{username}' belongs to a local account",
                            hint="sign in with its password, or ask the administrator to "
                            "remove the local account")
        return Account(username, role, covenant, "oidc")

    def remove(self, username: str) -> bool:
        """Delete an account; return whether it existed. Its sessions and uploads end with it."""
        with self._connect() as conn:
            conn.execute(END_SESSIONS, [username])
            conn.execute("DELETE FROM uploads WHERE username = ?", [username])
            return conn.execute("DELETE FROM users WHERE username = ?", [username]).rowcount > 0

    def accounts(self) -> list[Account]:
        """Return every account, sorted by name."""
        with self._connect() as conn:
            rows = conn.execute("SELECT username, role, covenant, source FROM users "
                                "ORDER BY username").fetchall()
        return [Account(name, check_account(name, role, cov), cov, src)
                for name, role, cov, src in rows]

    def account(self, username: str) -> Account | None:
        """Return the account with a name, or None."""
        with self._connect() as conn:
            row = conn.execute("SELECT role, covenant, source FROM users WHERE username = ?",
                               [username]).fetchone()
        return None if row is None else Account(username, check_account(username, row[0], row[1]),
                                                row[1], row[2])

    def verify(self, username: str, password: str) -> Account | None:
        """Return the account when the password is right, else None (in about the same time)."""
        with self._connect() as conn:
            row = conn.execute("SELECT password_hash FROM users WHERE username = ?",
                               [username]).fetchone()
        stored = row[0] if row and row[0] else None
        try:
            HASHER.verify(stored or DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if stored is None:
            return None
        if HASHER.check_needs_rehash(stored):
            with self._connect() as conn:
                conn.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                             [HASHER.hash(password), username])
        return self.account(username)

    def record(self, event: str, *, username: str | None = None, address: str | None = None,
               detail: str = "") -> None:
        """Add an entry to the audit log."""
        with self._connect() as conn:
            conn.execute("INSERT INTO audit (at, event, username, address, detail) "
                         "VALUES (?, ?, ?, ?, ?)", [now(), event, username, address, detail])

    def audit(self, *, limit: int = 200, event: str | None = None) -> list[AuditEntry]:
        """Return the newest audit entries first, of one kind of event or all."""
        with self._connect() as conn:
            rows = conn.execute("SELECT at, event, username, address, detail FROM audit "
                                "WHERE ? IS NULL OR event = ? ORDER BY id DESC LIMIT ?",
                                [event, event, limit]).fetchall()
        return [AuditEntry(*row) for row in rows]

    def signed_in_from(self, username: str, address: str | None, *, days: float) -> bool:
        """Return whether a name signed in from an address in the last days."""
        since = iso(datetime.now(UTC) - timedelta(days=days))
        with self._connect() as conn:
            row = conn.execute("SELECT 1 FROM audit WHERE username = ? AND event = 'sign_in' "
                               "AND address = ? AND at >= ? LIMIT 1",
                               [username, address, since]).fetchone()
        return row is not None

    def record_upload(self, sha256: str, username: str) -> None:
        """Remember who uploaded a file, so its feedback report stays theirs to read."""
        with self._connect() as conn:
            conn.execute("INSERT OR IGNORE INTO uploads VALUES (?, ?, ?)",
                         [sha256, username, now()])

    def uploaded(self, sha256: str, username: str) -> bool:
        """Return whether a user uploaded the file with this hash."""
        with self._connect() as conn:
            row = conn.execute("SELECT 1 FROM uploads WHERE sha256 = ? AND username = ?",
                               [sha256, username]).fetchone()
        return row is not None

    def open_session(self, username: str, lifetime: SessionLifetime) -> str:
        """Start a session of an account; return its token (only a hash of it is stored)."""
        token, moment = secrets.token_urlsafe(32), datetime.now(UTC)
        with self._connect() as conn:
            conn.execute("DELETE FROM sessions WHERE started_at < ? OR seen_at < ?",
                         [iso(moment - lifetime.absolute), iso(moment - lifetime.idle)])
            conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)",
                         [token_hash(token), username, iso(moment), iso(moment)])
        return token

    def session_account(self, token: str, lifetime: SessionLifetime) -> Account | None:
        """Return the account of a session that has not ended, and note that it was seen."""
        key, moment = token_hash(token), datetime.now(UTC)
        with self._connect() as conn:
            row = conn.execute(
                "SELECT username, role, covenant, source, started_at, seen_at FROM sessions "
                "JOIN users USING (username) WHERE token_hash = ?", [key]).fetchone()
            if row is None:
                return None
            name, role, covenant, source, started, seen = row
            if started < iso(moment - lifetime.absolute) or seen < iso(moment - lifetime.idle):
                conn.execute("DELETE FROM sessions WHERE token_hash = ?", [key])
                return None
            if seen <= iso(moment - lifetime.touch):
                conn.execute("UPDATE sessions SET seen_at = ? WHERE token_hash = ?",
                             [iso(moment), key])
        return Account(name, check_account(name, role, covenant), covenant, source)

    def end_sessions(self, username: str) -> int:
        """End every session of an account, on every worker at once; return how many."""
        with self._connect() as conn:
            return conn.execute(END_SESSIONS, [username]).rowcount
