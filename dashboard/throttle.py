"""Slowing down password guessing without locking the owner out (Flask-Limiter).

Failed sign-ins are counted three ways, each in tiers (per minute, hour, day) so the wait grows
as failures go on: per address over all names (one address cannot try many names), per name
and address (one address cannot guess one password), and per name over all addresses that the
name never signed in from before (many addresses cannot guess it either, while the owner, from
an address they signed in from, is never locked out by someone else's guesses). Only refused
passwords count. Password checks are slow on purpose, so at most a few run at once in a worker:
a sign-in beyond them is asked to retry at once instead of taking a thread the pages need.
"""

import ipaddress
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

from imvo.errors import ImvoError
from imvo.settings import Settings

GATE_KEY, LIMITER_KEY = "IMVO_SIGN_IN_GATE", "IMVO_LIMITER"
FIELDS = {"per_address": "sign_in_limit_per_address",
          "per_name_address": "sign_in_limit_per_name_address",
          "per_name": "sign_in_limit_per_name", "storage_uri": "sign_in_limit_storage",
          "checks": "sign_in_checks"}


def _default(field: str) -> Any:
    return Settings.model_fields[FIELDS[field]].default


@dataclass(frozen=True)
class SignInLimits:
    """How many failed sign-ins are allowed, where they are counted, how many checks at once."""

    per_address: str = _default("per_address")
    per_name_address: str = _default("per_name_address")
    per_name: str = _default("per_name")
    storage_uri: str = _default("storage_uri")
    checks: int = _default("checks")


def limits_from_settings(settings: Settings) -> SignInLimits:
    """Return the sign-in limits of the settings; refuse a limit or store that cannot work."""
    chosen = SignInLimits(**{field: getattr(settings, name) for field, name in FIELDS.items()})
    for field in ("per_address", "per_name_address", "per_name"):
        try:
            parse_many(getattr(chosen, field))
        except ValueError as exc:
            raise ImvoError(f"IMVO_{FIELDS[field].upper()}: '{getattr(chosen, field)}' is not "
                            "a limit", hint="write tiers such as '5 per minute; 20 per hour; "
                            "50 per day'") from exc
    try:
        storage_from_string(chosen.storage_uri)
    except ConfigurationError as exc:
        raise ImvoError(f"IMVO_SIGN_IN_LIMIT_STORAGE: {exc}",
                        hint="use memory:// (each worker counts) or a shared store such as "
                        "redis://host:6379 with its Python client installed") from exc
    return chosen


def address_key() -> str:
    """Return who sends the request: the address, or its /64 network for IPv6."""
    address = request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def form_name() -> str:
    """Return the user name a sign-in form sent, as it is looked up."""
    return request.form.get("username", "").strip()[:64]


def name_key() -> str:
    """Return the key of the user name a sign-in form names."""
    return "name:" + form_name()


def name_address_key() -> str:
    """Return the user name of the form together with the address that sent it."""
    return f"{name_key()}|{address_key()}"


def _other_route() -> bool:
    return request.endpoint != "auth.sign_in"


def _refused(response: Response) -> bool:
    return response.status_code == 401


def install_throttle(server: Flask, blueprint: Blueprint, chosen: SignInLimits, *,
                     owner_address: Callable[[], bool]) -> None:
    """Count failed sign-ins on the blueprint's sign-in form and bound the password checks.

    `owner_address` tells whether the form comes from an address its name signed in from.
    """
    limiter = Limiter(address_key, app=server, storage_uri=chosen.storage_uri,
                      strategy="moving-window", key_prefix="imvo-sign-in")
    counted: list[tuple[str, Callable[[], str], Callable[[], bool]]] = [
        (chosen.per_address, address_key, _other_route),
        (chosen.per_name_address, name_address_key, _other_route),
        (chosen.per_name, name_key, lambda: _other_route() or owner_address())]
    for tiers, key, exempt in counted:
        limiter.limit(tiers, key_func=key, methods=["POST"], exempt_when=exempt,
                      deduct_when=_refused)(blueprint)
    server.config.update({LIMITER_KEY: limiter,
                          GATE_KEY: threading.BoundedSemaphore(chosen.checks)})


def retry_minutes(error: RateLimitExceeded) -> int:
    """Return in how many minutes (at least 1) the breached limit lets a sign-in through."""
    limiter: Limiter = current_app.config[LIMITER_KEY]
    breached = limiter.current_limit
    seconds = breached.reset_at - time.time() if breached else error.limit.limit.get_expiry()
    return max(1, math.ceil(seconds / 60))


@contextmanager
def password_check() -> Iterator[bool]:
    """Yield whether a password check may run now; at most the configured number at once."""
    gate: threading.BoundedSemaphore = current_app.config[GATE_KEY]
    admitted = gate.acquire(blocking=False)
    try:
        yield admitted
    finally:
        if admitted:
            gate.release()
