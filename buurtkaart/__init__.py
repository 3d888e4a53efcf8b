"""buurtkaart: GIS mapping and infobord planning for the WhatsApp-buurtpreventiegroepen of Asse and Zellik.

A library with a thin Streamlit app (``app.py``) and a command line (``buurtkaart``) on top. Everything is
computed in EPSG:31370 (Belgian Lambert 72, metres); maps are shown in EPSG:4326.
"""

from buurtkaart.errors import (
    BuurtkaartError,
    InputError,
    NotFound,
    PermissionDenied,
    SchemaError,
    WorkspaceError,
)
from buurtkaart.schema import DISPLAY_CRS, LAYERS, SCHEMA_VERSION, WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, conform, resolve_path

__all__ = [
    "DISPLAY_CRS",
    "LAYERS",
    "SCHEMA_VERSION",
    "WORKING_CRS",
    "BuurtkaartError",
    "InputError",
    "NotFound",
    "PermissionDenied",
    "SchemaError",
    "Workspace",
    "WorkspaceError",
    "conform",
    "resolve_path",
    "t",
]
