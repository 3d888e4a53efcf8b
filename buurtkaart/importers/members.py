"""Members from the list a municipality or a coordinator keeps: CSV or Excel with name, phone, e-mail and the
address as text (one column, or street + house number + postcode columns). A file with a ``member_id`` column (a
members export of buurtkaart, in any format) is the members layer itself: :mod:`.member_layer` reads it.

Addresses are found with the address lookup (:class:`buurtkaart.geocoding.lookup.AddressIndex`) and the group with
:func:`buurtkaart.assignment.points.assign_points`. A member whose address is not found is still imported (without
a point,
``assign_status`` ``geen_punt``) so that nobody is lost; staff see them in their queue. The list is personal data:
the report names rows by number only, and the import writes one audit line with the new member ids.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart import _records
from buurtkaart.errors import InputError
from buurtkaart.importers import _validate as v
from buurtkaart.importers._layer_file import has_column, read_file
from buurtkaart.importers.member_layer import read_member_layer, store_member_layer
from buurtkaart.importers.report import ImportReport
from buurtkaart.members import audit
from buurtkaart.members.membership import normalise_phone
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.vocabulary import MEMBER_STATUSES, AddressStatus, MemberStatus
from buurtkaart.workspace import Workspace

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "volledige naam", "lid", "deelnemer"),
    "first_name": ("voornaam", "first_name", "firstname"),
    "last_name": ("achternaam", "familienaam", "last_name", "lastname", "surname"),
    "phone": ("phone", "telefoon", "gsm", "tel", "telefoonnummer", "mobiel", "gsm-nummer"),
    "email": ("email", "e-mail", "mail", "e-mailadres", "emailadres"),
    "address": ("address_text", "adres", "address", "volledig adres"),
    "street": ("straat", "street", "straatnaam"),
    "housenumber": ("huisnummer", "nr", "nummer", "housenumber", "huisnr"),
    "postcode": ("postcode", "post_code", "zip"),
    "status": ("status",),
    "since": ("lid sinds", "lid_sinds", "since", "added_on", "datum"),
}
_OPTIONAL = tuple(k for k in _ALIASES if k not in ("phone",))
_PHONE = re.compile(r"^\+?[0-9]{8,15}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")


@dataclass(frozen=True)
class MemberImport:
    """Members read from a list, ready to store: ``frame`` (members columns, geometry may be missing).
    ``replace``: the frame is the whole members layer (an export read back), not people to add."""

    frame: gpd.GeoDataFrame
    report: ImportReport
    replace: bool = False
    remove_missing: bool = False


def read_members(
    path: str | Path,
    workspace: Workspace,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    default_status: str = MemberStatus.LID,
    today: dt.date | None = None,
    layer: str | None = None,
    crs: str | None = None,
    force: bool = False,
    remove_missing: bool = False,
    engine: str = DEFAULT_ENGINE,
) -> MemberImport:
    """Read a member list and find each address and group in ``workspace`` (nothing is written yet).

    ``columns`` maps ``name``, ``phone``, ``email``, ``address`` (or ``street``, ``housenumber``, ``postcode``),
    ``status`` and ``since`` to column names where the usual names are not found. Rows without status get
    ``default_status``. Every problem of every row is reported at once.

    A file with a ``member_id`` column (and no ``columns`` chosen) is an export of the members layer: it is read
    whole, workflow fields included (:mod:`.member_layer`): new people are added, changed ones updated, unchanged
    ones left alone; stored people missing from the file are kept unless ``remove_missing`` (then erased;
    ``force`` lets that drop most stored members). ``crs`` sets the CRS of a file without one.
    """
    path = Path(path)
    report = ImportReport(kind="members", source=path.name)
    problems = v.Problems()
    table = read_file(path, report, layer=layer, sheet=sheet, preferred=("members", "leden"), engine=engine)
    if not columns and has_column(table, "member_id"):
        return read_member_layer(table, workspace, report, crs=crs, force=force, remove_missing=remove_missing)
    fields = v.find_columns(table, _ALIASES, problems, chosen=dict(columns or {}), optional=_OPTIONAL)
    names = _names(table, fields)
    addresses = _address_texts(table, fields)
    if names is None:
        problems.add(t("import.missing_column", field="name", aliases=", ".join(_ALIASES["name"]),
                       found=", ".join(map(str, table.columns))))
    if addresses is None:
        problems.add(t("import.members_no_address", found=", ".join(map(str, table.columns))))
    if default_status not in MEMBER_STATUSES:
        problems.add(t("import.members_bad_status", rows="--status", known=", ".join(MEMBER_STATUSES)))
    problems.raise_if_any(report.source)
    assert names is not None and addresses is not None
    frame = pd.DataFrame({"name": names, "address_text": addresses, "phone": _column(table, fields, "phone"),
                          "email": _column(table, fields, "email").str.lower(),
                          "status": _column(table, fields, "status").str.lower().fillna(default_status),
                          "since": _column(table, fields, "since")}, index=table.index)
    frame["phone"] = frame["phone"].map(normalise_phone, na_action="ignore").astype("str")
    _row_problems(frame, problems)
    problems.raise_if_any(report.source)
    if workspace.read("addresses", columns=["address_id"]).empty:  # nobody could be placed: import those first
        raise InputError(t("import.members_before_addresses", source=report.source),
                         problems=[t("import.members_before_addresses_fix")])
    frame["since"] = iso_dates(frame["since"])[0]  # stored as ISO, so that the retention period can count
    located = _drop_known(_locate(frame, workspace, report), workspace, report)
    report.kept = len(located)
    return MemberImport(located, report)


def store_members(workspace: Workspace, members: MemberImport, *, actor: object = audit.CLI_ACTOR) -> list[str]:
    """Insert the members of :func:`read_members` in one transaction with one audit line; returns their ids.
    An exported layer read back (``members.replace``) updates the stored members instead."""
    if members.replace:
        return store_member_layer(workspace, members, actor=actor)
    ids: list[str] = []
    with workspace.transaction() as con:
        _records.ensure_table(con, "members")
        for _, row in members.frame.iterrows():
            values = {k: (None if pd.isna(row[k]) else row[k]) for k in members.frame.columns if k != "geometry"}
            geometry = row.geometry if isinstance(row.geometry, shapely.Geometry) else None
            _records.insert(con, "members", values, geometry=geometry)
            ids.append(str(row["member_id"]))
        audit.record(con, actor=actor, action="aangemaakt", subject="members",  # type: ignore[arg-type]
                     subject_ids=ids, detail=f"import uit {members.report.source}")
    return ids


_column = v.field_text


def _names(table: pd.DataFrame, fields: Mapping[str, str | None]) -> pd.Series | None:
    if fields.get("name"):
        return _column(table, fields, "name")
    if fields.get("first_name") or fields.get("last_name"):
        both = _column(table, fields, "first_name").fillna("") + " " + _column(table, fields, "last_name").fillna("")
        both = both.str.strip()
        return both.where(both != "", pd.NA)
    return None


def _address_texts(table: pd.DataFrame, fields: Mapping[str, str | None]) -> pd.Series | None:
    if fields.get("address"):
        return _column(table, fields, "address")
    if fields.get("street"):
        text = (_column(table, fields, "street").fillna("") + " " + _column(table, fields, "housenumber").fillna("")
                + ", " + _column(table, fields, "postcode").fillna(""))
        text = text.str.strip(" ,")
        return text.where(text != "", pd.NA)
    return None


def iso_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``values`` as ISO dates (``YYYY-MM-DD``) from ISO, ``31/12/2019``, ``31-12-2019`` or ``31.12.2019`` (day
    first, as in Belgium), and which non-empty values are no such date (``jan 2019``, ``31/02/2019``).

    >>> iso, bad = iso_dates(pd.Series(["2019-12-31", "31/12/2019", "jan 2019", None]))
    >>> iso.tolist(), bad.tolist()
    (['2019-12-31', '2019-12-31', nan, nan], [False, False, True, False])
    """
    text = values.astype("str").str.strip()
    parsed = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        parsed = parsed.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
    iso = parsed.dt.strftime("%Y-%m-%d").astype(object).where(parsed.notna(), np.nan)
    return iso, values.notna() & (text != "") & parsed.isna()


def _row_problems(frame: pd.DataFrame, problems: v.Problems) -> None:
    def rows(mask: pd.Series) -> str:
        numbers = [str(_line(label)) for label in mask.index[mask.to_numpy(dtype=bool)]]
        return ", ".join(numbers[:10]) + (" ..." if len(numbers) > 10 else "")

    checks = [
        (frame["name"].isna(), "import.members_no_name"),
        (frame["address_text"].isna(), "import.members_no_address_rows"),
        (frame["phone"].notna() & ~frame["phone"].fillna("").str.match(_PHONE), "import.members_bad_phone"),
        (frame["email"].notna() & ~frame["email"].fillna("").str.match(_EMAIL), "import.members_bad_email"),
        (iso_dates(frame["since"])[1], "import.members_bad_date"),
    ]
    for mask, key in checks:
        if mask.any():
            problems.add(t(key, rows=rows(mask)))
    bad_status = ~frame["status"].isin(MEMBER_STATUSES)
    if bad_status.any():
        problems.add(t("import.members_bad_status", rows=rows(bad_status), known=", ".join(MEMBER_STATUSES)))


def _drop_known(frame: gpd.GeoDataFrame, workspace: Workspace, report: ImportReport) -> gpd.GeoDataFrame:
    """Leave out people already in the workspace or twice in the list: same name and same address (the register
    address where found, else the address text)."""

    def keys(rows: pd.DataFrame) -> list[tuple[str, str]]:
        where = rows["address_id"].where(rows["address_id"].notna(), rows["address_text"].str.casefold())
        return list(zip(rows["name"].str.casefold(), where.astype(str), strict=True))

    known = set(keys(workspace.read("members", columns=["name", "address_text", "address_id"])))
    key = keys(frame)
    seen = pd.Series([k in known for k in key], index=frame.index) | pd.Series(key, index=frame.index).duplicated()
    report.drop("import.reason.member_duplicate", int(seen.sum()),
                examples=[t("import.row", row=_line(label)) for label in frame.index[seen.to_numpy(dtype=bool)]])
    return frame.loc[~seen.to_numpy(dtype=bool)]


def _locate(frame: pd.DataFrame, workspace: Workspace, report: ImportReport) -> gpd.GeoDataFrame:
    from buurtkaart.assignment.points import assign_points
    from buurtkaart.geocoding.lookup import FOUND, AddressIndex

    found = AddressIndex.from_workspace(workspace).lookup_many(frame["address_text"])
    ok = found["status"].isin(list(FOUND))
    report.note("import.note.geocoded_lookup", found=int(ok.sum()), missing=int((~ok).sum()))
    geometry = gpd.GeoSeries([g if good else None for g, good in zip(found.geometry, ok, strict=True)],
                             index=frame.index, crs=WORKING_CRS)
    groups = workspace.read("groups")
    group_id = pd.Series(pd.NA, index=frame.index, dtype="str")
    status = pd.Series(AddressStatus.GEEN_PUNT, index=frame.index, dtype="str")
    if ok.any():
        if groups.empty:
            status[ok] = AddressStatus.NIET_GEDEKT
        else:
            municipality = workspace.read("municipality")
            assigned = assign_points(gpd.GeoSeries(geometry[ok], crs=WORKING_CRS), groups,
                                     municipality_area=None if municipality.empty else municipality)
            group_id[ok] = assigned["group_id"].astype("str")
            status[ok] = assigned["status"].astype("str")
    today = dt.date.today().isoformat()
    since = frame["since"].where(frame["since"].notna(), today)
    is_member = frame["status"] == MemberStatus.LID
    label = found["street"].fillna("") + " " + found["housenumber"].fillna("") + ", " + found["postcode"].fillna("")
    label = label.str.strip(" ,")
    housenumber = pd.to_numeric(found["housenumber"].str.extract(r"^(\d+)", expand=False), errors="coerce")
    out = pd.DataFrame({
        "member_id": ["m-" + uuid.uuid4().hex[:12] for _ in range(len(frame))],
        "name": frame["name"], "phone": frame["phone"], "email": frame["email"],
        "address_text": label.where(ok, frame["address_text"]),
        "address_id": found["address_id"].where(ok), "group_id": group_id, "status": frame["status"],
        "applied_on": since, "status_on": since, "street": found["street"].where(ok),
        "housenumber": housenumber.where(ok).astype("Int64"), "assign_status": status,
        "added_on": since.where(is_member), "added_by": pd.Series(audit.CLI_ACTOR, index=frame.index).where(is_member),
        "status_by": audit.CLI_ACTOR,
    }, index=frame.index)
    if not frame.empty and (~ok).any():
        report.note("import.note.members_not_found",
                    rows=", ".join(str(_line(label)) for label in frame.index[~ok.to_numpy(dtype=bool)])[:200])
    return gpd.GeoDataFrame(out, geometry=geometry.values, crs=WORKING_CRS)


def _line(label: object) -> int:
    """The line in the file of a row (the header is line 1)."""
    text = str(label)
    return int(text) + 2 if text.isdigit() else 0


def check_nothing_left(members: MemberImport) -> None:
    """Refuse an import that would add nobody (every row already known)."""
    if members.frame.empty:
        raise InputError(t("import.nothing_left", kind="members", source=members.report.source),
                         problems=members.report.reason_lines())
