"""Where the app's workspace is, without Streamlit: read by the pages and by the API beside them (app.py)."""

from __future__ import annotations

import os
from pathlib import Path

from buurtkaart.workspace import ENV_VAR, resolve_path

APP_DIR = Path(__file__).resolve().parents[1]


def app_location() -> str:
    """Where the app's workspace is (``$BUURTKAART_WORKSPACE``, else ``data/demo.gpkg`` beside app.py): an
    absolute file path or a server URL. Read at each call (the API beside the pages reads it per request)."""
    path = resolve_path()
    if isinstance(path, str):  # a server workspace (postgresql://...)
        return path
    if not path.is_absolute() and not os.environ.get(ENV_VAR):
        path = APP_DIR / path  # the default data/demo.gpkg lives beside app.py, wherever streamlit was started
    return str(path if path.is_absolute() else (Path.cwd() / path))
