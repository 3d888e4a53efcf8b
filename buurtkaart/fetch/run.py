"""``fetch_municipality``: a NEW workspace for one Flemish municipality from the public download services (its
boundary, its addresses, its streets and the roads within 1 km beyond its border), with a report.

Everything is built in a temporary folder; the workspace is created at its place only when every step succeeded
(one atomic create), so a failure (service down, timeout, unknown NIS code, a page that is no JSON) leaves nothing
behind. The answers of the services are cached (``~/.cache/buurtkaart``), so a second run asks nothing twice.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import shapely

from buurtkaart.errors import InputError, WorkspaceError
from buurtkaart.fetch._http import HttpClient, default_cache_dir
from buurtkaart.fetch.services import (
    Progress,
    Services,
    fetch_addresses,
    fetch_boundary,
    fetch_streets,
    no_progress,
)
from buurtkaart.importers import ImportReport, municipality_area, prepare_import, setup_workspace
from buurtkaart.importers.streets import MARGIN_M
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, location_exists, workspace_at

_CRS_31370 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}}


@dataclass
class FetchReport:
    """What a fetch did: the municipality, the import report of each layer, the requests made and the time."""

    municipality: str
    code: str
    path: str
    reports: list[ImportReport] = field(default_factory=list)
    requests: int = 0
    cache_hits: int = 0
    seconds: float = 0.0

    def text(self) -> str:
        """The report as Dutch text: a summary line, then each layer's import report."""
        head = t("fetch.report.summary", municipality=self.municipality, code=self.code, path=self.path,
                 requests=self.requests, cache_hits=self.cache_hits, seconds=round(self.seconds, 1))
        return "\n\n".join([head, *(report.text() for report in self.reports)])

    def to_dict(self) -> dict[str, object]:
        """The report as plain data (``--json``)."""
        return {"municipality": self.municipality, "code": self.code, "path": self.path,
                "requests": self.requests, "cache_hits": self.cache_hits, "seconds": round(self.seconds, 1),
                "layers": [report.to_dict() for report in self.reports]}


@functools.lru_cache(maxsize=1)
def municipalities() -> dict[str, str]:
    """NIS code by name (``reference/municipalities.csv``)."""
    with resources.files("buurtkaart.reference").joinpath("municipalities.csv").open(encoding="utf-8") as fh:
        return {row["name"]: row["nis_code"] for row in csv.DictReader(fh)}


def resolve_municipality(text: str) -> tuple[str, str | None]:
    """The NIS code (and the name, when known) of a 5-digit code or a municipality's name.

    >>> resolve_municipality("23002"), resolve_municipality(" asse ")
    (('23002', 'Asse'), ('23002', 'Asse'))
    """
    value = text.strip()
    by_code = {code: name for name, code in municipalities().items()}
    if value.isdigit() and len(value) == 5:
        return value, by_code.get(value)
    wanted = _plain(value)
    for name, code in municipalities().items():
        if _plain(name) == wanted:
            return code, name
    raise InputError(t("fetch.unknown_name", name=value),
                     problems=[t("fetch.known_names", names=", ".join(sorted(municipalities())))])


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().replace(" ", "")


def fetch_municipality(
    municipality: str,
    workspace: str | os.PathLike[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    timeout_s: float | None = None,
    retries: int | None = None,
    backoff_s: float | None = None,
    progress: Progress = no_progress,
    on_step: Callable[[str], None] | None = None,
) -> FetchReport:
    """Fetch the boundary, addresses and streets of ``municipality`` (NIS code or name) into a new workspace."""
    started = time.monotonic()
    code, name = resolve_municipality(municipality)
    target = workspace_at(workspace).path
    if location_exists(workspace):
        raise WorkspaceError(t("fetch.workspace_exists", path=target))
    services = Services.load(base_url)
    client = HttpClient(
        user_agent=str(services.setting("user_agent")),
        timeout_s=float(timeout_s if timeout_s is not None else services.setting("timeout_s")),
        retries=int(retries if retries is not None else services.setting("retries")),
        backoff_s=float(backoff_s if backoff_s is not None else services.setting("backoff_s")),
        cache_dir=Path(cache_dir) if cache_dir is not None else default_cache_dir(),
    )
    step = on_step or (lambda _text: None)
    report = FetchReport(municipality=name or code, code=code, path=str(target))
    with tempfile.TemporaryDirectory(prefix="buurtkaart-fetch-") as folder:
        tmp = Path(folder)
        step(t("fetch.step.boundary", code=code))
        features = fetch_boundary(client, services, code)
        if not features:
            raise InputError(t("fetch.unknown_code", code=code, service=services.name("boundary")))
        boundary = _write_geojson(tmp / f"gemeentegrens-{code}.geojson", features)
        ws, municipality_report = setup_workspace(boundary, tmp / "werkruimte.gpkg", municipality=code)
        report.municipality = ws.metadata.get("municipality", report.municipality)
        report.reports.append(municipality_report)
        area = municipality_area(ws)
        assert area is not None
        step(t("fetch.step.streets", margin_m=round(MARGIN_M)))
        bbox = shapely.bounds(shapely.buffer(area, MARGIN_M)).tolist()
        segments = fetch_streets(client, services, (bbox[0], bbox[1], bbox[2], bbox[3]), progress=progress)
        streets_file = _write_geojson(tmp / "wegsegment.geojson", segments)
        report.reports.append(prepare_import(ws, "streets", streets_file).store())
        step(t("fetch.step.addresses", code=code))
        addresses = fetch_addresses(client, services, code, progress=progress)
        addresses_file = tmp / f"adressen-{code}.json"
        addresses_file.write_text(json.dumps({"adressen": addresses}, ensure_ascii=False), encoding="utf-8")
        report.reports.append(prepare_import(ws, "addresses", addresses_file).store())
        step(t("fetch.step.store", path=target))
        _create_from(ws, workspace)
    report.requests, report.cache_hits = client.requests, client.cache_hits
    report.seconds = time.monotonic() - started
    return report


def _write_geojson(path: Path, features: list[Any]) -> Path:
    """A FeatureCollection in Lambert 72 (the services were asked for EPSG:31370)."""
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": _CRS_31370, "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _create_from(source: Workspace, target: str | os.PathLike[str]) -> None:
    """Create the workspace at ``target`` with every layer of ``source``, in one atomic create."""
    names = [name for name in source.layer_names() if name != "metadata" and name in LAYERS]
    layers = {name: source.read(name) for name in names}
    meta = source.metadata
    Workspace.create(target, layers, municipality=meta.get("municipality", ""), fictional=False, metadata=meta)
