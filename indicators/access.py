"""Who may see what: roles from the deployment's settings, decided without Streamlit.

With no sign-in in the settings (the local default) access is open and the
pages say so. With an identity provider (`[auth]` in `.streamlit/secrets.toml`,
Streamlit's OIDC login) or roles (`[access.roles]`), every page needs sign-in,
and `[access.roles]` maps e-mail addresses (or `@domain` suffixes) to a role:

```toml
[access.roles]
board = ["@council.example.gov.uk"]
scrutiny = ["scrutiny.clerk@council.example.gov.uk"]
analyst = ["data.team@council.example.gov.uk"]
editor = ["early.help.lead@council.example.gov.uk"]   # writes commentary and actions
```

A person matching several roles gets the widest; a person matching none, or
whose provider says their e-mail address is not verified, has no role and
sees no data. Every page asks `may_open` itself on every run, so no page
depends on another script having run first. Row-level views (the
quarantine table, which shows raw extract rows) are for analysts only.

Writing is a grant on top of reading: the `editor` list may write commentary
and actions (and reads as a board member at least), the `analyst` role may
sign a review off. With access open nobody is known, so writing is off unless
the operator switches it on (`[review] open_writing = true`); `may_write` is
asked by the review store's write path itself, not only by the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ROLES = ("board", "scrutiny", "analyst")  # narrowest first
OPEN = "open"  # no sign-in configured: everything, with a banner
EDITOR = "editor"  # a grant, not a page role: writes commentary and actions
EDITOR_READS_AS = "board"
SIGN_OFF_ROLE = "analyst"  # signs off a review: the figures as reported are kept
# The pages each role adds to those of narrower roles. Every aim page in the
# strategy's YAML is a board page too (`pages_for`), so a new aim needs no edit here.
PAGES_FOR_ROLE = {
    "board": {"strategy", "front_door", "jsna", "actions", "since_review"},
    "scrutiny": {"wards", "ward_profile", "data_quality"},
    "analyst": {"catalogue", "warehouse", "workbench"},
}
AIM_ROLE = "board"
FIXED_PAGES = frozenset().union(*PAGES_FOR_ROLE.values())


def provider_configured(secrets: Mapping[str, Any]) -> bool:
    """True when the settings ask for sign-in: an `[auth]` section or `[access.roles]`.

    Any trace of either counts, even an incomplete one, so a half-written
    secrets file closes the dashboard (sign-in then fails loudly) rather
    than opening it to everyone.
    """
    if not hasattr(secrets, "get"):
        return False
    settings = secrets.get("access")
    return bool(secrets.get("auth")) or bool(hasattr(settings, "get") and settings.get("roles"))


def sign_in_providers(auth: Mapping[str, Any]) -> list[str | None]:
    """What st.login is called with: None for a provider set at the top of `[auth]`,
    else the name of each `[auth.<name>]` section (Streamlit has no default then)."""
    if "client_id" in auth:
        return [None]
    return [name for name, value in auth.items() if isinstance(value, Mapping)] or [None]


def _listed(email: str, entries: Iterable[Any]) -> bool:
    """Whether `email` (lower case) is in a role's list, exactly or by `@domain`."""
    for entry in entries:
        entry = str(entry).lower()
        if email == entry or (entry.startswith("@") and email.endswith(entry)):
            return True
    return False


def _role_lists(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    return (settings.get("roles") if hasattr(settings, "get") else None) or {}


def role_for(email: str | None, settings: Mapping[str, Any]) -> str | None:
    """The widest role whose list holds `email` (exactly, or by `@domain`), else None.

    An editor in no reading role reads as a board member (`EDITOR_READS_AS`):
    the people who write commentary must see the figures they write about.
    """
    if not email:
        return None
    roles = _role_lists(settings)
    email = email.lower()
    granted = EDITOR_READS_AS if _listed(email, roles.get(EDITOR, [])) else None
    for role in ROLES:
        if _listed(email, roles.get(role, [])):
            granted = role  # narrowest first, so the last match is the widest
    return granted


def is_editor(claims: Mapping[str, Any], settings: Mapping[str, Any]) -> bool:
    """Whether a signed-in person (their token's claims) is in the `editor` list."""
    email = claims.get("email")
    if email_unverified(claims) or not isinstance(email, str) or not email:
        return False
    return _listed(email.lower(), _role_lists(settings).get(EDITOR, []))


def may_write(role: str | None, editor: bool, open_writing: bool) -> bool:
    """Whether a viewer may write commentary and actions.

    Signed in: only with the `editor` grant (and a role, so an unverified
    address writes nothing). Open access: only when the operator switched
    writing on, since nobody is known and anyone who reaches it could write.
    """
    if role == OPEN:
        return open_writing
    return role in ROLES and editor


def may_sign_off(role: str | None, open_writing: bool) -> bool:
    """Whether a viewer may sign off a review period: the analyst role (who answers for
    the figures); with open access, as for writing, only when the operator switched it on."""
    if role == OPEN:
        return open_writing
    return role == SIGN_OFF_ROLE


def email_unverified(claims: Mapping[str, Any]) -> bool:
    """True when the provider sends `email_verified` and it is anything but true.

    Providers that never send the claim (some enterprise directories) are
    trusted on the address alone; one that sends `false` (or "false") is not.
    """
    if "email_verified" not in claims:
        return False
    verified = claims.get("email_verified")
    return not (verified is True or (isinstance(verified, str) and verified.lower() == "true"))


def role_for_claims(claims: Mapping[str, Any], settings: Mapping[str, Any]) -> str | None:
    """The role of a signed-in person from their identity token's claims, else None."""
    if email_unverified(claims):
        return None
    email = claims.get("email")
    return role_for(email if isinstance(email, str) else None, settings)


def aim_pages(aims: Iterable[str]) -> set[str]:
    """The aim ids, refused when one would take the name of a fixed page."""
    aims = set(aims)
    clash = aims & FIXED_PAGES
    if clash:
        raise ValueError(f"aim ids that clash with a page name: {sorted(clash)}")
    return aims


def pages_for(role: str | None, aims: Iterable[str]) -> set[str]:
    """Page keys a role may open: each role also sees everything narrower roles see.

    `aims` are the strategy's aim ids (each has its own page). No role, or a
    role the code does not know, opens nothing.
    """
    if role == OPEN:
        return set(FIXED_PAGES) | aim_pages(aims)
    if role not in ROLES:
        return set()
    allowed: set[str] = set()
    for name in ROLES[: ROLES.index(role) + 1]:
        allowed |= PAGES_FOR_ROLE[name]
        if name == AIM_ROLE:
            allowed |= aim_pages(aims)
    return allowed


def may_open(role: str | None, page: str, aims: Iterable[str]) -> bool:
    """Whether `role` may open the page `page` (a page key or an aim id)."""
    return page in pages_for(role, aims)


def sees_rows(role: str | None) -> bool:
    """Row-level views (quarantined records) are for analysts, or anyone when access is open."""
    return role in (OPEN, "analyst")
