"""``buurtkaart groups check|history|compare|restore|import|export``: the group boundaries and their versions."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
import shapely

from buurtkaart.boundaries import (
    SizeGuide,
    check_all_groups,
    check_group,
    compare_versions,
    export_groups,
    import_groups,
    list_versions,
    preview_impact,
    read_groups_file,
    read_version,
    restore_version,
)
from buurtkaart.cli._common import echo_json, open_workspace
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace


def _default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


_author_option = click.option("--author", default=_default_author, show_default=False,
                              help=t("boundaries.cli.author_option"))
_reason_option = click.option("--reason", default=None, help=t("boundaries.cli.reason_option"))
_effective_option = click.option("--effective-on", default=None, metavar="JJJJ-MM-DD",
                                 help=t("boundaries.cli.effective_option"))


@click.group(name="groups", help=t("boundaries.cli.help"))
def groups() -> None:
    pass


def _municipality(ws: Workspace):  # type: ignore[no-untyped-def]
    muni = ws.read("municipality")
    return shapely.union_all(muni.geometry.values) if len(muni) else None


@groups.command(name="check", help=t("boundaries.cli.check_help"))
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False), default=None,
              help=t("boundaries.cli.check_file_option"))
@click.option("--min-households", type=int, default=SizeGuide().min_households, show_default=True,
              help=t("boundaries.cli.min_option"))
@click.option("--max-households", type=int, default=SizeGuide().max_households, show_default=True,
              help=t("boundaries.cli.max_option"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def check(ctx: click.Context, file_: str | None, min_households: int, max_households: int, as_json: bool) -> None:
    ws = open_workspace(ctx)
    current = ws.read("groups")
    candidate = read_groups_file(file_, workspace=ws) if file_ else current
    guide = SizeGuide(min_households=min_households, max_households=max_households)
    addresses = ws.read("addresses")
    members = ws.read("members", columns=["status"])
    muni = _municipality(ws)
    if file_:
        results = {}
        for gid, geom in zip(candidate["group_id"], candidate.geometry.values, strict=True):
            results[str(gid)] = check_group(geom, group_id=str(gid), groups=candidate, municipality_area=muni,
                                            addresses=addresses, members=members, guide=guide)
        from buurtkaart.infoborden.entries import entry_roads

        impact = preview_impact(current, candidate, addresses=addresses, streets=ws.read("streets"),
                                infoborden=ws.read("infoborden"), roads=entry_roads(ws))
    else:
        results = check_all_groups(current, municipality_area=muni, addresses=addresses, members=members, guide=guide)
        impact = None
    errors = sum(1 for r in results.values() for f in r.findings if f.severity == "error")
    if as_json:
        echo_json({
            "groups": {gid: {"ok": r.ok, "households": r.households, "members": r.members,
                             "findings": [{"code": f.code, "severity": f.severity, "message": f.message}
                                          for f in r.findings]} for gid, r in results.items()},
            "impact": impact.summary() if impact is not None else None,
        })
    else:
        for gid, result in results.items():
            click.echo(t("boundaries.cli.check_line", group=gid, households=result.households, members=result.members,
                         verdict=t("boundaries.cli.ok") if result.ok else t("boundaries.cli.not_ok")))
            for finding in result.findings:
                click.echo(f"  [{finding.label}] {finding.message}")
        if impact is not None:
            click.echo(t("boundaries.cli.impact_header", **impact.summary()))
            for line in impact.lines():
                click.echo("  " + line)
    if errors:
        ctx.exit(1)


@groups.command(name="history", help=t("boundaries.cli.history_help"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def history(ctx: click.Context, as_json: bool) -> None:
    versions = list_versions(open_workspace(ctx))
    if as_json:
        echo_json(versions.astype(object).where(versions.notna(), None).to_dict("records"))
        return
    if versions.empty:
        click.echo(t("boundaries.cli.history_empty"))
        return
    for row in versions.itertuples():
        restored = t("boundaries.cli.restored_from", version=row.restored_from) if row.restored_from is not None and \
            str(row.restored_from) != "<NA>" else ""
        click.echo(t("boundaries.cli.history_line", version=row.version_id, saved_at=row.saved_at, author=row.author,
                     effective_on=row.effective_on if isinstance(row.effective_on, str) else "-",
                     count=row.group_count, reason=row.reason) + restored)


@groups.command(name="compare", help=t("boundaries.cli.compare_help"))
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def compare(ctx: click.Context, old: int, new: int, as_json: bool) -> None:
    diff = compare_versions(open_workspace(ctx), old, new)
    table = diff.drop(columns="geometry")
    if as_json:
        echo_json(table.astype(object).where(table.notna(), None).to_dict("records"))
        return
    for row in table.itertuples():
        click.echo(t("boundaries.cli.compare_line", group=row.group_id, name=row.name, change=row.change_label,
                     before=row.area_before_ha, after=row.area_after_ha))


@groups.command(name="restore", help=t("boundaries.cli.restore_help"))
@click.argument("version", type=int)
@_author_option
@_reason_option
@_effective_option
@click.pass_context
def restore(ctx: click.Context, version: int, author: str, reason: str | None, effective_on: str | None) -> None:
    new_id = restore_version(open_workspace(ctx), version, author=author, reason=reason, effective_on=effective_on)
    click.echo(t("boundaries.cli.restored", version=version, new=new_id))


@groups.command(name="import", help=t("boundaries.cli.import_help"))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--id-column", default=None, help=t("boundaries.cli.id_column_option"))
@click.option("--name-column", default=None, help=t("boundaries.cli.name_column_option"))
@click.option("--repair", is_flag=True, help=t("boundaries.cli.repair_option"))
@_author_option
@_reason_option
@_effective_option
@click.pass_context
def import_(ctx: click.Context, path: str, id_column: str | None, name_column: str | None, repair: bool,
            author: str, reason: str | None, effective_on: str | None) -> None:
    ws = open_workspace(ctx)
    version = import_groups(ws, path, author=author, reason=reason, effective_on=effective_on,
                            id_column=id_column, name_column=name_column, repair=repair)
    click.echo(t("boundaries.cli.imported", path=path, count=len(ws.read("groups")), version=version))


@groups.command(name="export", help=t("boundaries.cli.export_help"))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--version", "version", type=int, default=None, help=t("boundaries.cli.version_option"))
@click.pass_context
def export(ctx: click.Context, path: str, version: int | None) -> None:
    ws = open_workspace(ctx)
    frame = read_version(ws, version) if version is not None else ws.read("groups")
    out = export_groups(frame, Path(path))
    click.echo(t("boundaries.cli.exported", count=len(frame), path=out))
