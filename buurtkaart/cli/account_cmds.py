"""Commands about people: ``buurtkaart users ...`` (accounts), ``buurtkaart members ...`` (lists, retention, GDPR)
and ``buurtkaart audit`` (the audit log).

Whoever runs the command line can open the workspace file, so acts as municipal staff; the audit log names them
``commandoregel``. This is how the first staff account is made: ``buurtkaart users add NAME --role staff``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from buurtkaart.cli._common import echo_json, open_workspace
from buurtkaart.errors import InputError
from buurtkaart.members import accounts, audit, gdpr
from buurtkaart.members.lists import export_list
from buurtkaart.texts import t

if TYPE_CHECKING:
    from buurtkaart.workspace import Workspace

#: The command line acts as staff and is logged as ``commandoregel``.
CLI_USER = audit.CLI_ACTOR


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt(t("members.cli_password_prompt"), hide_input=True, confirmation_prompt=True))


@click.group(help=t("members.cli_users_help"))
def users() -> None:
    """Accounts of staff, coordinators and police."""


@users.command("add", help=t("members.cli_add_help"))
@click.argument("username")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True, help=t("members.cli_role_option"))
@click.option("--group", "groups", multiple=True, help=t("members.cli_group_option"))
@click.option("--name", "display_name", default="", help=t("members.cli_name_option"))
@click.option("--email", default="", help=t("members.cli_email_option"))
@click.option("--password-stdin", is_flag=True, help=t("members.cli_password_stdin_option"))
@click.pass_context
def add(ctx: click.Context, username: str, role: str, groups: tuple[str, ...], display_name: str, email: str,
        password_stdin: bool) -> None:
    ws = open_workspace(ctx)
    password = _read_password(password_stdin)
    user = accounts.create_user(ws, username, password, role=role, group_ids=groups, display_name=display_name,
                                email=email, actor=audit.CLI_ACTOR)
    click.echo(t("members.cli_user_added", username=user.username, role=user.role))


@users.command("list", help=t("members.cli_list_help"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    frame = accounts.list_users(open_workspace(ctx), audit.CLI_ACTOR)
    columns = ["username", "role", "group_ids", "display_name", "email", "active", "locked_until", "last_login"]
    rows = [{c: (None if v is None or v != v else v) for c, v in r.items()}
            for r in frame[columns].astype(object).to_dict("records")]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        locked = " " + t("members.cli_locked", until=r["locked_until"]) if r["locked_until"] else ""
        inactive = " " + t("members.cli_inactive") if r["active"] != "ja" else ""
        click.echo(f"{r['username']:<24} {r['role']:<12} {r['group_ids'] or '-':<16}{locked}{inactive}")


def _account_command(name: str, action: Callable[[Workspace, str], object], *, help_key: str,
                     done_key: str) -> click.Command:
    """``users unlock|deactivate|reactivate USERNAME``: one account, one library call as the command line, one
    confirmation."""

    @users.command(name, help=t(help_key))
    @click.argument("username")
    @click.pass_context
    def command(ctx: click.Context, username: str) -> None:
        action(open_workspace(ctx), username)
        click.echo(t(done_key, username=username))

    return command


unlock = _account_command("unlock", lambda ws, name: accounts.unlock_user(ws, name, actor=audit.CLI_ACTOR),
                          help_key="members.cli_unlock_help", done_key="members.cli_unlocked")
deactivate = _account_command(
    "deactivate", lambda ws, name: accounts.set_active(ws, name, False, actor=audit.CLI_ACTOR),
    help_key="members.cli_deactivate_help", done_key="members.cli_deactivated")
reactivate = _account_command(
    "reactivate", lambda ws, name: accounts.set_active(ws, name, True, actor=audit.CLI_ACTOR),
    help_key="members.cli_reactivate_help", done_key="members.cli_reactivated")


@users.command("passwd", help=t("members.cli_passwd_help"))
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help=t("members.cli_password_stdin_option"))
@click.pass_context
def passwd(ctx: click.Context, username: str, password_stdin: bool) -> None:
    ws = open_workspace(ctx)
    accounts.set_password(ws, username, _read_password(password_stdin), actor=audit.CLI_ACTOR)
    click.echo(t("members.cli_password_set", username=username))




@click.group(help=t("members.cli_members_help"))
def members() -> None:
    """Members and candidates: lists, retention, GDPR requests."""


@members.command("list", help=t("members.cli_members_list_help"))
@click.option("--kind", type=click.Choice(["contacts", "stickers", "group", "screening", "staff"]),
              default="contacts", show_default=True, help=t("members.cli_kind_option"))
@click.option("--group", "group_id", default=None, help=t("members.cli_group_option"))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help=t("members.cli_output_option"))
@click.pass_context
def list_members(ctx: click.Context, kind: str, group_id: str | None, output: str) -> None:
    ws = open_workspace(ctx)
    data = export_list(ws, CLI_USER, kind, group_id)
    _write_private(Path(output), data)
    click.echo(t("members.cli_written", path=output, rows=max(0, data.decode("utf-8-sig").count("\n") - 1)))


@members.command("retention", help=t("members.cli_retention_help"))
@click.option("--days", type=click.IntRange(min=0), default=None, help=t("members.cli_days_option"))
@click.option("--dry-run", is_flag=True, help=t("members.cli_dry_run_option"))
@click.pass_context
def retention(ctx: click.Context, days: int | None, dry_run: bool) -> None:
    ws = open_workspace(ctx)
    period = gdpr.retention_days(ws) if days is None else days
    if dry_run:
        due = gdpr.due_for_erasure(ws, days=period)
        click.echo(t("members.cli_retention_due", count=len(due), days=period))
    else:
        erased = gdpr.apply_retention(ws, actor=audit.CLI_ACTOR, days=period)
        click.echo(t("members.cli_retention_done", count=len(erased), days=period))


@members.command("export", help=t("members.cli_export_help"))
@click.argument("member_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help=t("members.cli_output_option"))
@click.pass_context
def export(ctx: click.Context, member_id: str, output: str | None) -> None:
    data = gdpr.export_person_json(open_workspace(ctx), audit.CLI_ACTOR, member_id)
    if output is None:
        click.echo(data.decode("utf-8"))
    else:
        _write_private(Path(output), data)
        click.echo(t("members.cli_export_written", path=output))


@members.command("erase", help=t("members.cli_erase_help"))
@click.argument("member_id")
@click.option("--yes", is_flag=True, help=t("members.cli_yes_option"))
@click.pass_context
def erase(ctx: click.Context, member_id: str, yes: bool) -> None:
    ws = open_workspace(ctx)
    if not yes:
        click.confirm(t("members.cli_erase_confirm", member_id=member_id), abort=True)
    gdpr.erase_person(ws, audit.CLI_ACTOR, member_id)
    click.echo(t("members.cli_erased", member_id=member_id))


@click.command("audit", help=t("members.cli_audit_help"))
@click.option("--member", "subject_id", default=None, help=t("members.cli_audit_member_option"))
@click.option("--actor", default=None, help=t("members.cli_audit_actor_option"))
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def audit_cmd(ctx: click.Context, subject_id: str | None, actor: str | None, limit: int, as_json: bool) -> None:
    log = audit.read_log(open_workspace(ctx), CLI_USER, subject_id=subject_id, actor=actor, limit=limit)
    rows = [{k: (None if v is None or v != v else v) for k, v in r.items()}
            for r in log.astype(object).to_dict("records")]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        ids = r["subject_ids"] or ""
        ids = ids if len(ids) <= 40 else ids[:37] + "..."
        click.echo(f"{r['log_id']:>6} {r['at']} {r['actor']:<16} {r['action']:<18} {r['subject']:<8} {ids} "
                   f"{r['detail'] or ''}".rstrip())


def _write_private(path: Path, data: bytes) -> None:
    """Write a file with personal data readable by its owner only; refuse to overwrite the workspace itself."""
    if path.suffix.lower() in (".gpkg", ".lock"):
        raise InputError(t("members.cli_refuse_output", path=path))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    tmp.replace(path)
