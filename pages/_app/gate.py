"""Sign-in and roles: who is viewing, and the gate every page passes first.

The role is worked out afresh on every run from the deployment's secrets
and `st.user`, never remembered in session state, so no script run and no
other page can grant it.
"""

from __future__ import annotations

import streamlit as st

from indicators import access
from pages._app.cache import aim_ids
from pages._app.navigation import page_link

SIGN_IN_PROMPT = "Please sign in with your council account to see the dashboard."
NOT_YOUR_PAGE = "Your role ({role}) does not include this page."


def deployment_settings() -> dict:
    """The deployment's secrets (auth and access), or none when there is no secrets file."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # Streamlit's StreamlitSecretNotFoundError
        return {}


def current_role() -> str | None:
    """`open` without sign-in configured; else the signed-in person's role, or None.

    Worked out afresh on every run from the secrets and `st.user` (the
    signed cookie Streamlit's login sets), never remembered in session state,
    so no script run and no other page can grant it.
    """
    settings = deployment_settings()
    if not access.provider_configured(settings):
        return access.OPEN
    if not st.user.is_logged_in:
        return None
    return access.role_for_claims(st.user, settings.get("access") or {})


def page_gate(page: str) -> str:
    """The first call of every page: its viewer's role, or a stop before any data is read.

    A signed-out visitor gets the sign-in prompt, a signed-in person without
    a role (or with an unverified e-mail address) is told so, and a role that
    does not include `page` is refused. This holds however the page was
    reached: menu, deep link, `?embed=true`, or the page file run on its own.
    """
    role = current_role()
    if role is None and not st.user.is_logged_in:
        st.title("Early Help and Prevention Strategy 2020–2024")
        st.info(SIGN_IN_PROMPT, icon=":material/lock:")
        providers = access.sign_in_providers(deployment_settings().get("auth") or {})
        for provider in providers:
            label = "Sign in" if len(providers) == 1 else f"Sign in with {provider}"
            st.button(label, on_click=st.login, args=(provider,), type="primary")
        st.stop()
    if role is None:
        email = st.user.get("email")
        if access.email_unverified(st.user):
            st.error(
                f"{email} is signed in, but the identity provider has not verified this "
                "e-mail address, so it has no role on this dashboard."
            )
        else:
            st.error(
                f"{email} is signed in but has no role on this dashboard. Ask "
                "the data team to add you to board, scrutiny or analyst."
            )
        st.button("Sign out", on_click=st.logout)
        st.stop()
    if not access.may_open(role, page, aim_ids()):
        st.error(NOT_YOUR_PAGE.format(role=role), icon=":material/block:")
        page_link("strategy", "Back to the strategy on a page")
        st.stop()
    return role
