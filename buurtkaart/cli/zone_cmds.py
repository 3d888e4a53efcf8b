"""Commands of a police zone: ``buurtkaart --workspace ZONE-URL zone ...`` (see :mod:`buurtkaart.zones`).

``--workspace`` names the zone's own schema (``postgresql://.../bk?schema=zone_amow``); each municipality keeps its
own schema in the same database. The command line acts as staff and is logged as ``commandoregel``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from buurtkaart import zones
from buurtkaart.cli._common import echo_json, workspace_path
from buurtkaart.texts import t

if TYPE_CHECKING:
    from buurtkaart.pg_workspace import PostgisWorkspace


def _zone(ctx: click.Context) -> PostgisWorkspace:
    return zones.open_zone(str(workspace_path(ctx)))


@click.group(help=t("zones.cli.group_help"))
def zone() -> None:
    """A police zone of several municipalities."""


@zone.command("create", help=t("zones.cli.create_help"))
@click.argument("zone_id", metavar="ZONE")
@click.pass_context
def create(ctx: click.Context, zone_id: str) -> None:
    ws = zones.create_zone(str(workspace_path(ctx)), zone_id)
    click.echo(t("zones.cli.created", zone=ws.metadata.get("zone", ""), name=ws.metadata.get("municipality", ""),
                 path=ws.path))


@zone.command("add-municipality", help=t("zones.cli.add_help"))
@click.argument("nis_code", metavar="NIS-CODE")
@click.argument("location", metavar="URL")
@click.pass_context
def add_municipality(ctx: click.Context, nis_code: str, location: str) -> None:
    row = zones.add_municipality(_zone(ctx), location, nis_code=nis_code)
    click.echo(t("zones.cli.added", **row))


@zone.command("list", help=t("zones.cli.list_help"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    ws = _zone(ctx)
    rows = zones.municipalities(ws).to_dict("records")
    if as_json:
        echo_json({"zone": ws.metadata.get("zone", ""), "municipalities": rows})
        return
    click.echo(t("zones.cli.list_title", name=ws.metadata.get("municipality", ""), count=len(rows)))
    for row in rows:
        click.echo(f"  {row['nis_code']}  {row['name']}  ({row['schema']})")


@zone.group("users", help=t("zones.cli.users_help"))
def users() -> None:
    """The zone's police accounts."""


@users.command("add", help=t("zones.cli.users_add_help"))
@click.argument("username")
@click.option("--role", type=click.Choice(["police"]), default="police", show_default=True,
              help=t("zones.cli.role_option"))
@click.option("--name", "display_name", default="", help=t("members.cli_name_option"))
@click.option("--email", default="", help=t("members.cli_email_option"))
@click.option("--password-stdin", is_flag=True, help=t("members.cli_password_stdin_option"))
@click.pass_context
def users_add(ctx: click.Context, username: str, role: str, display_name: str, email: str,
              password_stdin: bool) -> None:
    ws = _zone(ctx)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = str(click.prompt(t("members.cli_password_prompt"), hide_input=True, confirmation_prompt=True))
    user = zones.add_police(ws, username, password, display_name=display_name, email=email)
    click.echo(t("zones.cli.user_added", username=user.username, zone=ws.metadata.get("zone", "")))
