"""The public read-only HTTP API and the embeddable widget (``buurtkaart serve``)."""

from buurtkaart.api.app import create_app

__all__ = ["create_app"]
