"""``buurtkaart fetch``: a new workspace for a Flemish municipality from the public download services, every
service behind one small HTTP client (:mod:`buurtkaart.fetch._http`)."""

from buurtkaart.fetch._http import BASE_URL_ENV
from buurtkaart.fetch.run import FetchReport, fetch_municipality, resolve_municipality

__all__ = ["BASE_URL_ENV", "FetchReport", "fetch_municipality", "resolve_municipality"]
