"""``buurtkaart infoborden``: plan sign sites, export them, keep their status, list what a boundary change means."""

from __future__ import annotations

from pathlib import Path

import click

from buurtkaart.cli._common import echo_json, open_workspace
from buurtkaart.errors import InputError
from buurtkaart.exports import csv_bytes
from buurtkaart.texts import t
from buurtkaart.vocabulary import PLAN_DEFAULTS, PLAN_MODES, SIGN_STATUSES


def _records(table) -> list[dict]:
    """Rows for JSON output, with null for missing values (never NaN)."""
    return table.astype(object).where(table.notna(), None).to_dict(orient="records")


def _inputs(ws):
    groups, streets = ws.read("groups"), ws.read("streets")
    problems = []
    if not len(groups):
        problems.append(t("infoborden.error.no_groups"))
    if not len(streets):
        problems.append(t("infoborden.error.no_streets"))
    if problems:
        raise InputError(t("infoborden.error.options_invalid"), problems=problems)
    return groups, streets


@click.group(name="infoborden", help=t("infoborden.cli.group_help"))
def infoborden() -> None:
    pass


@infoborden.command(name="plan", help=t("infoborden.cli.plan_help"))
@click.option("--mode", type=click.Choice([str(m) for m in PLAN_MODES]), default=str(PLAN_DEFAULTS.mode),
              show_default=True, help=t("infoborden.cli.mode_option"))
@click.option("--budget", type=int, default=None, help=t("infoborden.cli.budget_option"))
@click.option("--per-group", is_flag=True, help=t("infoborden.cli.per_group_option"))
@click.option("--distance-m", type=float, default=PLAN_DEFAULTS.coverage_distance_m, show_default=True,
              help=t("infoborden.cli.distance_option"))
@click.option("--setback-m", type=float, default=PLAN_DEFAULTS.setback_m, show_default=True,
              help=t("infoborden.cli.setback_option"))
@click.option("--road-classes", default=None, help=t("infoborden.cli.classes_option"))
@click.option("--time-limit-s", type=click.FloatRange(1.0, None), default=PLAN_DEFAULTS.time_limit_s, show_default=True,
              help=t("infoborden.cli.time_limit_option"))
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help=t("infoborden.cli.output_option"))
@click.option("--save", is_flag=True, help=t("infoborden.cli.save_option"))
@click.option("--json", "as_json", is_flag=True, help=t("infoborden.cli.json_option"))
@click.pass_context
def plan(ctx, mode, budget, per_group, distance_m, setback_m, road_classes, time_limit_s, output, save,
         as_json) -> None:
    from buurtkaart.infoborden.changes import save_plan
    from buurtkaart.infoborden.entries import entry_roads
    from buurtkaart.infoborden.export import site_table, write_export
    from buurtkaart.infoborden.planning import plan_infoborden

    ws = open_workspace(ctx)
    groups, streets = _inputs(ws)
    classes = [c.strip() for c in road_classes.split(",") if c.strip()] if road_classes else None
    roads = entry_roads(ws)  # the streets and the roads beyond the municipal border
    result = plan_infoborden(groups, roads, ws.read("addresses"), mode=mode, budget=budget, per_group=per_group,
                             existing=ws.read("infoborden"), coverage_distance_m=distance_m, setback_m=setback_m,
                             road_classes=classes, time_limit_s=time_limit_s)
    if output:
        write_export(result.sites, output, streets=streets, groups=groups, roads_outside=ws.read("streets_outside"))
    saved = save_plan(ws, result.sites) if save else None
    if as_json:
        echo_json({"mode": mode, "budget": budget, "per_group": per_group, "sites": len(result.sites),
                   "households_total": result.households_total, "households_covered": result.households_covered,
                   "gap": result.gap, "proven_optimal": result.proven_optimal,
                   "households_bound": result.households_bound, "table": _records(site_table(result.sites))})
    else:
        if ws.is_fictional:
            click.echo(t("core.fictional_banner"))
        click.echo(result.summary())
        for row in site_table(result.sites).itertuples(index=False):
            click.echo(f"  {row.site_id:<28} {row.group_ids:<16} {row.reason}")
    if output:
        click.echo(t("infoborden.cli.written", path=output))
    if saved is not None:
        click.echo(saved.summary())


@infoborden.command(name="export", help=t("infoborden.cli.export_help"))
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help=t("infoborden.cli.output_option"))
@click.pass_context
def export(ctx, output) -> None:
    from buurtkaart.infoborden.export import write_export

    ws = open_workspace(ctx)
    signs = ws.read("infoborden")
    write_export(signs, output, streets=ws.read("streets"), groups=ws.read("groups"),
                 roads_outside=ws.read("streets_outside"))
    click.echo(t("infoborden.cli.written", path=output))


@infoborden.command(name="status", help=t("infoborden.cli.status_help"))
@click.argument("sign_ids", nargs=-1, required=True)
@click.option("--status", "status", type=click.Choice([str(s) for s in SIGN_STATUSES]),
              required=True)
@click.option("--date", "placed_on", default=None, help=t("infoborden.cli.date_option"))
@click.pass_context
def status(ctx, sign_ids, status, placed_on) -> None:
    from buurtkaart.infoborden.changes import set_status

    set_status(open_workspace(ctx), sign_ids, status, placed_on=placed_on)
    click.echo(t("infoborden.cli.status_set", count=len(sign_ids), status=status))


@infoborden.command(name="list", help=t("infoborden.cli.list_help"))
@click.option("--json", "as_json", is_flag=True, help=t("infoborden.cli.json_option"))
@click.pass_context
def list_signs(ctx, as_json) -> None:
    from buurtkaart.infoborden.export import site_table

    signs = open_workspace(ctx).read("infoborden")
    table = site_table(signs) if len(signs) else None
    if as_json:
        echo_json([] if table is None else _records(table))
        return
    if table is None:
        click.echo(t("infoborden.cli.empty"))
        return
    for row in table.itertuples(index=False):
        click.echo(f"  {row.site_id:<28} {row.group_ids:<16} {row.status:<15} {row.road_name}")


@infoborden.command(name="changes", help=t("infoborden.cli.changes_help"))
@click.option("--setback-m", type=float, default=PLAN_DEFAULTS.setback_m, show_default=True,
              help=t("infoborden.cli.setback_option"))
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help=t("infoborden.cli.output_option"))
@click.option("--json", "as_json", is_flag=True, help=t("infoborden.cli.json_option"))
@click.pass_context
def changes(ctx, setback_m, output, as_json) -> None:
    from buurtkaart.infoborden.changes import compare_signs
    from buurtkaart.infoborden.entries import entry_roads
    from buurtkaart.infoborden.planning import plan_infoborden

    ws = open_workspace(ctx)
    groups, _ = _inputs(ws)
    result = plan_infoborden(groups, entry_roads(ws), None, setback_m=setback_m)
    diff = compare_signs(ws.read("infoborden"), result.sites)
    if output:
        Path(output).write_bytes(csv_bytes(diff.drop(columns="geometry")))
    if as_json:
        echo_json(_records(diff.drop(columns="geometry")))
        return
    for row in diff.itertuples(index=False):
        click.echo(t("infoborden.cli.changes_line", sign=row.sign_id or row.site_id,
                     groups=row.new_group_ids or row.old_group_ids, change=row.description))
    counts = diff["change"].value_counts()
    click.echo(t("infoborden.cli.changes_summary", missing=int(counts.get("ontbreekt", 0)),
                 obsolete=int(counts.get("overbodig", 0)), move=int(counts.get("verplaatsen", 0)),
                 ok=int(counts.get("ok", 0))))
    if output:
        click.echo(t("infoborden.cli.written", path=output))
