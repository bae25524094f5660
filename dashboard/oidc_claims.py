"""OpenID Connect settings, and how a signed-in user's claims map to a role and covenant.

An organisation's identity provider puts its groups (or roles) in a claim of the ID token; the
settings map a claim value to 'role' or 'role:covenant'. A user with several mapped values gets
the first in the order admin, commission, evaluator, steering; a user with none is refused.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from imvo.errors import ImvoError
from imvo.users import USERNAME, check_account
from warehouse.access import Viewer

RANK = ("admin", "commission", "evaluator", "steering")


@dataclass(frozen=True)
class OidcConfig:
    """Where to sign in, as which client, and which claim values give which role."""

    issuer: str
    client_id: str
    client_secret: str
    name: str = "SSO"
    roles_claim: str = "groups"
    roles: Mapping[str, str] = field(default_factory=dict)

    @property
    def metadata_url(self) -> str:
        """Return the discovery document's URL of the issuer."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def parse_grant(grant: str) -> Viewer:
    """Return the viewer that a 'role' or 'role:covenant' value of the role map grants."""
    role, _, covenant = grant.partition(":")
    try:
        check_account("user", role, covenant or None)
    except ImvoError as exc:
        raise ImvoError(f"IMVO_OIDC_ROLES: '{grant}' is not a valid grant: {exc}",
                        hint="write 'admin', 'evaluator', 'steering:<covenant>' or "
                        "'commission:<covenant>'") from exc
    return Viewer(role, covenant or None)  # type: ignore[arg-type]


def check_config(config: OidcConfig, covenants: set[str]) -> None:
    """Refuse a role map that names an unknown role or covenant, before anyone signs in."""
    for grant in config.roles.values():
        viewer = parse_grant(grant)
        if viewer.covenant is not None and viewer.covenant not in covenants:
            raise ImvoError(f"IMVO_OIDC_ROLES: unknown covenant '{viewer.covenant}'",
                            hint="choose one of: " + ", ".join(sorted(covenants)))


def viewer_of_claims(claims: Mapping[str, object], config: OidcConfig) -> Viewer | None:
    """Return the viewer the claims grant, or None when no claim value is mapped."""
    values = claims.get(config.roles_claim)
    listed = [values] if isinstance(values, str) else values if isinstance(values, list) else []
    grants = [parse_grant(config.roles[v]) for v in listed
              if isinstance(v, str) and v in config.roles]
    if not grants:
        return None
    return min(grants, key=lambda viewer: RANK.index(viewer.role))


def username_of_claims(claims: Mapping[str, object]) -> str | None:
    """Return a user name from the claims (preferred name, else e-mail), or None."""
    for key in ("preferred_username", "email"):
        value = claims.get(key)
        if isinstance(value, str) and USERNAME.fullmatch(value):
            return value
    subject = claims.get("sub")
    if isinstance(subject, str) and subject:
        return "sub-" + re.sub(r"[^A-Za-z0-9._@+-]", "-", subject)[:59]
    return None
