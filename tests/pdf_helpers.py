"""Reading what a PDF draws, for tests of the work order: the text of its compressed content streams."""

from __future__ import annotations

import re
import zlib


def pdf_content(data: bytes) -> str:
    """The drawing operators of every Flate-compressed stream in ``data`` (streams that are not, such as fonts
    stored otherwise, are skipped)."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, flags=re.S)
    out = []
    for raw in streams:
        try:
            out.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)
