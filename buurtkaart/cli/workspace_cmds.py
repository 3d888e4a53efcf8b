"""Commands about the workspace itself: ``info``."""

from __future__ import annotations

import click

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


COMMANDS = [info]
