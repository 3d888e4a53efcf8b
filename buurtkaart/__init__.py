"""buurtkaart: GIS mapping and infobord planning for the WhatsApp-buurtpreventiegroepen of Asse and Zellik.

A library with a thin Streamlit app (``app.py``) and a command line (``buurtkaart``) on top. Everything is
computed in EPSG:31370 (Belgian Lambert 72, metres); maps are shown in EPSG:4326.
"""

from buurtkaart.accounts import User, authenticate, create_user, get_user, seed_demo_accounts, user_for_email
from buurtkaart.addressing import ParsedAddress, parse_address, split_housenumber, split_housenumbers, street_key
from buurtkaart.assign import GroupIndex, StreetAnswer, StreetIndex, assign_points, street_answer
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
from buurtkaart.bulk_assign import AssignReport, assign_members, assign_people, reassign_members
from buurtkaart.coverage import (
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
from buurtkaart.lookup import AddressIndex, LookupResult
from buurtkaart.member_lists import contact_list, screening_queue, sticker_list
from buurtkaart.membership import Application, submit_application
from buurtkaart.resident import ResidentAnswer, ResidentIndex, resident_answer
from buurtkaart.schema import DISPLAY_CRS, LAYERS, SCHEMA_VERSION, WORKING_CRS
from buurtkaart.synthetic import demo_layers, ensure_demo_workspace, make_demo_workspace, synthetic_region
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, conform, resolve_path

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
    "GroupIndex",
    "ImportReport",
    "InfobordPlan",
    "InputError",
    "LookupResult",
    "NotFound",
    "ParsedAddress",
    "PermissionDenied",
    "ResidentAnswer",
    "ResidentIndex",
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
    "resident_answer",
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
