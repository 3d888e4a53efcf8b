"""buurtkaart: GIS mapping and infobord planning for the WhatsApp-buurtpreventiegroepen of Asse and Zellik.

A library with a thin Streamlit app (``app.py``) and a command line (``buurtkaart``) on top. Everything is
computed in EPSG:31370 (Belgian Lambert 72, metres); maps are shown in EPSG:4326.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562): ``import buurtkaart.assignment.find`` then loads only what the resident
# answer needs, not every part of the library (a faster cold start of the app and the API).
if TYPE_CHECKING:
    from buurtkaart.assignment.bulk import AssignReport, assign_members, assign_people, reassign_members
    from buurtkaart.assignment.find import FindIndex, GroupAnswer, find_group
    from buurtkaart.assignment.points import GroupIndex, assign_points
    from buurtkaart.assignment.streets import StreetAnswer, StreetIndex, street_answer
    from buurtkaart.boundaries import (
        CheckResult,
        EditContext,
        StreetPart,
        check_group,
        compare_versions,
        compose_group,
        edit_context,
        list_versions,
        preview_edit,
        preview_impact,
        restore_version,
        save_groups,
        select_addresses,
        snap_drawing,
    )
    from buurtkaart.coverage import (  # type: ignore[no-redef]  # (mypy sees the submodule coverage.overlaps)
        CoverageReport,
        coverage_by,
        coverage_gaps,
        coverage_report,
        delivery_order,
        gap_as_group,
        overlaps,
        participation_ranking,
    )
    from buurtkaart.errors import (
        BuurtkaartError,
        InputError,
        NotFound,
        PermissionDenied,
        SchemaError,
        WorkspaceError,
    )
    from buurtkaart.exports import export_layer, write_layer
    from buurtkaart.geocoding.addressing import (
        ParsedAddress,
        parse_address,
        split_housenumber,
        split_housenumbers,
        street_key,
    )
    from buurtkaart.geocoding.lookup import AddressIndex, LookupResult
    from buurtkaart.importers import (
        ImportReport,
        import_file,
        prepare_import,
        read_addresses,
        read_boundaries,
        read_members,
        read_municipality,
        read_streets,
        setup_workspace,
    )
    from buurtkaart.infoborden import InfobordPlan, entry_sites, find_entries, plan_infoborden
    from buurtkaart.members.accounts import (
        User,
        authenticate,
        create_user,
        get_user,
        seed_demo_accounts,
        user_for_email,
    )
    from buurtkaart.members.lists import contact_list, screening_queue, sticker_list
    from buurtkaart.members.membership import Application, submit_application
    from buurtkaart.schema import DISPLAY_CRS, LAYERS, SCHEMA_VERSION, WORKING_CRS
    from buurtkaart.synthetic import demo_layers, ensure_demo_workspace, make_demo_workspace, synthetic_region
    from buurtkaart.texts import t
    from buurtkaart.workspace import Workspace, conform, resolve_path

_EXPORTS = {
    "User": "buurtkaart.members.accounts",
    "authenticate": "buurtkaart.members.accounts",
    "create_user": "buurtkaart.members.accounts",
    "get_user": "buurtkaart.members.accounts",
    "seed_demo_accounts": "buurtkaart.members.accounts",
    "user_for_email": "buurtkaart.members.accounts",
    "ParsedAddress": "buurtkaart.geocoding.addressing",
    "parse_address": "buurtkaart.geocoding.addressing",
    "split_housenumber": "buurtkaart.geocoding.addressing",
    "split_housenumbers": "buurtkaart.geocoding.addressing",
    "street_key": "buurtkaart.geocoding.addressing",
    "GroupIndex": "buurtkaart.assignment.points",
    "StreetAnswer": "buurtkaart.assignment.streets",
    "StreetIndex": "buurtkaart.assignment.streets",
    "assign_points": "buurtkaart.assignment.points",
    "street_answer": "buurtkaart.assignment.streets",
    "CheckResult": "buurtkaart.boundaries",
    "EditContext": "buurtkaart.boundaries",
    "StreetPart": "buurtkaart.boundaries",
    "check_group": "buurtkaart.boundaries",
    "compare_versions": "buurtkaart.boundaries",
    "compose_group": "buurtkaart.boundaries",
    "edit_context": "buurtkaart.boundaries",
    "list_versions": "buurtkaart.boundaries",
    "preview_edit": "buurtkaart.boundaries",
    "preview_impact": "buurtkaart.boundaries",
    "restore_version": "buurtkaart.boundaries",
    "save_groups": "buurtkaart.boundaries",
    "select_addresses": "buurtkaart.boundaries",
    "snap_drawing": "buurtkaart.boundaries",
    "AssignReport": "buurtkaart.assignment.bulk",
    "assign_members": "buurtkaart.assignment.bulk",
    "assign_people": "buurtkaart.assignment.bulk",
    "reassign_members": "buurtkaart.assignment.bulk",
    "CoverageReport": "buurtkaart.coverage",
    "coverage_by": "buurtkaart.coverage",
    "coverage_gaps": "buurtkaart.coverage",
    "coverage_report": "buurtkaart.coverage",
    "delivery_order": "buurtkaart.coverage",
    "gap_as_group": "buurtkaart.coverage",
    "overlaps": "buurtkaart.coverage",
    "participation_ranking": "buurtkaart.coverage",
    "BuurtkaartError": "buurtkaart.errors",
    "InputError": "buurtkaart.errors",
    "NotFound": "buurtkaart.errors",
    "PermissionDenied": "buurtkaart.errors",
    "SchemaError": "buurtkaart.errors",
    "WorkspaceError": "buurtkaart.errors",
    "export_layer": "buurtkaart.exports",
    "write_layer": "buurtkaart.exports",
    "ImportReport": "buurtkaart.importers",
    "import_file": "buurtkaart.importers",
    "prepare_import": "buurtkaart.importers",
    "read_addresses": "buurtkaart.importers",
    "read_boundaries": "buurtkaart.importers",
    "read_members": "buurtkaart.importers",
    "read_municipality": "buurtkaart.importers",
    "read_streets": "buurtkaart.importers",
    "setup_workspace": "buurtkaart.importers",
    "InfobordPlan": "buurtkaart.infoborden",
    "entry_sites": "buurtkaart.infoborden",
    "find_entries": "buurtkaart.infoborden",
    "plan_infoborden": "buurtkaart.infoborden",
    "AddressIndex": "buurtkaart.geocoding.lookup",
    "LookupResult": "buurtkaart.geocoding.lookup",
    "contact_list": "buurtkaart.members.lists",
    "screening_queue": "buurtkaart.members.lists",
    "sticker_list": "buurtkaart.members.lists",
    "Application": "buurtkaart.members.membership",
    "submit_application": "buurtkaart.members.membership",
    "GroupAnswer": "buurtkaart.assignment.find",
    "FindIndex": "buurtkaart.assignment.find",
    "find_group": "buurtkaart.assignment.find",
    "DISPLAY_CRS": "buurtkaart.schema",
    "LAYERS": "buurtkaart.schema",
    "SCHEMA_VERSION": "buurtkaart.schema",
    "WORKING_CRS": "buurtkaart.schema",
    "demo_layers": "buurtkaart.synthetic",
    "ensure_demo_workspace": "buurtkaart.synthetic",
    "make_demo_workspace": "buurtkaart.synthetic",
    "synthetic_region": "buurtkaart.synthetic",
    "t": "buurtkaart.texts",
    "Workspace": "buurtkaart.workspace",
    "conform": "buurtkaart.workspace",
    "resolve_path": "buurtkaart.workspace",
}

__all__ = [
    "DISPLAY_CRS",
    "LAYERS",
    "SCHEMA_VERSION",
    "WORKING_CRS",
    "AddressIndex",
    "Application",
    "AssignReport",
    "BuurtkaartError",
    "CheckResult",
    "CoverageReport",
    "EditContext",
    "FindIndex",
    "GroupAnswer",
    "GroupIndex",
    "ImportReport",
    "InfobordPlan",
    "InputError",
    "LookupResult",
    "NotFound",
    "ParsedAddress",
    "PermissionDenied",
    "SchemaError",
    "StreetAnswer",
    "StreetIndex",
    "StreetPart",
    "User",
    "Workspace",
    "WorkspaceError",
    "assign_members",
    "assign_people",
    "assign_points",
    "authenticate",
    "check_group",
    "compare_versions",
    "compose_group",
    "conform",
    "contact_list",
    "coverage_by",
    "coverage_gaps",
    "coverage_report",
    "create_user",
    "delivery_order",
    "demo_layers",
    "edit_context",
    "ensure_demo_workspace",
    "entry_sites",
    "export_layer",
    "find_entries",
    "find_group",
    "gap_as_group",
    "get_user",
    "import_file",
    "list_versions",
    "make_demo_workspace",
    "overlaps",
    "parse_address",
    "participation_ranking",
    "plan_infoborden",
    "prepare_import",
    "preview_edit",
    "preview_impact",
    "read_addresses",
    "read_boundaries",
    "read_members",
    "read_municipality",
    "read_streets",
    "reassign_members",
    "resolve_path",
    "restore_version",
    "save_groups",
    "screening_queue",
    "seed_demo_accounts",
    "select_addresses",
    "setup_workspace",
    "snap_drawing",
    "split_housenumber",
    "split_housenumbers",
    "sticker_list",
    "street_answer",
    "street_key",
    "submit_application",
    "synthetic_region",
    "t",
    "user_for_email",
    "write_layer",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        try:
            return importlib.import_module(f"{__name__}.{name}")  # a submodule, as ``buurtkaart.assignment.points``
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
