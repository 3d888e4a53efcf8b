"""The ``buurtkaart`` command line. One module per group of commands; this module only assembles them.

Each command module exposes ``COMMANDS`` (a list of click commands); add a module to ``_COMMAND_MODULES`` to
add its commands. Errors raised on purpose (:class:`buurtkaart.errors.BuurtkaartError`) are printed in Dutch on
stderr with exit code 1; wrong usage exits with 2.
"""

from __future__ import annotations

import importlib
import sys

import click

from buurtkaart.cli._common import BuurtkaartGroup
from buurtkaart.texts import t

_COMMAND_MODULES = [
    "buurtkaart.cli.workspace_cmds",
    "buurtkaart.cli.groups_cmds",
    "buurtkaart.cli.demo_cmds",
    "buurtkaart.cli.account_cmds",
    "buurtkaart.cli.infobord_cmds",
    "buurtkaart.cli.import_cmds",
    "buurtkaart.cli.lookup_cmds",
    "buurtkaart.cli.coverage_cmds",
    "buurtkaart.cli.serve_cmds",
    "buurtkaart.cli.zone_cmds",
    "buurtkaart.cli.fetch_cmds",
]


@click.group(cls=BuurtkaartGroup, help=t("cli.main_help"), context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace",
    "-w",
    envvar="BUURTKAART_WORKSPACE",
    type=click.Path(dir_okay=False),
    metavar="PAD|URL",
    default=None,
    help=t("cli.workspace_option"),
)
@click.version_option(package_name="buurtkaart")
@click.pass_context
def main(ctx: click.Context, workspace: str | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace


for _module in _COMMAND_MODULES:
    for _command in importlib.import_module(_module).COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
