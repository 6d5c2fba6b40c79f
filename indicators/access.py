"""Who may see what: roles from the deployment's settings, decided without Streamlit.

With no identity provider in the settings (the local default) access is
open and the pages say so. With one (`[auth]` in `.streamlit/secrets.toml`,
Streamlit's OIDC login), every page needs sign-in, and `[access.roles]` maps
e-mail addresses (or `@domain` suffixes) to a role:

```toml
[access.roles]
board = ["@stoke.gov.uk"]
scrutiny = ["scrutiny.clerk@stoke.gov.uk"]
analyst = ["data.team@stoke.gov.uk"]
```

A person matching several roles gets the widest. Row-level views (the
quarantine table, which shows raw extract rows) are for analysts only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ROLES = ("board", "scrutiny", "analyst")  # narrowest first
PAGES_FOR_ROLE = {
    "board": {
        "strategy",
        "access",
        "core_offer",
        "quality",
        "empower",
        "engagement",
        "evidence",
        "front_door",
        "jsna",
    },
    "scrutiny": {"wards", "ward_profile", "data_quality"},
    "analyst": {"catalogue", "warehouse"},
}
OPEN = "open"  # no identity provider configured: everything, with a banner


def provider_configured(secrets: Mapping[str, Any]) -> bool:
    """True when the settings name an OIDC identity provider for st.login."""
    auth = secrets.get("auth") if hasattr(secrets, "get") else None
    return bool(auth) and (
        "client_id" in auth or any(isinstance(v, Mapping) for v in auth.values())
    )


def role_for(email: str | None, settings: Mapping[str, Any]) -> str | None:
    """The widest role whose list holds `email` (exactly, or by `@domain`), else None."""
    if not email:
        return None
    roles = (settings.get("roles") if hasattr(settings, "get") else None) or {}
    email = email.lower()
    granted = None
    for role in ROLES:
        for entry in roles.get(role, []):
            entry = str(entry).lower()
            if email == entry or (entry.startswith("@") and email.endswith(entry)):
                granted = role
    return granted


def pages_for(role: str) -> set[str]:
    """Page keys a role may open: each role also sees everything narrower roles see."""
    if role == OPEN:
        return set().union(*PAGES_FOR_ROLE.values())
    allowed: set[str] = set()
    for name in ROLES[: ROLES.index(role) + 1]:
        allowed |= PAGES_FOR_ROLE[name]
    return allowed


def sees_rows(role: str) -> bool:
    """Row-level views (quarantined records) are for analysts, or anyone when access is open."""
    return role in (OPEN, "analyst")
