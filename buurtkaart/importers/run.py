"""Importing a file into a workspace, all or nothing: :func:`setup_workspace` makes a workspace for one
municipality from a boundary file; :func:`import_file` reads one kind of layer and stores it.

A failed import raises before anything is written, so the workspace stays exactly as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart import audit
from buurtkaart.actors import require_staff
from buurtkaart.errors import InputError, WorkspaceError
from buurtkaart.importers import _validate as v
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
from buurtkaart.importers.members import check_nothing_left, read_members, store_members
from buurtkaart.importers.register_changes import RegisterChanges, changes_since_import
from buurtkaart.importers.report import ImportReport
from buurtkaart.importers.streets import outside_for_new_border, read_street_network
from buurtkaart.importers.wegenregister import is_wegenregister_file, read_wegenregister
from buurtkaart.safe_text import markup_problems
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.workspace import Workspace, is_server_url, location_exists

_GUARD_MIN_ROWS = 10
_GUARD_SHARE = 0.5

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
) -> tuple[Workspace, ImportReport]:
    """Create a workspace for one municipality of ``boundary_file`` (code or name in ``municipality``).

    A file with several municipalities and no choice raises an error that lists them. An existing workspace is
    refused unless ``overwrite`` (then it is replaced as a whole, atomically).
    """
    path = workspace_path if is_server_url(workspace_path) else Path(workspace_path)
    if location_exists(path) and not overwrite:
        raise WorkspaceError(t("import.workspace_exists", path=path))
    frame, report = read_municipality(Path(boundary_file), municipality=municipality, layer=layer, id_column=id_column,
                                      name_column=name_column, crs=crs, repair=repair, engine=engine)
    row = frame.iloc[0]
    ws = Workspace.create(path, {"municipality": frame}, municipality=str(row["name"]), fictional=False,
                          metadata={"municipality_code": str(row["code"])}, overwrite=overwrite)
    return ws, report


@dataclass
class PreparedImport:
    """A file read and checked, not yet stored: look at ``report`` and ``frame``, then call :meth:`store`."""

    kind: str
    frame: pd.DataFrame
    report: ImportReport
    _store: Callable[[], object] = field(repr=False)
    #: For addresses: what changed since the last import (None for a first import and other kinds).
    changes: RegisterChanges | None = None

    def __post_init__(self) -> None:
        refuse_markup(self.frame, source=self.report.source)

    def store(self) -> ImportReport:
        """Write the prepared layer into the workspace (all or nothing) and return the report."""
        self._store()
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
    """
    actor = require_staff(workspace, actor)  # imports change whole layers or add members: staff or the command line
    columns = dict(columns or {})
    source = Path(path)
    if kind not in KINDS:
        raise InputError(t("import.unknown_kind", kind=kind, known=", ".join(KINDS)))
    unknown = sorted(set(columns) - set(column_fields(kind)))
    if unknown:
        raise InputError(t("import.unknown_fields", fields=", ".join(unknown), kind=kind,
                           known=", ".join(column_fields(kind))))
    if kind == "municipality":
        frame, report = read_municipality(source, municipality=municipality, layer=layer, crs=crs, repair=repair,
                                          engine=engine,
                                          id_column=columns.get("id"), name_column=columns.get("name"))
        row = frame.iloc[0]
        meta = {**workspace.metadata, "municipality": str(row["name"]), "municipality_code": str(row["code"])}
        layers = {"municipality": frame, "metadata": pd.DataFrame({"key": list(meta), "value": list(meta.values())})}
        if len(workspace.read("streets_outside", columns=["street_id"])):  # cut to the new border, same write
            layers["streets_outside"] = outside_for_new_border(workspace, shapely.union_all(frame.geometry.values))
            report.note("import.note.outside_recomputed", count=len(layers["streets_outside"]))
        return PreparedImport(kind, frame, report, lambda: workspace.write(layers))
    if kind in ("deelgemeenten", "wijken", "groups"):
        frame, report = read_boundaries(source, kind=kind, workspace=workspace, layer=layer, crs=crs, repair=repair,
                                        id_column=columns.get("id"), name_column=columns.get("name"),
                                        tolerance_m=tolerance_m, engine=engine)
        _check_not_shrinking(workspace, kind, frame, force=force)
        if kind == "groups":
            from buurtkaart.boundaries.history import save_groups

            author, _ = audit.actor_of(actor)
            reason = t("import.groups_reason", source=source.name)
            return PreparedImport(kind, frame, report,
                                  lambda: save_groups(workspace, frame, author=author, reason=reason))
        if kind == "deelgemeenten":
            return PreparedImport(kind, frame, report, lambda: workspace.write(
                {"deelgemeenten": frame, **_refreshed_deelgemeenten(workspace, frame)}))
        return PreparedImport(kind, frame, report, lambda: workspace.write({kind: frame}))
    if kind == "streets":  # the streets, and the roads beyond the border for the infobord entries
        if not columns and is_wegenregister_file(source):  # the Flemish road register, recognised by its fields
            frame, outside, report = read_wegenregister(source, workspace=workspace, layer=layer,
                                                        tolerance_m=tolerance_m, engine=engine)
        else:
            frame, outside, report = read_street_network(source, workspace=workspace, layer=layer, columns=columns,
                                                         crs=crs, tolerance_m=tolerance_m, engine=engine)
        _check_not_shrinking(workspace, kind, frame, force=force)
        return PreparedImport(kind, frame, report,
                              lambda: workspace.write({"streets": frame, "streets_outside": outside}))
    if kind == "addresses":
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
        _check_not_shrinking(workspace, kind, frame, force=force)
        return PreparedImport(kind, frame, report, lambda: workspace.write({kind: frame}),
                              changes=changes_since_import(workspace, frame, actor=actor))
    if kind == "infoborden":  # the file is the layer: what `export infoborden` writes, in any format
        frame, report = read_infoborden(source, workspace=workspace, layer=layer, crs=crs, sheet=sheet, engine=engine)
        _check_not_shrinking(workspace, kind, frame, force=force)
        return PreparedImport(kind, frame, report, lambda: workspace.write({kind: frame}))
    members = read_members(source, workspace, columns=columns, sheet=sheet, layer=layer, crs=crs, force=force,
                           remove_missing=remove_missing, engine=engine)
    check_nothing_left(members)
    return PreparedImport(kind, members.frame, members.report,
                          lambda: store_members(workspace, members, actor=actor))


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
    """Read, check and store ``path`` as layer ``kind`` in one go (options of :func:`prepare_import`)."""
    return prepare_import(workspace, kind, path, **options).store()


def _check_not_shrinking(workspace: Workspace, kind: str, frame: pd.DataFrame, *, force: bool) -> None:
    """Refuse (unless ``force``) a new layer that keeps fewer than half of the stored records (by key)."""
    key = LAYERS[kind].key
    if force or key is None:
        return
    stored = workspace.read(kind, columns=[key])
    if len(stored) < _GUARD_MIN_ROWS:
        return
    kept = int(stored[key].isin(frame[key]).sum())
    if kept >= _GUARD_SHARE * len(stored):
        return
    raise InputError(t("import.would_shrink", kind=kind, stored=len(stored)),
                     problems=[t("import.would_shrink_counts", stored=len(stored), kept=kept, new=len(frame)),
                               t("import.would_shrink_fix")])


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
