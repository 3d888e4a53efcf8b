"""Importing a file into a workspace, all or nothing: :func:`setup_workspace` makes a workspace for one
municipality from a boundary file; :func:`import_file` reads one kind of layer and stores it.

A failed import raises before anything is written, so the workspace stays exactly as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart.errors import InputError, WorkspaceError
from buurtkaart.importers import _validate as v
from buurtkaart.importers._child import ImportLimits, call_in_child
from buurtkaart.importers._guard import GUARD_MIN_ROWS, check_not_shrinking
from buurtkaart.importers.addresses import deelgemeente_of, read_addresses
from buurtkaart.importers.best import is_best_file, read_best_addresses
from buurtkaart.importers.boundaries import read_boundaries, read_municipality
from buurtkaart.importers.flemish_addresses import (
    is_api_file,
    is_register_download,
    read_api_addresses,
    read_register_download,
)
from buurtkaart.importers.infoborden import read_infoborden
from buurtkaart.importers.members import MemberImport, check_nothing_left, read_members, store_members
from buurtkaart.importers.register_changes import RegisterChanges, changes_since_import
from buurtkaart.importers.report import ImportReport
from buurtkaart.importers.streets import outside_for_new_border, read_street_network
from buurtkaart.importers.wegenregister import is_wegenregister_file, read_wegenregister
from buurtkaart.members import audit
from buurtkaart.members.actors import require_staff
from buurtkaart.safe_text import markup_problems
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.workspace import Workspace, is_server_url, location_exists, workspace_at

#: The kinds of layer a file can be imported as.
KINDS = ("municipality", "deelgemeenten", "wijken", "streets", "addresses", "groups", "members", "infoborden")


def setup_workspace(
    boundary_file: str | os.PathLike[str],
    workspace_path: str | os.PathLike[str],
    *,
    municipality: str | None = None,
    layer: str | None = None,
    id_column: str | None = None,
    name_column: str | None = None,
    crs: str | None = None,
    repair: bool = False,
    overwrite: bool = False,
    engine: str = DEFAULT_ENGINE,
    limits: ImportLimits | None = None,
) -> tuple[Workspace, ImportReport]:
    """Create a workspace for one municipality of ``boundary_file`` (code or name in ``municipality``).

    A file with several municipalities and no choice raises an error that lists them. An existing workspace is
    refused unless ``overwrite`` (then it is replaced as a whole, atomically). The file is read in a child process
    within ``limits`` (:func:`prepare_import`).

    Parameters
    ----------
    boundary_file : str or path
        A file with the municipality boundary (or boundaries).
    workspace_path : str or path
        Where to create the workspace (a GeoPackage path or a ``postgresql://`` URL).
    municipality : str, optional
        The NIS code or name of the municipality to take from the file.
    layer, id_column, name_column, crs : str, optional
        The layer and columns of the file, and its CRS when it has none.
    repair : bool, default False
        Repair invalid polygons instead of refusing them.
    overwrite : bool, default False
        Replace a workspace already there.
    engine : str
        The vector I/O engine.
    limits : ImportLimits, optional
        Memory and time limits of the child process.

    Returns
    -------
    tuple of (Workspace, ImportReport)
        The new workspace and what was read.
    """
    path = workspace_path if is_server_url(workspace_path) else Path(workspace_path)
    if location_exists(path) and not overwrite:
        raise WorkspaceError(t("import.workspace_exists", path=path))
    frame, report = call_in_child("buurtkaart.importers.boundaries:read_municipality", {
        "path": Path(boundary_file), "municipality": municipality, "layer": layer, "id_column": id_column,
        "name_column": name_column, "crs": crs, "repair": repair, "engine": engine}, limits=limits)
    row = frame.iloc[0]
    ws = Workspace.create(path, {"municipality": frame}, municipality=str(row["name"]), fictional=False,
                          metadata={"municipality_code": str(row["code"])}, overwrite=overwrite)
    return ws, report


@dataclass
class PreparedImport:
    """A file read and checked, not yet stored: look at ``report`` and ``frame``, then call :meth:`store`.

    ``extra`` holds the other layers the import stores with it (the roads beyond the border for streets, recut to a
    new municipal border); ``members`` the member list as read (added to, or for an export read back, merged with the
    stored members).
    """

    kind: str
    frame: pd.DataFrame
    report: ImportReport
    extra: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    workspace: Workspace | None = field(default=None, repr=False)
    actor: Any = field(default=audit.CLI_ACTOR, repr=False)
    members: MemberImport | None = field(default=None, repr=False)
    #: For addresses: what changed since the last import (None for a first import and other kinds).
    changes: RegisterChanges | None = None

    def store(self) -> ImportReport:
        """Write the prepared layer into the workspace (all or nothing) and return the report."""
        if self.workspace is None:
            raise WorkspaceError(t("import.no_workspace"))
        _store(self.workspace, self)
        return self.report


def prepare_import(
    workspace: Workspace,
    kind: str,
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    columns: dict[str, str] | None = None,
    crs: str | None = None,
    repair: bool = False,
    tolerance_m: float = v.DEFAULT_TOLERANCE_M,
    municipality: str | None = None,
    sheet: str | None = None,
    actor: Any = audit.CLI_ACTOR,
    force: bool = False,
    remove_missing: bool = False,
    engine: str = DEFAULT_ENGINE,
    limits: ImportLimits | None = None,
) -> PreparedImport:
    """Read and check ``path`` as layer ``kind`` (one of :data:`KINDS`); nothing is written yet.

    ``engine`` reads vector files through ``"pyogrio"`` (default) or ``"fiona"`` (:mod:`buurtkaart.vector_io`).

    ``columns`` maps fields to column names (``id`` and ``name`` for boundaries; see each reader). Stored, members
    of a member list are added to the existing ones (people already present are skipped); a members export (with
    ``member_id``) adds and updates members and keeps those missing from the file unless ``remove_missing`` (then
    they are erased); every other kind replaces its layer.
    Addresses come with :attr:`PreparedImport.changes`: what changed since the stored register (new, gone and
    moved addresses, members at a gone address; :mod:`buurtkaart.importers.register_changes`). Storing
    deelgemeenten also refreshes the ``deelgemeente`` column of stored addresses and streets; storing
    groups saves a new version of the groups (:func:`buurtkaart.boundaries.history.save_groups`).

    A file that would drop or replace most of a stored layer (fewer than half of its records kept) is refused
    unless ``force``: a file that repeats one address must not silently replace thousands.

    Reading and checking run in a child process with a memory and a time limit (``limits``, default
    :meth:`ImportLimits.from_env`: 1.5 GiB and 120 s), so that one file cannot slow the app for everyone; a file
    beyond them is refused in Dutch and nothing is written. :meth:`PreparedImport.store` writes in this process.
    """
    actor = require_staff(workspace, actor)  # imports change whole layers or add members: staff or the command line
    columns = dict(columns or {})
    if kind not in KINDS:
        raise InputError(t("import.unknown_kind", kind=kind, known=", ".join(KINDS)))
    unknown = sorted(set(columns) - set(column_fields(kind)))
    if unknown:
        raise InputError(t("import.unknown_fields", fields=", ".join(unknown), kind=kind,
                           known=", ".join(column_fields(kind))))
    options = {"layer": layer, "columns": columns, "crs": crs, "repair": repair, "tolerance_m": tolerance_m,
               "municipality": municipality, "sheet": sheet, "force": force, "remove_missing": remove_missing,
               "engine": engine}
    frame, report, extra, members = call_in_child("buurtkaart.importers.run:read_checked", {
        "location": workspace.child_location(), "kind": kind, "path": Path(path), "options": options},
        limits=limits)
    # the comparison with the stored register reads (and audits the reading of) members: here, as the actor
    changes = changes_since_import(workspace, frame, actor=actor) if kind == "addresses" else None
    return PreparedImport(kind, frame, report, extra, workspace=workspace, actor=actor, members=members,
                          changes=changes)


def read_checked(location: str, kind: str, path: Path, options: dict[str, Any]
                 ) -> tuple[pd.DataFrame, ImportReport, dict[str, pd.DataFrame], MemberImport | None]:
    """Read and check ``path`` as layer ``kind`` against the workspace at ``location`` (the child's part of
    :func:`prepare_import`, which gives the options): the layer, its report, the other layers stored with it and,
    for members, the member list as read."""
    workspace = workspace_at(location)
    source, columns, engine = Path(path), options["columns"], options["engine"]
    layer, crs, tolerance_m = options["layer"], options["crs"], options["tolerance_m"]
    extra: dict[str, pd.DataFrame] = {}
    members: MemberImport | None = None
    if kind == "municipality":
        frame, report = read_municipality(source, municipality=options["municipality"], layer=layer, crs=crs,
                                          repair=options["repair"], engine=engine,
                                          id_column=columns.get("id"), name_column=columns.get("name"))
        if len(workspace.read("streets_outside", columns=["street_id"])):  # cut to the new border, same write
            extra["streets_outside"] = outside_for_new_border(workspace, shapely.union_all(frame.geometry.values))
            report.note("import.note.outside_recomputed", count=len(extra["streets_outside"]))
    elif kind in ("deelgemeenten", "wijken", "groups"):
        frame, report = read_boundaries(source, kind=kind, workspace=workspace, layer=layer, crs=crs,
                                        repair=options["repair"], id_column=columns.get("id"),
                                        name_column=columns.get("name"), tolerance_m=tolerance_m, engine=engine)
    elif kind == "streets":  # the streets, and the roads beyond the border for the infobord entries
        if not columns and is_wegenregister_file(source):  # the Flemish road register, recognised by its fields
            frame, outside, report = read_wegenregister(source, workspace=workspace, layer=layer,
                                                        tolerance_m=tolerance_m, engine=engine)
        else:
            frame, outside, report = read_street_network(source, workspace=workspace, layer=layer, columns=columns,
                                                         crs=crs, tolerance_m=tolerance_m, engine=engine)
        extra["streets_outside"] = outside
    elif kind == "addresses":
        if not columns and is_best_file(source):  # BOSA's BeST-Address CSV, recognised by its header
            frame, report = read_best_addresses(source, workspace=workspace, tolerance_m=tolerance_m)
        elif not columns and is_api_file(source):  # Basisregisters Vlaanderen API v2, as `fetch` saves it
            frame, report = read_api_addresses(source, workspace=workspace, tolerance_m=tolerance_m)
        elif not columns and is_register_download(source):  # the Adressenregister download (GeoPackage, shapefile)
            frame, report = read_register_download(source, workspace=workspace, layer=layer, tolerance_m=tolerance_m,
                                                   engine=engine)
        else:
            frame, report = read_addresses(source, workspace=workspace, layer=layer, columns=columns, crs=crs,
                                           tolerance_m=tolerance_m, engine=engine)
    elif kind == "infoborden":  # the file is the layer: what `export infoborden` writes, in any format
        frame, report = read_infoborden(source, workspace=workspace, layer=layer, crs=crs, sheet=options["sheet"],
                                        engine=engine)
    else:
        members = read_members(source, workspace, columns=columns, sheet=options["sheet"], layer=layer, crs=crs,
                               force=options["force"], remove_missing=options["remove_missing"], engine=engine)
        check_nothing_left(members)
        frame, report = members.frame, members.report
    if kind not in ("municipality", "members"):
        _check_not_shrinking(workspace, kind, frame, force=options["force"])
    refuse_markup(frame, source=report.source)
    return frame, report, extra, members


def _store(workspace: Workspace, prepared: PreparedImport) -> None:
    """Store ``prepared`` in one transaction (in the caller's process, under the workspace lock)."""
    kind, frame = prepared.kind, prepared.frame
    if kind == "municipality":
        row = frame.iloc[0]
        meta = {**workspace.metadata, "municipality": str(row["name"]), "municipality_code": str(row["code"])}
        workspace.write({"municipality": frame,
                         "metadata": pd.DataFrame({"key": list(meta), "value": list(meta.values())}),
                         **prepared.extra})
    elif kind == "groups":
        from buurtkaart.boundaries.history import save_groups

        author, _ = audit.actor_of(prepared.actor)
        save_groups(workspace, frame, author=author, reason=t("import.groups_reason", source=prepared.report.source))
    elif kind == "deelgemeenten":
        workspace.write({"deelgemeenten": frame, **_refreshed_deelgemeenten(workspace, frame)})
    elif kind == "members":
        store_members(workspace, prepared.members or MemberImport(frame, prepared.report), actor=prepared.actor)
    else:
        workspace.write({kind: frame, **prepared.extra})


#: Columns of imported layers that hold names people read (in maps, lists and the resident's answer).
NAME_COLUMNS = ("name", "street", "road_name", "address_text")


def refuse_markup(frame: pd.DataFrame, *, source: str) -> None:
    """Refuse names that hold HTML, an entity, a Markdown link or image or a script URL (an OpenStreetMap name can be
    edited by anyone): they are shown as text anyway, but a municipality's data should not carry them. Every such
    name is listed, with how to fix it.

    >>> refuse_markup(pd.DataFrame({"name": ["Centrum", "<img src=x onerror=alert(1)>"]}), source="groepen.geojson")
    Traceback (most recent call last):
    ...
    buurtkaart.errors.InputError: Het bestand groepen.geojson bevat een naam met opmaak of code ...
    """
    found = [value for column in NAME_COLUMNS if column in frame.columns
             for value in markup_problems(frame[column].dropna().astype(str).unique())]
    if found:
        raise InputError(t("import.markup_in_names", source=source, count=len(found)),
                         problems=[t("import.markup_example", value=value) for value in found[:10]])


def column_fields(kind: str) -> tuple[str, ...]:
    """The fields whose column can be chosen (``columns={field: column}``) for an import of ``kind``.

    >>> column_fields("wijken")
    ('id', 'name')
    """
    from buurtkaart.importers import addresses, members, streets

    coordinates = ("lat", "lon", "x", "y")
    return {"addresses": (*addresses._ALIASES, *coordinates), "streets": tuple(streets._ALIASES),
            "members": tuple(members._ALIASES), "infoborden": ()}.get(kind, ("id", "name"))


def import_file(workspace: Workspace, kind: str, path: str | os.PathLike[str], **options: Any) -> ImportReport:
    """Read, check (in a child process) and store ``path`` as layer ``kind`` in one go (options of
    :func:`prepare_import`).

    Parameters
    ----------
    workspace : Workspace
        The workspace to store into.
    kind : str
        The layer to import (one of :data:`KINDS`: ``addresses``, ``streets``, ``members``...).
    path : str or path
        The file to read.
    **options
        The options of :func:`prepare_import` (``layer``, ``columns``, ``crs``, ``force``...).

    Returns
    -------
    ImportReport
        What was kept and what was left out, and why.
    """
    return prepare_import(workspace, kind, path, **options).store()


def _check_not_shrinking(workspace: Workspace, kind: str, frame: pd.DataFrame, *, force: bool) -> None:
    """Refuse (unless ``force``) a new layer that keeps fewer than half of the stored records (by key)."""
    key = LAYERS[kind].key
    if force or key is None:
        return
    stored = workspace.read(kind, columns=[key])
    if len(stored) < GUARD_MIN_ROWS:  # not worth reading the keys
        return
    check_not_shrinking(kind, stored=len(stored), kept=int(stored[key].isin(frame[key]).sum()), new=len(frame),
                        force=force)


def _refreshed_deelgemeenten(workspace: Workspace, parts: gpd.GeoDataFrame) -> dict[str, pd.DataFrame]:
    """Stored addresses and streets with their deelgemeente recomputed from the new deelgemeenten."""
    out: dict[str, pd.DataFrame] = {}
    for name in ("addresses", "streets"):
        frame = workspace.read(name)
        if frame.empty:
            continue
        points = frame.geometry if name == "addresses" else frame.geometry.interpolate(0.5, normalized=True)
        frame["deelgemeente"] = deelgemeente_of(points, parts)
        out[name] = frame
    return out
