"""What every command shares: opening the workspace, Dutch error reporting, progress bars, JSON output."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import click
from tqdm import tqdm

from buurtkaart.errors import BuurtkaartError
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, resolve_path

T = TypeVar("T")


class BuurtkaartGroup(click.Group):
    """A click group that turns buurtkaart's own errors into a Dutch message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BuurtkaartError as exc:
            click.echo(t("cli.error_prefix") + " " + str(exc), err=True)
            ctx.exit(1)


def workspace_path(ctx: click.Context):
    """The workspace path chosen with --workspace / $BUURTKAART_WORKSPACE / the default."""
    return resolve_path(ctx.find_root().obj.get("workspace"))


def open_workspace(ctx: click.Context) -> Workspace:
    """Open the chosen workspace (a clear error when it is missing or of another schema version)."""
    return Workspace.open(workspace_path(ctx))


def progress(items: Iterable[T], *, total: int | None = None, description: str = "") -> Iterator[T]:
    """A progress bar on stderr for work that takes more than a second or two (hidden when not a terminal)."""
    yield from tqdm(items, total=total, desc=description, unit="", leave=False, disable=None)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON (for ``--json`` options)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
