"""Public page "Hoe werkt het?": SAAR, 101, when to use the group, rules of conduct, joining, privacy."""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from buurtkaart.texts import t

SECTIONS = ["suspicious", "saar", "when", "rules", "join", "coordinator", "privacy", "contact"]


#: In the fictional demo these sections name no real municipality, address or phone number.
DEMO_TEXTS = {"intro": "app.hoe.intro_demo", "contact": "app.hoe.contact_demo"}


def main() -> None:
    ws = _shared.workspace()
    texts = DEMO_TEXTS if ws.is_fictional else {}
    municipality = str(ws.metadata.get("municipality", ""))
    st.title(t("app.hoe.title"))
    st.write(t(texts.get("intro", "app.hoe.intro"), municipality=municipality))
    for section in SECTIONS:
        st.header(t(f"app.hoe.{section}_title"))
        st.markdown(t(texts.get(section, f"app.hoe.{section}")))


main()
