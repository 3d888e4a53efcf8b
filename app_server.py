"""Start the app warm: ``python app_server.py [streamlit options]``, e.g. ``python app_server.py --server.port 8501``.

The same app as ``streamlit run app.py`` (which keeps working), but the first visitor does not wait for the heavy
libraries: Streamlit runs every page in the server's own process, so what is imported here (streamlit, pandas,
geopandas, folium, streamlit-folium, buurtkaart's maps and the resident lookup) is already in ``sys.modules`` when
the first page runs. Then the app's shared cache gets the example address and the map assets, and the public API
beside the pages (the resident search of *Welke groep?*) loads the resident index of the configured workspace
(from its cache file, see ``buurtkaart/_disk_cache.py``; built and saved when absent or out of date);
only then does Streamlit's own command line take over (``streamlit run app.py`` with the options given here),
so the server answers its health check (``/_stcore/health``) once it is warm, and a load balancer sends it no
visitor before.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"

log = logging.getLogger("buurtkaart.app_server")


def preload() -> None:
    """Import the libraries every first page needs (a few seconds on a loaded machine)."""
    import folium  # noqa: F401
    import geopandas  # noqa: F401
    import pandas  # noqa: F401
    import streamlit  # noqa: F401
    import streamlit_folium  # noqa: F401

    import buurtkaart.assignment.find
    import buurtkaart.maps  # noqa: F401
    from app_pages import _shared  # noqa: F401


def warm() -> None:
    """Fill the app's shared cache for the configured workspace: the example address, the map assets and the API
    beside the pages (:mod:`buurtkaart.api.beside_app`, the resident search, with the resident index from its cache
    file when current). Skipped where the workspace does not exist yet (the app then creates the demo on the
    first visit, as always); a failure only costs the first visitor the wait."""
    from app_pages import _shared
    from buurtkaart.workspace import location_exists, resolve_path

    location = resolve_path()
    if not isinstance(location, str) and not location.is_absolute():
        location = APP.parent / location
    try:
        if not location_exists(str(location)):
            return
        _shared.example_address()
        _shared.prepare_maps()
        import app  # the module `streamlit run` serves: its API beside the pages answers the resident search

        app.public_api.warm()
    except BaseException as exc:  # st.stop() raises a StopException: nothing here may stop the server
        log.info("warm-up skipped: %s", type(exc).__name__)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, str(APP.parent))  # app_pages, as `streamlit run app.py` has it
    preload()
    warm()
    from streamlit.web import cli

    cli.main(args=["run", str(APP), *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
