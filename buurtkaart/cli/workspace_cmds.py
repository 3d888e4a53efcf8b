"""Commands about the workspace itself: ``info``, ``backup``, ``restore``, ``upgrade``, ``copy``."""

from __future__ import annotations

import click

from buurtkaart import migrations
from buurtkaart.backups import DEFAULT_KEEP, backup, default_folder, list_backups, restore
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


@click.command("backup", help=t("backup.cli_help"))
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--keep", type=click.IntRange(min=1), default=DEFAULT_KEEP, show_default=True,
              help=t("backup.cli_keep_option"))
@click.option("--list", "list_only", is_flag=True, help=t("backup.cli_list_option"))
@click.pass_context
def backup_cmd(ctx: click.Context, folder: str | None, keep: int, list_only: bool) -> None:
    ws = open_workspace(ctx)
    if not list_only:
        made = backup(ws, folder, keep=keep)
        click.echo(t("backup.cli_made", path=made, size_mb=_mb(made.stat().st_size),
                     count=len(list_backups(ws, made.parent))))
        return
    found = list_backups(ws, folder)
    if not found:
        click.echo(t("backup.cli_none", folder=folder or default_folder(ws)))
    for item in found:
        click.echo(t("backup.cli_list_row", made_at=item.made_at.isoformat(timespec="seconds"),
                     size_mb=_mb(item.size_bytes), path=item.path))


@click.command("restore", help=t("backup.cli_restore_help"))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help=t("members.cli_yes_option"))
@click.pass_context
def restore_cmd(ctx: click.Context, file: str, yes: bool) -> None:
    ws = open_workspace(ctx)
    if not yes:
        click.confirm(t("backup.cli_restore_confirm", path=file), abort=True)
    before = restore(ws, file)
    click.echo(t("backup.cli_restored", path=file, before=before))


def _mb(size_bytes: int) -> str:
    return f"{size_bytes / 1e6:.1f}"



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
