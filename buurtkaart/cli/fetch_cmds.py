"""``buurtkaart fetch --municipality 23002|Asse``: a new workspace from the public download services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from buurtkaart.cli._common import echo_json, progress, workspace_path
from buurtkaart.fetch import BASE_URL_ENV, fetch_municipality
from buurtkaart.texts import t


def _bar(items: Iterable[Any], total: int | None, description: str) -> Iterable[Any]:
    return progress(items, total=total, description=description)


@click.command(help=t("fetch.cli.help"))
@click.option("--municipality", "-m", required=True, metavar="NIS|NAAM", help=t("fetch.cli.municipality_option"))
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), help=t("fetch.cli.cache_option"))
@click.option("--base-url", envvar=BASE_URL_ENV, metavar="URL", help=t("fetch.cli.base_url_option"))
@click.option("--timeout-s", type=click.FloatRange(min=0.01), help=t("fetch.cli.timeout_option"))
@click.option("--retries", type=click.IntRange(min=0), help=t("fetch.cli.retries_option"))
@click.option("--json", "as_json", is_flag=True, help=t("cli.json_option"))
@click.pass_context
def fetch(ctx: click.Context, municipality: str, cache_dir: str | None, base_url: str | None,
          timeout_s: float | None, retries: int | None, as_json: bool) -> None:
    report = fetch_municipality(municipality, workspace_path(ctx), cache_dir=cache_dir, base_url=base_url,
                                timeout_s=timeout_s, retries=retries, progress=_bar,
                                on_step=lambda text: click.echo(text, err=True))
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.text())
