"""buurtkaart: GIS mapping and infobord planning for the WhatsApp-buurtpreventiegroepen of Asse and Zellik.

A library with a thin Streamlit app (``app.py``) and a command line (``buurtkaart``) on top. Everything is
computed in EPSG:31370 (Belgian Lambert 72, metres); maps are shown in EPSG:4326.

The top level holds only the entry points a user of the library calls, one per task a municipality, a coordinator
or a resident has (the README's "Library" lines): open or make a workspace, bring files in and out, answer "which
group covers this address or street", assign points and lists of people, report coverage and its gaps, plan
infoborden, preview and save a boundary change, take an application through its steps and print the lists, and
the errors to catch. Everything else (indexes, parsers, result types of the steps, texts, schema constants,
helpers) is imported from its own module, e.g. ``from buurtkaart.geocoding.addressing import parse_address``:
a name here is a promise to keep it, so the list stays short. ``tests/test_public_api.py`` holds it exactly.

>>> import buurtkaart
>>> buurtkaart.Workspace.__module__
'buurtkaart.workspace'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562): ``import buurtkaart`` loads nothing heavy, and
# ``buurtkaart.find_group`` loads only what the answer needs, not every part of the library (a faster cold start
# of the app, the API and the command line).
if TYPE_CHECKING:
    from buurtkaart.assignment.bulk import assign_people
    from buurtkaart.assignment.find import FindIndex, GroupAnswer, find_group
    from buurtkaart.assignment.points import assign_points
    from buurtkaart.assignment.streets import street_answer
    from buurtkaart.boundaries import edit_context, preview_edit, save_groups
    from buurtkaart.coverage import coverage_gaps, coverage_report
    from buurtkaart.errors import (
        BuurtkaartError,
        InputError,
        NotFound,
        PermissionDenied,
        SchemaError,
        WorkspaceError,
    )
    from buurtkaart.exports import export_layer
    from buurtkaart.importers import import_file, read_addresses, read_streets, setup_workspace
    from buurtkaart.infoborden import plan_infoborden
    from buurtkaart.members.accounts import authenticate
    from buurtkaart.members.lists import contact_list, screening_queue, sticker_list
    from buurtkaart.members.membership import Application, mark_added, mark_sticker, screen, submit_application
    from buurtkaart.synthetic import make_demo_workspace
    from buurtkaart.workspace import Workspace

#: public name → the module that defines it.
_EXPORTS = {
    # the workspace and the demo
    "Workspace": "buurtkaart.workspace",
    "make_demo_workspace": "buurtkaart.synthetic",
    # files in and out
    "setup_workspace": "buurtkaart.importers",
    "import_file": "buurtkaart.importers",
    "read_addresses": "buurtkaart.importers",
    "read_streets": "buurtkaart.importers",
    "export_layer": "buurtkaart.exports",
    # which group: a text, points, a street, a list of people
    "find_group": "buurtkaart.assignment.find",
    "GroupAnswer": "buurtkaart.assignment.find",
    "FindIndex": "buurtkaart.assignment.find",
    "assign_points": "buurtkaart.assignment.points",
    "street_answer": "buurtkaart.assignment.streets",
    "assign_people": "buurtkaart.assignment.bulk",
    # analyses and plans
    "coverage_report": "buurtkaart.coverage",
    "coverage_gaps": "buurtkaart.coverage",
    "plan_infoborden": "buurtkaart.infoborden",
    # a boundary change: its context, its preview, saving it as a new version
    "edit_context": "buurtkaart.boundaries",
    "preview_edit": "buurtkaart.boundaries",
    "save_groups": "buurtkaart.boundaries",
    # membership: the steps of an application and the lists
    "authenticate": "buurtkaart.members.accounts",
    "Application": "buurtkaart.members.membership",
    "submit_application": "buurtkaart.members.membership",
    "screen": "buurtkaart.members.membership",
    "mark_added": "buurtkaart.members.membership",
    "mark_sticker": "buurtkaart.members.membership",
    "screening_queue": "buurtkaart.members.lists",
    "contact_list": "buurtkaart.members.lists",
    "sticker_list": "buurtkaart.members.lists",
    # the errors to catch
    "BuurtkaartError": "buurtkaart.errors",
    "InputError": "buurtkaart.errors",
    "NotFound": "buurtkaart.errors",
    "PermissionDenied": "buurtkaart.errors",
    "SchemaError": "buurtkaart.errors",
    "WorkspaceError": "buurtkaart.errors",
}

__all__ = [
    "Application",
    "BuurtkaartError",
    "FindIndex",
    "GroupAnswer",
    "InputError",
    "NotFound",
    "PermissionDenied",
    "SchemaError",
    "Workspace",
    "WorkspaceError",
    "assign_people",
    "assign_points",
    "authenticate",
    "contact_list",
    "coverage_gaps",
    "coverage_report",
    "edit_context",
    "export_layer",
    "find_group",
    "import_file",
    "make_demo_workspace",
    "mark_added",
    "mark_sticker",
    "plan_infoborden",
    "preview_edit",
    "read_addresses",
    "read_streets",
    "save_groups",
    "screen",
    "screening_queue",
    "setup_workspace",
    "sticker_list",
    "street_answer",
    "submit_application",
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
