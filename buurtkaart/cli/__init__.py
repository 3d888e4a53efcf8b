"""The ``buurtkaart`` command line. One module per group of commands; this module only names them.

``COMMANDS`` maps each command name to its module, the click command in it and the text key of its help. A command
module is imported only when its command runs (or shows its own help), so ``buurtkaart --help`` loads click and
the texts, never pandas, geopandas or shapely (:class:`~buurtkaart.cli._common.BuurtkaartGroup`). Add a command
by adding its line here. Errors raised on purpose (:class:`buurtkaart.errors.BuurtkaartError`) are printed in Dutch
on stderr with exit code 1; wrong usage exits with 2.
"""

from __future__ import annotations

import sys

import click

from buurtkaart.cli._common import BuurtkaartGroup, LazyCommand
from buurtkaart.texts import t

#: command name → (module in ``buurtkaart.cli``, the click command's name there, the text key of its help).
COMMANDS: dict[str, LazyCommand] = {
    "info": LazyCommand("workspace_cmds", "info", "cli.info_help"),
    "backup": LazyCommand("workspace_cmds", "backup_cmd", "backup.cli_help"),
    "restore": LazyCommand("workspace_cmds", "restore_cmd", "backup.cli_restore_help"),
    "upgrade": LazyCommand("workspace_cmds", "upgrade", "cli.upgrade_help"),
    "copy": LazyCommand("workspace_cmds", "copy_cmd", "cli.copy_help"),
    "groups": LazyCommand("groups_cmds", "groups", "boundaries.cli.help"),
    "demo": LazyCommand("demo_cmds", "demo", "demo.help"),
    "users": LazyCommand("account_cmds", "users", "members.cli_users_help"),
    "members": LazyCommand("account_cmds", "members", "members.cli_members_help"),
    "audit": LazyCommand("account_cmds", "audit_cmd", "members.cli_audit_help"),
    "infoborden": LazyCommand("infobord_cmds", "infoborden", "infoborden.cli.group_help"),
    "setup": LazyCommand("import_cmds", "setup", "import.cli.setup_help"),
    "import": LazyCommand("import_cmds", "import_cmd", "import.cli.import_help"),
    "export": LazyCommand("import_cmds", "export_cmd", "import.cli.export_help"),
    "lookup": LazyCommand("lookup_cmds", "lookup", "lookup.cli.lookup_help"),
    "assign": LazyCommand("lookup_cmds", "assign", "lookup.cli.assign_help"),
    "coverage": LazyCommand("coverage_cmds", "coverage", "coverage.cli.coverage_help"),
    "gaps": LazyCommand("coverage_cmds", "gaps", "coverage.cli.gaps_help"),
    "invitations": LazyCommand("coverage_cmds", "invitations", "coverage.cli.invitations_help"),
    "serve": LazyCommand("serve_cmds", "serve", "api.cli.serve_help"),
    "zone": LazyCommand("zone_cmds", "zone", "zones.cli.group_help"),
    "fetch": LazyCommand("fetch_cmds", "fetch", "fetch.cli.help"),
}


@click.group(cls=BuurtkaartGroup, lazy_commands=COMMANDS, help=t("cli.main_help"),
             context_settings={"help_option_names": ["-h", "--help"]})
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
