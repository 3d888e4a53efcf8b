"""What every command shares: the lazy command group, opening the workspace, Dutch error reporting, progress bars,
JSON output.

Nothing here imports pandas, geopandas or the workspace at module level: ``buurtkaart --help`` stays fast.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Iterator
from gettext import gettext
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from buurtkaart.errors import BuurtkaartError
from buurtkaart.texts import t

if TYPE_CHECKING:
    from buurtkaart.workspace import Workspace

T = TypeVar("T")


class LazyCommand(NamedTuple):
    """Where a command lives: its module in ``buurtkaart.cli``, the click command's name there, its help text key."""

    module: str
    attribute: str
    help_key: str


class BuurtkaartGroup(click.Group):
    """The main click group: loads a command's module on first use, turns buurtkaart's errors into Dutch.

    ``lazy_commands`` maps a command name to a :class:`LazyCommand`; the list of commands in ``--help`` is written
    from their help text keys, so it imports no command module (and so no pandas or geopandas).
    """

    def __init__(self, *args: Any, lazy_commands: dict[str, LazyCommand] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        lazy = self.lazy_commands.get(cmd_name)
        if found is not None or lazy is None:
            return found
        module = importlib.import_module(f"{__package__}.{lazy.module}")
        command = getattr(module, lazy.attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wrong line in cli.COMMANDS
            raise TypeError(f"{lazy.module}.{lazy.attribute} is not a click command")
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max((len(name) for name in self.list_commands(ctx)), default=0)
        rows = []
        for name in self.list_commands(ctx):
            lazy = self.lazy_commands.get(name)
            if lazy is not None and name not in self.commands:
                rows.append((name, click.Command(name, help=t(lazy.help_key)).get_short_help_str(limit)))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section(gettext("Commands")):  # as click writes it
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BuurtkaartError as exc:
            click.echo(t("cli.error_prefix") + " " + str(exc), err=True)
            ctx.exit(1)


def workspace_path(ctx: click.Context) -> Path | str:
    """The workspace location chosen with --workspace / $BUURTKAART_WORKSPACE / the default."""
    from buurtkaart.workspace import resolve_path

    return resolve_path(ctx.find_root().obj.get("workspace"))


def open_workspace(ctx: click.Context) -> Workspace:
    """Open the chosen workspace (a clear error when it is missing or of another schema version)."""
    from buurtkaart.workspace import Workspace

    return Workspace.open(workspace_path(ctx))


def progress(items: Iterable[T], *, total: int | None = None, description: str = "") -> Iterator[T]:
    """A progress bar on stderr for work that takes more than a second or two (hidden when not a terminal)."""
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=description, unit="", leave=False, disable=None)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON (for ``--json`` options)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
