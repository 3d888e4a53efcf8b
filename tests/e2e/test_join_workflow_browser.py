"""The joining workflow in a real browser: a resident applies → the police approve → the coordinator adds them to
the WhatsApp group and hands out the sticker → staff find every step in the audit log.

Each person uses their own browser session (a fresh page load is a fresh Streamlit session, so nobody stays
logged in). Screenshots of each step go to ``test-artifacts/join_*.png``.
"""

from __future__ import annotations

import re

from buurtkaart.members.audit import CLI_ACTOR, read_log
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.e2e.conftest import goto, login, screenshot, wait_drawn

NAME = "Browser Kandidaat"


def _address_in_first_group(ws: Workspace) -> str:
    addresses = ws.read("addresses")
    groups = ws.read("groups")
    area = groups[groups["group_id"] == "G01"].geometry.iloc[0]
    inside = addresses[addresses.within(area) & addresses["box"].isna() & addresses["suffix"].isna()]
    row = inside.iloc[len(inside) // 2]
    return f"{row['street']} {row['housenumber']}, {row['postcode']}"


def _choose(page, label: str, option_text: str) -> None:
    """Pick an option of a Streamlit selectbox by typing part of its text."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option_text)
    page.get_by_role("option", name=re.compile(re.escape(option_text))).first.click()
    wait_drawn(page)


def _nav(page, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    page.wait_for_timeout(300)
    wait_drawn(page)


def _click(page, label: str) -> None:
    page.get_by_role("button", name=label).first.click()
    page.wait_for_timeout(300)
    wait_drawn(page)


def test_apply_screen_add_sticker_and_audit(page, app_server):
    ws = app_server.workspace

    # 1. a resident applies (no login)
    goto(page, app_server, "kandidaat_worden")
    page.get_by_label(t("members.apply.name"), exact=True).fill(NAME)
    page.get_by_label(t("members.apply.address"), exact=True).fill(_address_in_first_group(ws))
    page.get_by_label(t("members.apply.phone"), exact=True).fill("0470 12 34 99")
    page.get_by_text(t("members.apply.declaration_check")).click()
    page.get_by_text(t("members.apply.consent_check")).click()
    _click(page, t("members.apply.submit"))
    reference = page.get_by_text(re.compile(r"Uw referentie is m-[0-9a-f]{12}"))
    reference.wait_for()
    member_id = re.search(r"m-[0-9a-f]{12}", reference.inner_text()).group()
    screenshot(page, "join_1_applied")

    # 2. the police approve
    login(page, app_server, "police")
    _nav(page, t("members.page.police_queue"))
    page.locator('[data-testid="stDataFrame"]').first.hover()
    page.wait_for_timeout(300)
    toolbar = page.locator('[data-testid="stElementToolbar"]').first.inner_html()
    assert "Download" not in toolbar, "personal data leaves only through the audited download buttons"
    _choose(page, t("members.police.candidate"), member_id)
    page.get_by_text(t("members.police.approve"), exact=True).click()  # nothing is preselected
    _click(page, t("members.police.submit"))
    page.get_by_text(t("members.police.done_approve", member_id=member_id, name=NAME)).wait_for()
    screenshot(page, "join_2_screened")

    # 3. the coordinator adds them to the WhatsApp group and delivers the sticker
    login(page, app_server, "coordinator")
    _nav(page, t("members.page.coordinator_members"))
    _choose(page, t("members.coord.candidate"), member_id)
    _click(page, t("members.coord.mark_added"))
    page.get_by_text(t("members.coord.done_added", member_id=member_id, name=NAME)).wait_for()
    page.get_by_role("tab", name=t("members.coord.tab_stickers")).click()
    wait_drawn(page)
    _choose(page, t("members.coord.member"), member_id)
    _click(page, t("members.coord.mark_sticker"))
    page.get_by_text(t("members.coord.done_sticker", member_id=member_id, name=NAME)).wait_for()
    screenshot(page, "join_3_sticker")

    # 4. staff see every step in the audit log
    login(page, app_server, "staff")
    _nav(page, t("members.page.staff_users"))
    page.get_by_role("tab", name=t("members.staff.tab_audit")).click()
    page.get_by_label(t("members.staff.audit_subject")).fill(member_id)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    wait_drawn(page)
    table = page.locator('[data-testid="stTable"]')
    table.wait_for()
    shown = table.inner_text()
    screenshot(page, "join_4_audit")
    for step in ("kandidaat", "kandidaat → goedgekeurd", "goedgekeurd → lid", "sticker afgegeven"):
        assert step in shown, (step, shown)
    for actor in ("publiek", "demo-politie", "demo-coordinator"):
        assert actor in shown, actor
    assert NAME not in shown  # ids in the log, never names

    row = ws.read("members").set_index("member_id").loc[member_id]
    assert (row["status"], row["screened_by"], row["added_by"], row["sticker_by"]) == (
        "lid", "demo-politie", "demo-coordinator", "demo-coordinator")
    steps = read_log(ws, CLI_ACTOR, subject_id=member_id)
    assert {"aangemaakt", "gewijzigd", "bekeken"} <= set(steps["action"])
