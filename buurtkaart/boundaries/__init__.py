"""Drawing and changing group boundaries: compose from streets, snap drawings, check, preview impact, history.

>>> from buurtkaart.boundaries import check_group, compose_group, preview_impact, save_groups  # noqa: F401
"""

from buurtkaart.boundaries._geom import polygonal
from buurtkaart.boundaries.checks import CheckResult, Finding, SizeGuide, check_all_groups, check_group
from buurtkaart.boundaries.compose import (
    StreetPart,
    address_blocks,
    address_cells,
    compose_group,
    group_from_gap,
    select_addresses,
    street_parts,
)
from buurtkaart.boundaries.edit import (
    EditContext,
    EditPreview,
    edit_context,
    preview_edit,
    preview_groups,
    preview_removal,
)
from buurtkaart.boundaries.files import export_groups, import_groups, read_groups_file
from buurtkaart.boundaries.history import (
    compare_groups,
    compare_versions,
    latest_version,
    list_versions,
    read_version,
    remove_group,
    replace_group,
    restore_version,
    save_groups,
)
from buurtkaart.boundaries.impact import Impact, assign_to_groups, changed_area, preview_impact
from buurtkaart.boundaries.snap import border_streets, keep_streets_whole, snap_drawing, snap_geometry
from buurtkaart.boundaries.split import merge_groups, split_group

__all__ = [
    "CheckResult",
    "EditContext",
    "EditPreview",
    "Finding",
    "Impact",
    "SizeGuide",
    "StreetPart",
    "address_blocks",
    "address_cells",
    "assign_to_groups",
    "border_streets",
    "changed_area",
    "check_all_groups",
    "check_group",
    "compare_groups",
    "compare_versions",
    "compose_group",
    "edit_context",
    "export_groups",
    "group_from_gap",
    "import_groups",
    "keep_streets_whole",
    "latest_version",
    "list_versions",
    "merge_groups",
    "polygonal",
    "preview_edit",
    "preview_groups",
    "preview_impact",
    "preview_removal",
    "read_groups_file",
    "read_version",
    "remove_group",
    "replace_group",
    "restore_version",
    "save_groups",
    "select_addresses",
    "snap_drawing",
    "snap_geometry",
    "split_group",
    "street_parts",
]
