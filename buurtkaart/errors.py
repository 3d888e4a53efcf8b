"""Errors buurtkaart raises. Every message is Dutch, comes from the text catalogue, and says how to fix it.

An error that gathers several problems keeps them in ``problems`` so that a caller (the app, the command line)
can list them one per line.

>>> err = InputError("Het bestand klopt niet.", problems=["kolom 'straat' ontbreekt", "geen CRS"])
>>> print(err)
Het bestand klopt niet.
- kolom 'straat' ontbreekt
- geen CRS
"""

from __future__ import annotations

from collections.abc import Sequence


class BuurtkaartError(Exception):
    """Base class of every error buurtkaart raises on purpose."""

    def __init__(self, message: str, *, problems: Sequence[str] = ()) -> None:
        self.message = message
        self.problems = list(problems)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"- {p}" for p in self.problems)])


class InputError(BuurtkaartError, ValueError):
    """A file or frame given to buurtkaart is wrong (columns, CRS, geometry, encoding)."""


class SchemaError(BuurtkaartError, ValueError):
    """A layer does not match the workspace schema."""


class WorkspaceError(BuurtkaartError, OSError):
    """The workspace file is missing, locked, broken or of another schema version."""


class PermissionDenied(BuurtkaartError, PermissionError):
    """The acting user's role may not see or change this."""


class NotFound(BuurtkaartError, LookupError):
    """An address, street, group or person that does not exist."""


class ServiceError(BuurtkaartError, OSError):
    """A public download service is down, too slow or answers something that cannot be read."""
