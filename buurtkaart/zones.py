"""A police zone of several municipalities in one PostgreSQL database (design in docs/ARCHITECTURE.md).

Each municipality keeps its own server workspace: one PostgreSQL schema (``?schema=asse``) whose metadata carries
its NIS code (``nis_code``), so every row in it belongs to that municipality by construction and its staff and
coordinators, who are accounts of that workspace, cannot see another municipality's rows. A **zone** is one more
schema in the same database (``?schema=zone_amow``), made by :func:`create_zone`, holding:

* the registry ``zone_municipalities`` (``nis_code``, ``name``, ``schema``) of the zone's municipalities;
* the zone's police accounts (its ``users`` table: ``buurtkaart zone users add NAME``) and their audit lines.

A zone police account logs in once against the zone. :func:`buurtkaart.members.actors.acting_user` re-reads it
from the zone's ``users`` table and admits it only in a municipality the zone lists, as ``police``.
:func:`screening_queue` lists the candidates of every municipality of the zone (with their municipality) and
:func:`screen` writes a decision into the right municipality's workspace, in that workspace's transaction and
audit log (:func:`buurtkaart.members.membership.screen`). A GeoPackage stays one municipality: a zone on a file is
refused.
The zones and their municipalities (by NIS code) are reference data: ``buurtkaart/reference/zones.json``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from buurtkaart import _pg, _records
from buurtkaart.errors import InputError, NotFound, WorkspaceError
from buurtkaart.members import audit
from buurtkaart.members.actors import User, acting_user, require_staff
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, is_server_url

if TYPE_CHECKING:
    from buurtkaart.pg_workspace import PostgisWorkspace

#: The zone's registry table of municipalities.
REGISTRY = _pg.ZONE_REGISTRY
#: ``kind`` metadata of a zone schema.
ZONE_KIND = "zone"
_REFERENCE = Path(__file__).parent / "reference" / "zones.json"
_NIS = re.compile(r"^\d{5}$")


@cache
def reference_zones() -> dict[str, dict[str, Any]]:
    """The police zones of the reference data: zone id → ``{"name": ..., "municipalities": {nis: name}}``."""
    data = json.loads(_REFERENCE.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def is_zone(ws: Workspace) -> bool:
    """Whether ``ws`` is a zone (a registry and police accounts), not a municipality's workspace."""
    return ws.metadata.get("kind") == ZONE_KIND


def _server(location: Any) -> PostgisWorkspace:
    from buurtkaart.pg_workspace import PostgisWorkspace

    if isinstance(location, PostgisWorkspace):
        return location
    if not is_server_url(str(location)):
        raise WorkspaceError(t("zones.needs_server"), problems=[t("zones.needs_server_hint")])
    return PostgisWorkspace(str(location))


def create_zone(location: str, zone_id: str) -> PostgisWorkspace:
    """Create the zone ``zone_id`` of the reference data (``AMOW``) as the schema at ``location`` (the command
    line: whoever can create schemas in the database)."""
    from buurtkaart.pg_workspace import PostgisWorkspace

    target = _server(location)
    zone_id = (zone_id or "").strip().upper()
    zones = reference_zones()
    if zone_id not in zones:
        raise InputError(t("zones.unknown_zone", zone=zone_id, known=", ".join(sorted(zones))))
    registry = pd.DataFrame({"nis_code": pd.Series(dtype="str"), "name": pd.Series(dtype="str"),
                             "schema": pd.Series(dtype="str")})
    ws = PostgisWorkspace.create(target.path, {REGISTRY: registry}, municipality=zones[zone_id]["name"],
                                 metadata={"kind": ZONE_KIND, "zone": zone_id})
    with ws.transaction() as con:
        _records.ensure_table(con, "audit_log")
        audit.record(con, actor=audit.CLI_ACTOR,  # type: ignore[arg-type]  # a PgConnection
                     action="aangemaakt", subject=REGISTRY, subject_ids=[zone_id],
                     detail="zone aangemaakt")
    return ws


def open_zone(location: Any) -> PostgisWorkspace:
    """Open the zone at ``location`` (a server URL); a Dutch error for a file or a municipality's workspace."""
    from buurtkaart.pg_workspace import PostgisWorkspace

    ws = PostgisWorkspace.open(_server(location).path)
    if not is_zone(ws):
        raise WorkspaceError(t("zones.not_a_zone", path=ws.path), problems=[t("zones.create_hint")])
    return ws


def municipalities(zone: PostgisWorkspace) -> pd.DataFrame:
    """The zone's municipalities: ``nis_code``, ``name``, ``schema``, by NIS code."""
    frame = zone.read(REGISTRY)
    return frame[["nis_code", "name", "schema"]].sort_values("nis_code").reset_index(drop=True)


def _location_of(zone: PostgisWorkspace, schema: str) -> str:
    """The URL of schema ``schema`` in the zone's database (with the zone's credentials, never shown)."""
    return _pg.schema_url(zone._location.conninfo, schema)


def add_municipality(zone: PostgisWorkspace, location: str, *, nis_code: str,
                     actor: User | str = audit.CLI_ACTOR) -> dict[str, str]:
    """Register the municipality workspace at ``location`` (a schema of the zone's database) as ``nis_code``.

    The NIS code must be one of the zone's municipalities in the reference data; the workspace's metadata gets it
    (``nis_code``). Returns the registry row."""
    from buurtkaart.pg_workspace import PostgisWorkspace

    if not isinstance(actor, str):
        require_staff(zone, actor)
    member = _server(location)
    if member._location.conninfo != zone._location.conninfo:
        raise WorkspaceError(t("zones.other_database", path=member.path, zone=zone.path))
    zone_id = zone.metadata.get("zone", "")
    known = reference_zones().get(zone_id, {}).get("municipalities", {})
    nis_code = (nis_code or "").strip()
    if not _NIS.match(nis_code) or nis_code not in known:
        choices = ", ".join(f"{k} {v}" for k, v in known.items())
        raise InputError(t("zones.not_in_zone", nis=nis_code, zone=zone_id, known=choices))
    ws = PostgisWorkspace.open(member.path)
    if is_zone(ws):
        raise InputError(t("zones.zone_in_zone", path=ws.path))
    stored = ws.metadata.get("nis_code")
    if stored and stored != nis_code:
        raise InputError(t("zones.nis_mismatch", path=ws.path, stored=stored, nis=nis_code))
    schema = member._location.schema
    with zone.transaction() as con:
        row = con.execute(f"SELECT schema FROM {REGISTRY} WHERE nis_code = ? OR schema = ?",
                          (nis_code, schema)).fetchone()
        if row is not None:
            raise InputError(t("zones.already_registered", nis=nis_code, schema=row[0]))
        con.execute(f"INSERT INTO {REGISTRY} (nis_code, name, schema) VALUES (?, ?, ?)",
                    (nis_code, known[nis_code], schema))
        audit.record(con, actor=actor,  # type: ignore[arg-type]  # a PgConnection
                     action="aangemaakt", subject=REGISTRY, subject_ids=[nis_code],
                     detail=f"gemeente {nis_code} toegevoegd")
    if not stored:
        ws.set_metadata(nis_code=nis_code)
    return {"nis_code": nis_code, "name": known[nis_code], "schema": schema}


def municipality_workspace(zone: PostgisWorkspace, nis_code: str) -> PostgisWorkspace:
    """The workspace of the zone's municipality ``nis_code``; :class:`NotFound` for one the zone does not list."""
    from buurtkaart.pg_workspace import PostgisWorkspace

    found = municipalities(zone)
    match = found[found["nis_code"] == str(nis_code)]
    if match.empty:
        raise NotFound(t("zones.unknown_municipality", nis=nis_code, zone=zone.metadata.get("zone", "")))
    return PostgisWorkspace(_location_of(zone, str(match["schema"].iloc[0])))


# ------------------------------------------------------------------------------------------------ accounts
def zone_user(zone: Workspace, username: str | None) -> User | None:
    """The usable police account ``username`` of the zone (carrying the zone), or None."""
    from buurtkaart.members.accounts import get_user

    zone = _server(zone)
    user = get_user(zone, username)
    if user is None or user.role != "police":
        return None
    return dataclasses.replace(user, zone=zone._location.schema)


def add_police(zone: PostgisWorkspace, username: str, password: str, *, display_name: str = "",
               email: str = "", actor: User | str = audit.CLI_ACTOR) -> User:
    """Create a police account of the zone. Refused when a municipality of the zone has an account of that name
    (the audit lines of both would name the same person)."""
    from buurtkaart.members.accounts import create_user

    name = (username or "").strip().lower()
    for row in municipalities(zone).itertuples():
        with _reader_of(zone, str(row.schema)) as con:
            taken = _records.select(con, "users", where="username = ?", params=[name]) if (
                _records.table_columns(con, "users")) else []
        if taken:
            raise InputError(t("zones.username_taken", username=name, municipality=row.name))
    user = create_user(zone, name, password, role="police", display_name=display_name, email=email, actor=actor)
    return dataclasses.replace(user, zone=zone._location.schema)


def _reader_of(zone: PostgisWorkspace, schema: str) -> Any:
    """A read-only connection to schema ``schema`` of the zone's database."""
    from buurtkaart.pg_workspace import PostgisWorkspace

    return PostgisWorkspace(_location_of(zone, schema)).reader()


# ------------------------------------------------------------------------------------------------ the queue
def screening_queue(zone: PostgisWorkspace, user: User | None) -> pd.DataFrame:
    """The candidates waiting for the police in every municipality of the zone, oldest first, with their
    municipality (``nis_code``, ``municipality``). Each municipality's list is read, and its view audited, in that
    municipality's workspace."""
    from buurtkaart.members import lists as member_lists

    police = acting_user(zone, user, "police")
    frames = []
    for row in municipalities(zone).itertuples():
        queue = member_lists.screening_queue(municipality_workspace(zone, str(row.nis_code)), police)
        frames.append(queue.assign(nis_code=str(row.nis_code), municipality=str(row.name)))
    if not frames:
        return pd.DataFrame(columns=["nis_code", "municipality", *member_lists.COLUMNS["screening"]])
    joined = pd.concat(frames, ignore_index=True)
    columns = ["nis_code", "municipality", *member_lists.COLUMNS["screening"]]
    return joined.sort_values(["applied_on", "nis_code", "member_id"], kind="stable")[columns].reset_index(drop=True)


def export_screening(zone: PostgisWorkspace, user: User | None) -> bytes:
    """The zone's screening queue as UTF-8 CSV (with BOM) with the municipality of each candidate; each
    municipality's part is exported, and audited as an export, in that municipality's workspace."""
    from buurtkaart.exports import csv_bytes
    from buurtkaart.members import lists as member_lists

    police = acting_user(zone, user, "police")
    frames = []
    for row in municipalities(zone).itertuples():
        data = member_lists.export_list(municipality_workspace(zone, str(row.nis_code)), police, "screening")
        part = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
        part.insert(0, "municipality", str(row.name))
        part.insert(0, "nis_code", str(row.nis_code))
        frames.append(part)
    joined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["nis_code", "municipality"])
    return csv_bytes(joined, bom=True)


def screen(zone: PostgisWorkspace, user: User | None, nis_code: str, member_id: str, *, approved: bool,
           reason: str = "", **kwargs: Any) -> None:
    """A zone police decision on candidate ``member_id`` of municipality ``nis_code``, written (and audited) in
    that municipality's workspace (:func:`buurtkaart.members.membership.screen`)."""
    from buurtkaart.members import membership

    membership.screen(municipality_workspace(zone, nis_code), user, member_id, approved=approved, reason=reason,
                      **kwargs)
