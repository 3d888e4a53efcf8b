"""Commands that bring data in and out: ``setup``, ``import KIND FILE`` and ``export KIND FILE``."""

from __future__ import annotations

import click

from buurtkaart.cli._common import echo_json, open_workspace, progress, workspace_path
from buurtkaart.errors import InputError
from buurtkaart.exports import export_layer
from buurtkaart.importers import DEFAULT_TOLERANCE_M, KINDS, ImportReport, prepare_import, setup_workspace
from buurtkaart.importers.register_changes import RegisterChanges, write_changes
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE, ENGINES
from buurtkaart.workspace import location_exists


def _print_report(report: ImportReport, *, as_json: bool, changes: RegisterChanges | None = None) -> None:
    if as_json:
        echo_json({**report.to_dict(), **({"changes": changes.to_dict()} if changes is not None else {})})
    else:
        click.echo(report.text())


def _changes_out(changes: RegisterChanges | None, report_file: str | None, *, as_json: bool) -> None:
    """The register update: its summary (no personal data), and the full report file when asked."""
    if not as_json:
        for line in changes.lines() if changes is not None else [t("import.changes.first_import")]:
            click.echo(line)
    if report_file is not None and changes is not None:
        rows = write_changes(changes, report_file)
        if not as_json:
            click.echo(t("import.changes.report_written", path=report_file, count=rows))


def _columns(pairs: tuple[str, ...]) -> dict[str, str]:
    columns: dict[str, str] = {}
    bad = []
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            bad.append(pair)
        else:
            columns[field.strip()] = column.strip()
    if bad:
        raise InputError(t("import.cli.bad_column_option"), problems=bad)
    return columns


_boundary_options = [
    click.option("--layer", help=t("import.cli.layer_option")),
    click.option("--crs", help=t("import.cli.crs_option")),
    click.option("--repair", is_flag=True, help=t("import.cli.repair_option")),
    click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
                 help=t("io.cli.engine_option")),
]


def _with(options):  # type: ignore[no-untyped-def]
    def decorate(func):  # type: ignore[no-untyped-def]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


@click.command(help=t("import.cli.setup_help"))
@click.argument("boundary_file", type=click.Path(dir_okay=False))
@click.option("--municipality", "-m", help=t("import.cli.municipality_option"))
@_with(_boundary_options)
@click.option("--id-column", help=t("import.cli.id_column_option"))
@click.option("--name-column", help=t("import.cli.name_column_option"))
@click.option("--overwrite", is_flag=True, help=t("import.cli.overwrite_option"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def setup(ctx: click.Context, boundary_file: str, municipality: str | None, layer: str | None, crs: str | None,
          repair: bool, engine: str, id_column: str | None, name_column: str | None, overwrite: bool,
          as_json: bool) -> None:
    path = workspace_path(ctx)
    ws, report = setup_workspace(boundary_file, path, municipality=municipality, layer=layer, crs=crs,
                                 repair=repair, id_column=id_column, name_column=name_column, overwrite=overwrite,
                                 engine=engine)
    _print_report(report, as_json=as_json)
    if not as_json:
        click.echo(t("import.cli.setup_done", path=ws.path, municipality=ws.metadata.get("municipality", "?")))


@click.command("import", help=t("import.cli.import_help"))
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(dir_okay=False))
@_with(_boundary_options)
@click.option("--column", "-c", "column_pairs", multiple=True, metavar="VELD=KOLOM",
              help=t("import.cli.column_option"))
@click.option("--municipality", "-m", help=t("import.cli.municipality_option"))
@click.option("--tolerance-m", type=float, default=DEFAULT_TOLERANCE_M, show_default=True,
              help=t("import.cli.tolerance_option"))
@click.option("--sheet", help=t("import.cli.sheet_option"))
@click.option("--dry-run", is_flag=True, help=t("import.cli.dry_run_option"))
@click.option("--force", is_flag=True, help=t("import.cli.force_option"))
@click.option("--report", "report_file", type=click.Path(dir_okay=False), help=t("import.cli.report_option"))
@click.option("--remove-missing", is_flag=True, help=t("import.cli.remove_missing_option"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def import_cmd(ctx: click.Context, kind: str, file: str, layer: str | None, crs: str | None, repair: bool,
               engine: str, column_pairs: tuple[str, ...], municipality: str | None, tolerance_m: float,
               sheet: str | None, dry_run: bool, force: bool, remove_missing: bool, report_file: str | None,
               as_json: bool) -> None:
    columns = _columns(column_pairs)
    if report_file is not None and kind != "addresses":
        raise InputError(t("import.changes.report_only_addresses"))
    path = workspace_path(ctx)
    if kind == "municipality" and not location_exists(path):
        _, report = setup_workspace(file, path, municipality=municipality, layer=layer, crs=crs, repair=repair,
                                    id_column=columns.get("id"), name_column=columns.get("name"), engine=engine)
        _print_report(report, as_json=as_json)
        return
    ws = open_workspace(ctx)
    prepared = None
    for step in progress(["read", "store"], description=t("import.cli.progress", kind=kind)):
        if step == "read":
            prepared = prepare_import(ws, kind, file, layer=layer, columns=columns, crs=crs, repair=repair,
                                      tolerance_m=tolerance_m, municipality=municipality, sheet=sheet, force=force,
                                      remove_missing=remove_missing, engine=engine)
        elif not dry_run and prepared is not None:
            prepared.store()
    assert prepared is not None
    _print_report(prepared.report, as_json=as_json, changes=prepared.changes)
    if kind == "addresses":
        _changes_out(prepared.changes, report_file, as_json=as_json)
    if dry_run and not as_json:
        click.echo(t("import.cli.dry_run_done"))


@click.command("export", help=t("import.cli.export_help"))
@click.argument("kind", type=click.Choice([k for k in LAYERS if k != "users"]))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
              help=t("io.cli.engine_option"))
@click.pass_context
def export_cmd(ctx: click.Context, kind: str, file: str, engine: str) -> None:
    ws = open_workspace(ctx)
    count = export_layer(ws, kind, file, engine=engine)
    click.echo(t("import.cli.export_done", kind=kind, count=count, path=file))
