"""``buurtkaart demo``: (re)create the fictional demo workspace."""

from __future__ import annotations

import click
import geopandas as gpd

from buurtkaart.cli._common import progress, workspace_path
from buurtkaart.errors import WorkspaceError
from buurtkaart.members.accounts import DEMO_PASSWORD
from buurtkaart.synthetic.town import DEFAULT_SEED, DEMO_STEPS, demo_build, write_demo_workspace
from buurtkaart.texts import t
from buurtkaart.workspace import location_exists, workspace_at


def _is_demo(path) -> bool:  # type: ignore[no-untyped-def]
    try:
        return workspace_at(path).is_fictional
    except WorkspaceError:
        return False


@click.command(help=t("demo.help"))
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True, help=t("demo.seed_option"))
@click.option("--force", is_flag=True, help=t("demo.force_option"))
@click.pass_context
def demo(ctx: click.Context, seed: int, force: bool) -> None:
    path = workspace_path(ctx)
    if location_exists(path) and not force and not _is_demo(path):
        raise WorkspaceError(t("demo.refuse_real", path=path))
    layers: dict[str, gpd.GeoDataFrame] = {}
    steps = [*DEMO_STEPS, "write"]
    bar = progress(steps, total=len(steps), description=t("demo.progress"))
    build = demo_build(layers, seed=seed)
    for step in bar:
        if step == "write":
            ws = write_demo_workspace(path, layers, seed=seed, overwrite=True)
        else:
            next(build)
    click.echo(t("demo.done", path=ws.path, municipality=ws.metadata.get("municipality", "?"), seed=seed))
    click.echo(t("core.fictional_banner"))
    for row in ws.info():
        if row["layer"] != "metadata":
            click.echo(t("demo.count_line", layer=row["layer"], count=row["features"]))
    users = ws.read("users")
    click.echo(t("demo.accounts", password=DEMO_PASSWORD,
                 users=", ".join(f"{u} ({r})" for u, r in zip(users["username"], users["role"], strict=True))))
