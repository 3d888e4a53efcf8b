"""What an import did: how many features it kept, how many it left out and why, and notes worth reading.

>>> report = ImportReport(kind="addresses", source="crab.csv")
>>> report.kept = 3
>>> report.drop("import.reason.outside_municipality", 2, examples=["Dilbeek"])
>>> report.dropped_total
2
>>> print(report.text())
Import addresses uit crab.csv: 3 behouden, 2 weggelaten.
- 2 liggen buiten de gemeente (ook met de marge van de grens) (bv. Dilbeek)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from buurtkaart.texts import t


@dataclass
class ImportReport:
    """The outcome of one import.

    ``dropped`` maps a reason (a text key of ``import.json``, ``import.reason.*``) to a count; ``examples`` keeps up
    to five examples per reason (names, codes or row numbers, never personal data); ``notes`` are Dutch lines
    worth reading (encoding used, CRS converted, rows kept despite a doubt).
    """

    kind: str
    source: str
    kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    values: dict[str, dict[str, object]] = field(default_factory=dict)

    def drop(self, reason: str, count: int, *, examples: Iterable[object] = (), **values: object) -> None:
        """Record ``count`` features left out for ``reason`` (a text key); nothing when ``count`` is 0."""
        if count <= 0:
            return
        self.dropped[reason] = self.dropped.get(reason, 0) + int(count)
        kept = self.examples.setdefault(reason, [])
        for example in examples:
            text = str(example)
            if text not in kept and len(kept) < 5:
                kept.append(text)
        self.values.setdefault(reason, {}).update(values)

    def note(self, key: str, **values: object) -> None:
        """Add a note (text key ``import.note.*`` with its values)."""
        self.notes.append(t(key, **values))

    @property
    def dropped_total(self) -> int:
        """How many features were left out in all."""
        return sum(self.dropped.values())

    def reason_lines(self) -> list[str]:
        """One Dutch line per reason: count, reason, examples."""
        lines = []
        for reason, count in self.dropped.items():
            line = f"{count} {t(reason, **self.values.get(reason, {}))}"
            if self.examples.get(reason):
                line += " " + t("import.report.examples", examples=", ".join(self.examples[reason]))
            lines.append(line)
        return lines

    def text(self) -> str:
        """The report as Dutch text: a summary line, then one line per reason and per note."""
        head = t("import.report.summary", kind=self.kind, source=self.source, kept=self.kept,
                 dropped=self.dropped_total)
        return "\n".join([head, *(f"- {line}" for line in self.reason_lines()), *(f"* {n}" for n in self.notes)])

    def to_dict(self) -> dict[str, object]:
        """The report as plain data (for ``--json`` and the app)."""
        return {
            "kind": self.kind,
            "source": self.source,
            "kept": self.kept,
            "dropped": {t(r, **self.values.get(r, {})): c for r, c in self.dropped.items()},
            "dropped_total": self.dropped_total,
            "examples": {t(r, **self.values.get(r, {})): e for r, e in self.examples.items()},
            "notes": list(self.notes),
        }
