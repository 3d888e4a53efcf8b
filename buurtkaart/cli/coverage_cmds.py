"""Commands ``coverage`` (figures per level), ``gaps`` (where no group watches) and ``invitations`` (addresses
of chosen streets in walking order, for invitation letters)."""

from __future__ import annotations

import click
import pandas as pd

from buurtkaart.cli._common import echo_json, open_workspace
from buurtkaart.texts import t

_LEVELS = ("municipality", "deelgemeente", "group", "street")
_TABLE_COLUMNS = {
    "municipality": ["municipality", "households", "covered", "overlap", "uncovered", "members", "participation",
                     "n_groups", "groups_per_1000"],
    "deelgemeente": ["deelgemeente", "households", "covered", "overlap", "uncovered", "members", "participation",
                     "n_groups", "groups_per_1000"],
    "group": ["group_id", "name", "households", "overlap", "members", "participation", "streets", "area_km2"],
    "street": ["street", "postcode", "households", "covered", "overlap", "uncovered", "members", "participation",
               "groups"],
}


def _records(frame: pd.DataFrame) -> list[dict]:
    plain = pd.DataFrame(frame.drop(columns=[c for c in ("geometry",) if c in frame.columns]))
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in plain.to_dict(orient="records")]


def _print_table(frame: pd.DataFrame, columns: list[str], limit: int | None) -> None:
    shown = frame[[c for c in columns if c in frame.columns]]
    if limit is not None:
        shown = shown.head(limit)
    headers = [t(f"coverage.column.{c}") for c in shown.columns]
    click.echo(pd.DataFrame(shown.to_numpy(), columns=headers).to_string(index=False, na_rep="-"))


@click.command(help=t("coverage.cli.coverage_help"))
@click.option("--level", type=click.Choice(_LEVELS), default="municipality", show_default=True,
              help=t("coverage.cli.level"))
@click.option("--low", is_flag=True, help=t("coverage.cli.low"))
@click.option("--limit", type=click.IntRange(1), default=None, help=t("coverage.cli.limit"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help=t("coverage.cli.output"))
@click.pass_context
def coverage(ctx: click.Context, level: str, low: bool, limit: int | None, as_json: bool, output: str | None) -> None:
    from buurtkaart.coverage import coverage_report, write_table

    ws = open_workspace(ctx)
    report = coverage_report(ws)
    if low and level not in ("street", "group"):
        raise click.UsageError(t("coverage.cli.low_level"))
    table = {"street": report.low_streets, "group": report.low_groups}[level] if low else \
        report.table({"municipality": "municipality", "deelgemeente": "deelgemeenten", "group": "groups",
                      "street": "streets"}[level])
    if output:
        write_table(table, output, layer=f"dekking_{level}")
        click.echo(t("coverage.cli.written", count=len(table), path=output), err=as_json)
    if as_json:
        echo_json({"summary": report.summary(), "level": level, "rows": _records(table.head(limit or len(table)))})
        return
    if ws.is_fictional:
        click.echo(t("core.fictional_banner"))
    s = report.summary()
    click.echo(t("coverage.cli.summary", **{k: ("-" if v is None else v) for k, v in s.items()}))
    _print_table(table, (["rank"] if low else []) + _TABLE_COLUMNS[level], limit)


@click.command(help=t("coverage.cli.gaps_help"))
@click.option("--max-link-m", type=click.FloatRange(0), default=150.0, show_default=True,
              help=t("coverage.cli.max_link_m"))
@click.option("--depth-m", type=click.FloatRange(1), default=50.0, show_default=True, help=t("coverage.cli.depth_m"))
@click.option("--max-households", type=click.IntRange(0), default=350, show_default=True,
              help=t("coverage.cli.max_households"))
@click.option("--limit", type=click.IntRange(1), default=None, help=t("coverage.cli.limit"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help=t("coverage.cli.output"))
@click.pass_context
def gaps(ctx: click.Context, max_link_m: float, depth_m: float, max_households: int, limit: int | None,
         as_json: bool, output: str | None) -> None:
    from buurtkaart.coverage import coverage_gaps, write_table

    ws = open_workspace(ctx)
    from buurtkaart.infoborden.entries import entry_roads

    roads = entry_roads(ws)  # the roads beyond the border only link uncovered addresses
    found = coverage_gaps(ws.read("addresses"), roads, ws.read("groups"), ws.read("members"),
                          max_link_m=max_link_m, depth_m=depth_m, max_households=max_households or None,
                          municipality_area=ws.read("municipality"))
    if output:
        write_table(found, output, layer="dekkingsgaten")
        click.echo(t("coverage.cli.written", count=len(found), path=output), err=as_json)
    if as_json:
        echo_json({"gaps": _records(found.head(limit or len(found)))})
        return
    if ws.is_fictional:
        click.echo(t("core.fictional_banner"))
    if found.empty:
        click.echo(t("coverage.cli.no_gaps"))
        return
    click.echo(t("coverage.cli.gaps_header", count=len(found), households=int(found["households"].sum())))
    for row in found.head(limit).itertuples() if limit else found.itertuples():
        click.echo(t("coverage.cli.gap_line", rank=row.rank, gap_id=row.gap_id, households=row.households,
                     deelgemeente=row.deelgemeente, streets=row.streets))


@click.command(help=t("coverage.cli.invitations_help"))
@click.argument("streets", nargs=-1, required=True)
@click.option("--postcode", default=None, help=t("coverage.cli.postcode"))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help=t("coverage.cli.output"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def invitations(ctx: click.Context, streets: tuple[str, ...], postcode: str | None, output: str | None,
                as_json: bool) -> None:
    from buurtkaart.coverage import delivery_order, write_table

    ws = open_workspace(ctx)
    order = delivery_order(ws.read("addresses"), ws.read("streets"), street_names=streets, postcode=postcode)
    if output:
        write_table(order, output, layer="uitnodigingen")
        click.echo(t("coverage.cli.written", count=len(order), path=output), err=as_json)
    if as_json:
        echo_json({"addresses": _records(order[["seq", "label", "side", "postcode"]])})
        return
    if ws.is_fictional:
        click.echo(t("core.fictional_banner"))
    for row in order.itertuples():
        click.echo(f"{row.seq:>5}  {row.label}  ({row.side})")
