"""Functions a test runs in the import child (:func:`buurtkaart.importers._child.call_in_child`), by name."""

from __future__ import annotations

import warnings


def allocate(*, megabytes: int) -> int:
    """Take ``megabytes`` of memory at once (a file that unpacks to far more than it weighs)."""
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def warn(*, text: str) -> str:
    warnings.warn(text, UserWarning, stacklevel=1)
    return text
