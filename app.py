"""The buurtkaart app: ``streamlit run app.py``. Navigation only; every page is one small module in app_pages/.

The same server also answers the public API and the embeddable search (``/api/v1/...`` and ``/widget``,
:mod:`buurtkaart.api.beside_app`), which the page *Welke groep?* embeds: ``app`` below is the ASGI application
``streamlit run`` serves (an ``st.App`` running this same file as its script).

Pages per kind of user. To add a page, add ONE line to the list of the role that uses it:
``("app_pages/<file>.py", "<topic>.page.<name>", ":material/<icon>:")`` — the title is a text key of your own
catalogue (``buurtkaart/locale/nl/<topic>.json``). The first page of a role is that role's first screen.
Public pages are shown to everyone; a logged-in user also sees the pages of their role.
"""

from __future__ import annotations

import streamlit as st

from app_pages._location import app_location
from buurtkaart.api.beside_app import AppApis
from buurtkaart.texts import t

#: The public API and the widget of the app's workspace, beside the pages (rate limit: $BUURTKAART_API_PER_MINUTE).
public_api = AppApis.from_environment(app_location)
app = st.App(__file__, routes=public_api.routes())

# ------------------------------------------------------------------ page lists (add your page here, one line)
PUBLIC_PAGES = [
    ("app_pages/welke_groep.py", "app.page.welke_groep", ":material/search:"),
    ("app_pages/hoe_werkt_het.py", "app.page.hoe_werkt_het", ":material/help:"),
    ("app_pages/kandidaat_worden.py", "members.page.kandidaat_worden", ":material/person_add:"),
]
COORDINATOR_PAGES = [
    ("app_pages/mijn_gebied.py", "app.page.mijn_gebied", ":material/home_pin:"),
    ("app_pages/coordinator_members.py", "members.page.coordinator_members", ":material/group:"),
]
STAFF_PAGES = [
    ("app_pages/staff_overview.py", "app.page.staff_overview", ":material/layers:"),
    ("app_pages/staff_boundaries.py", "boundaries.page.title", ":material/draw:"),
    ("app_pages/staff_infoborden.py", "infoborden.page.menu", ":material/signpost:"),
    ("app_pages/staff_coverage.py", "coverage.page.title", ":material/grid_on:"),
    ("app_pages/staff_data.py", "import.page.staff_data", ":material/upload_file:"),
    ("app_pages/staff_members.py", "members.page.staff_members", ":material/shield_person:"),
    ("app_pages/coordinator_members.py", "members.page.coordinator_members", ":material/group:"),
    ("app_pages/staff_users.py", "members.page.staff_users", ":material/manage_accounts:"),
]
POLICE_PAGES = [
    ("app_pages/police_queue.py", "members.page.police_queue", ":material/fact_check:"),
]
#: Shown to visitors who are not logged in (the membership engineer's login page), or None while absent.
LOGIN_PAGE: tuple[str, str, str] | None = ("app_pages/login.py", "members.page.login", ":material/login:")
# ------------------------------------------------------------------------------------------------------------

ROLE_PAGES = {"coordinator": COORDINATOR_PAGES, "staff": STAFF_PAGES, "police": POLICE_PAGES}


def _pages(entries: list[tuple[str, str, str]], *, default_first: bool) -> list[st.Page]:
    return [
        st.Page(path, title=t(title_key), icon=icon, default=default_first and i == 0)
        for i, (path, title_key, icon) in enumerate(entries)
    ]


def build_navigation(role: str | None, *, public: bool = True) -> dict[str, list[st.Page]]:
    """The sections and pages shown to a visitor with ``role`` (None: not logged in). ``public=False`` on a police
    zone itself, which has no map of its own (only its police log in there)."""
    role_entries = ROLE_PAGES.get(role or "", [])
    sections = {t("app.section.public"): _pages(PUBLIC_PAGES, default_first=not role_entries)} if public else {}
    if role_entries:
        sections = {t(f"app.section.{role}"): _pages(role_entries, default_first=True), **sections}
    if role is None and LOGIN_PAGE is not None:
        sections[t("app.section.account")] = _pages([LOGIN_PAGE], default_first=False)
    return sections


def main() -> None:
    from app_pages import _shared  # imported in the page run, where Streamlit's runtime holds its caches

    # a local icon: a Material icon here would be fetched from fonts.gstatic.com (no internet on intranets)
    st.set_page_config(page_title=t("core.app_name"), page_icon=str(_shared.STATIC_DIR / "favicon.png"),
                       layout="wide")
    ws = _shared.workspace()
    user = _shared.current_user()
    page = st.navigation(build_navigation(user.role if user else None, public=not _shared.on_zone_itself(ws)))
    _shared.sidebar(ws, user)
    _shared.write_cookie()
    _shared.fictional_banner(ws)
    page.run()


if __name__ == "__main__":
    main()
