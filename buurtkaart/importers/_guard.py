"""The shrink guard of every import that replaces stored records: a file that would keep fewer than half of
10 or more stored records is refused unless ``force`` (a truncated export, a wrong sheet, a filtered list)."""

from __future__ import annotations

from buurtkaart.errors import InputError
from buurtkaart.texts import t

#: Fewer stored records than this are never guarded.
GUARD_MIN_ROWS = 10
#: The share of the stored records a file must keep.
GUARD_SHARE = 0.5


def check_not_shrinking(kind: str, *, stored: int, kept: int, new: int, force: bool) -> None:
    """Refuse, unless ``force``, keeping ``kept`` of ``stored`` records of layer ``kind`` (``new`` in the file)."""
    if force or stored < GUARD_MIN_ROWS or kept >= GUARD_SHARE * stored:
        return
    raise InputError(t("import.would_shrink", kind=kind, stored=stored),
                     problems=[t("import.would_shrink_counts", stored=stored, kept=kept, new=new),
                               t("import.would_shrink_fix")])
