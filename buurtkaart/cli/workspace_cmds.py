"""Commands about the workspace itself: ``info``, ``backup``, ``restore``."""

from __future__ import annotations

import click

from buurtkaart.backups import DEFAULT_KEEP, backup, default_folder, list_backups, restore
from buurtkaart.cli._common import echo_json, open_workspace
from buurtkaart.texts import t


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


COMMANDS = [info, backup_cmd, restore_cmd]
