"""Commands ``lookup`` (an address or a street → its point, group(s) and street answer) and ``assign`` (a list of
people → their groups), both through :mod:`buurtkaart.assignment.find`."""

from __future__ import annotations

from pathlib import Path

import click

from buurtkaart.cli._common import echo_json, open_workspace
from buurtkaart.texts import t


@click.command(help=t("lookup.cli.lookup_help"))
@click.argument("address")
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 20), help=t("lookup.cli.limit"))
@click.pass_context
def lookup(ctx: click.Context, address: str, as_json: bool, limit: int) -> None:
    from buurtkaart.assignment.find import FindIndex, find_group

    ws = open_workspace(ctx)
    answer = find_group(address, index=FindIndex.from_workspace(ws), limit=limit)
    result = answer.lookup
    data = result.to_dict()
    if answer.status is not None:
        data["group_id"] = answer.group_ids[0] if answer.status == "toegewezen" else None
        data["group_name"] = answer.group_names[0] if answer.status == "toegewezen" else None
        data["group_status"] = answer.status
        data["groups"] = list(answer.group_ids) if answer.covered else []
        data["nearest"] = [{"group_id": g, "distance_m": d} for g, _n, d in answer.nearest]
    data["street_answer"] = answer.street.text if answer.street is not None else None
    data["answer"] = answer.message
    if as_json:
        echo_json(data)
        return
    if ws.is_fictional:
        click.echo(t("core.fictional_banner"))
    click.echo(result.message)
    if result.point is not None:
        click.echo(t("lookup.cli.point", label=result.label, x=result.point.x, y=result.point.y,
                     status=t(f"lookup.status.{result.status}")))
    if "group_status" in data:
        click.echo(_group_line(data))
    if answer.street is not None:
        click.echo(answer.street.text)
    for suggestion in result.suggestions:
        click.echo(f"  - {suggestion.label}")


def _group_line(data: dict) -> str:
    status = data["group_status"]
    if status == "toegewezen":
        return t("lookup.cli.group", group=data["group_name"], group_id=data["group_id"])
    if status == "overlap":
        return t("lookup.cli.overlap", groups=", ".join(data["groups"]))
    if status == "niet_gedekt":
        near = ", ".join(f"{n['group_id']} ({n['distance_m']:.0f} m)" for n in data["nearest"])
        return t("lookup.cli.uncovered", nearest=near or "-")
    return t("lookup.cli.outside")


@click.command(help=t("lookup.cli.assign_help"))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=t("lookup.cli.output"))
@click.option("--kolom", "column", default=None, help=t("lookup.cli.column"))
@click.option("--blad", "sheet", default=None, help=t("lookup.cli.sheet"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def assign(ctx: click.Context, file: Path, output: Path | None, column: str | None, sheet: str | None,
           as_json: bool) -> None:
    from buurtkaart.assignment.bulk import assign_people
    from buurtkaart.assignment.find import FindIndex
    from buurtkaart.importers import read_table

    ws = open_workspace(ctx)
    people = read_table(file, sheet=sheet)
    people.index = people.index + 2  # row labels are the line numbers of the file (line 1 is the header)
    out, report = assign_people(people, address_column=column,
                                index=FindIndex.from_workspace(ws, street_answers=False))
    if output is not None:
        _write_report(out, output)
    if as_json:
        echo_json({**report.to_dict(), "output": str(output) if output else None})
        return
    click.echo(report.text())
    if output is not None:
        click.echo(t("lookup.cli.written", path=output, rows=len(out)))


def _write_report(frame, path: Path) -> None:
    from buurtkaart.exports import write_layer
    from buurtkaart.safe_text import spreadsheet_frame

    table = frame.reset_index(names=t("lookup.cli.row_column"))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        tmp = path.with_name(f".{path.name}.tmp.xlsx")
        spreadsheet_frame(table).to_excel(tmp, index=False)
        tmp.replace(path)
    else:
        write_layer(table, path)
