"""Commands about the workspace itself: ``info``, ``upgrade``, ``copy``."""

from __future__ import annotations

import click

from buurtkaart import migrations
from buurtkaart.cli._common import echo_json, open_workspace, workspace_path
from buurtkaart.store_copy import copy_workspace
from buurtkaart.texts import t
from buurtkaart.workspace import workspace_at


@click.command(help=t("cli.info_help"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def info(ctx: click.Context, as_json: bool) -> None:
    ws = open_workspace(ctx)
    rows = ws.info()
    meta = ws.metadata
    if as_json:
        echo_json({"path": str(ws.path), "metadata": meta, "layers": rows})
        return
    click.echo(t("cli.info_header", path=ws.path, municipality=meta.get("municipality", "?"),
                 version=meta.get("schema_version", "?")))
    if ws.is_fictional:
        click.echo(t("core.fictional_banner"))
    for row in rows:
        personal = " " + t("cli.info_personal") if row["personal"] else ""
        click.echo(f"  {row['layer']:<16} {row['features']:>9}  {row['geometry_type'] or '-':<16} "
                   f"{row['crs'] or '-'}{personal}")


@click.command(help=t("cli.upgrade_help"))
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    location = workspace_path(ctx)
    result = migrations.upgrade(location)
    shown = workspace_at(location).path  # a server URL without its password
    if result.from_version == result.to_version:
        click.echo(t("cli.upgrade_current", path=shown, version=result.to_version))
        return
    click.echo(t("cli.upgrade_done", path=shown, old=result.from_version, new=result.to_version))
    for step in result.steps:
        click.echo(t("cli.upgrade_step", step=step))
    if result.backup is not None:
        click.echo(t("cli.upgrade_backup", path=result.backup))


@click.command(name="copy", help=t("cli.copy_help"))
@click.argument("source", metavar="BRON")
@click.argument("target", metavar="DOEL")
@click.option("--overwrite", is_flag=True, help=t("cli.copy_overwrite_option"))
def copy_cmd(source: str, target: str, overwrite: bool) -> None:
    counts = copy_workspace(source, target, overwrite=overwrite)
    click.echo(t("cli.copy_done", path=workspace_at(target).path))
    for layer, count in counts.items():
        click.echo(t("cli.copy_line", layer=layer, count=count))


COMMANDS = [info, upgrade, copy_cmd]
