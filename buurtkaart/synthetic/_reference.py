"""The reference data of the synthetic town and region (``reference/synthetic_town.json``), loaded once."""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

_PATH = Path(__file__).resolve().parents[1] / "reference" / "synthetic_town.json"


@lru_cache(maxsize=1)
def reference() -> dict[str, Any]:
    """The parsed reference file (names of places, streets and people; postcodes)."""
    with _PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII form of a name, for fictional e-mail addresses.

    >>> ascii_slug("Zoë Van den Broeck")
    'zoe.vandenbroeck'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    first, _, rest = plain.partition(" ")
    rest = "".join(ch for ch in rest if ch.isalnum())
    return f"{first}.{rest}" if rest else first
