"""Copy a whole workspace between backends (GeoPackage ⇄ PostGIS), so a municipality can start on a file and move
to a server, or take a server workspace home as one file.

Every layer, every extra column, the metadata (schema version, municipality, creation date) and the audit log go
across unchanged. The copy itself is recorded in the source's audit log first (it carries personal data), so the
destination holds that line too. The destination is written in one piece (:meth:`Workspace.create`) and then
counted layer by layer against the source.
"""

from __future__ import annotations

import os

import pandas as pd

from buurtkaart.errors import WorkspaceError
from buurtkaart.members import audit
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, location_exists, workspace_at


def copy_workspace(
    source: str | os.PathLike[str], target: str | os.PathLike[str], *, overwrite: bool = False
) -> dict[str, int]:
    """Copy the workspace at ``source`` to ``target`` (either may be a file or a ``postgresql://`` URL).

    Returns the number of rows per layer. Refuses an existing ``target`` unless ``overwrite``.
    """
    src = Workspace.open(source)
    dst_label = workspace_at(target).path
    if str(dst_label) == str(src.path):
        raise WorkspaceError(t("workspace.copy_same", path=src.path))
    if location_exists(target) and not overwrite:
        raise WorkspaceError(t("workspace.copy_exists", path=dst_label))
    with src.transaction() as con:
        audit.record(con, actor=audit.CLI_ACTOR, action="geexporteerd", subject="workspace",
                     detail="volledige kopie naar een andere werkruimte")
    names = [n for n in src.layer_names() if n != "metadata"]
    layers: dict[str, pd.DataFrame] = {name: src.read(name) for name in names}
    meta = src.metadata
    dst = Workspace.create(target, layers, municipality=meta.get("municipality", ""),
                           fictional=meta.get("fictional") == "true", metadata=meta, overwrite=True)
    counts = {name: len(frame) for name, frame in layers.items()}
    stored = {str(row["layer"]): int(str(row["features"])) for row in dst.info()}
    wrong = [name for name, count in counts.items() if stored.get(name, 0 if name in LAYERS else -1) != count]
    if wrong:
        raise WorkspaceError(t("workspace.copy_incomplete", path=dst.path, layers=", ".join(wrong)))
    return counts
