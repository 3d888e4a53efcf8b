"""Public page "Hoe werkt het?": SAAR, 101, when to use the group, rules of conduct, joining, privacy."""

from __future__ import annotations

import streamlit as st

from buurtkaart.texts import t

SECTIONS = ["suspicious", "saar", "when", "rules", "join", "coordinator", "privacy", "contact"]


def main() -> None:
    st.title(t("app.hoe.title"))
    st.write(t("app.hoe.intro"))
    for section in SECTIONS:
        st.subheader(t(f"app.hoe.{section}_title"))
        st.markdown(t(f"app.hoe.{section}"))


main()
