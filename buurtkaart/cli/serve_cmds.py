"""Command ``serve``: the public read-only API and the embeddable widget (:mod:`buurtkaart.api`) with uvicorn.

uvicorn's own access log is off (it would write the query string, i.e. what residents type); the API logs
method, path, status and time only.
"""

from __future__ import annotations

import click

from buurtkaart.cli._common import open_workspace
from buurtkaart.texts import t


@click.command(help=t("api.cli.serve_help"))
@click.option("--host", default="127.0.0.1", show_default=True, help=t("api.cli.host"))
@click.option("--port", default=8502, show_default=True, type=click.IntRange(1, 65535), help=t("api.cli.port"))
@click.option("--origin", "origins", multiple=True, envvar="BUURTKAART_API_ORIGINS", help=t("api.cli.origin"))
@click.option("--per-minute", default=60, show_default=True, type=click.IntRange(0, None),
              help=t("api.cli.per_minute"))
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True, help=t("api.cli.forwarded"))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, origins: tuple[str, ...], per_minute: int,
          forwarded_allow_ips: str) -> None:
    import logging

    import uvicorn

    from buurtkaart.api import create_app

    ws = open_workspace(ctx)
    app = create_app(ws, origins=origins, per_minute=per_minute)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    click.echo(t("api.cli.started", municipality=ws.metadata.get("municipality", ""), host=host, port=port))
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None, proxy_headers=True,
                forwarded_allow_ips=forwarded_allow_ips, server_header=False)
