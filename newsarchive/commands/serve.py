"""`newsarchive serve`: the web UI and JSON API over an archive, read-only."""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsarchive.cli import CONTEXT, InputError, archive_url, db_option, escaped, main

LOCALHOST = "127.0.0.1"


def checked_host(host: str) -> str:
    """An address to listen on (an IP address, or `localhost`), or a one-line error."""
    value = host.strip()
    if value.lower() == "localhost":
        return LOCALHOST
    try:
        return str(ipaddress.ip_address(value.strip("[]")))
    except ValueError:
        raise InputError(
            f"--host {escaped(repr(host))} is not an IP address: give 127.0.0.1 (this machine "
            "only, the default), or 0.0.0.0 (every interface) to serve beyond it"
        ) from None


def is_loopback(host: str) -> bool:
    return ipaddress.ip_address(host).is_loopback


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (0: a free port), or a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = socket.socket(family, socket.SOCK_STREAM)
    try:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
    except OSError as error:
        server.close()
        raise InputError(
            f"cannot listen on {host} port {port}: {error.strerror or error} "
            "(choose another --port, or 0 for a free one)"
        ) from None
    server.set_inheritable(True)
    return server


def server(config: Any, started: str) -> Any:
    """A uvicorn server that prints `started` once it answers, and ends normally on Ctrl-C or
    SIGTERM (exit status 0, as `demo --serve`) rather than raising the signal again once it
    has shut down."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit:
                click.echo(started)
                sys.stdout.flush()

        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            with super().capture_signals():
                yield
                self._captured_signals.clear()  # shut down already: nothing to raise again

    return Server(config)


def shown_address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@main.command("serve", context_settings=CONTEXT)
@click.option(
    "--host",
    default=LOCALHOST,
    show_default=True,
    help="Address to listen on; 0.0.0.0 serves beyond this machine (read-only, no login).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: a free one, printed).",
)
@click.option(
    "--warc-dir",
    metavar="DIR",
    default=None,
    help="Where the archive's raw pages are (default: as crawl puts them).",
)
@db_option
def serve_command(host: str, port: int, warc_dir: str | None, db: str | None) -> None:
    """Serve the archive read-only on the web: a search page (query box, filters, highlighted
    results), each article with its versions, diffs and other outlets' copies, the stories,
    trends with a chart, and the same as JSON under /api/ (OpenAPI: /openapi.json). The
    interface is in Greek; nothing is fetched from the internet. Ctrl-C stops.

    Only this machine can connect unless --host says otherwise: the server has no login, so
    anyone who can reach it can read the whole archive.

    \b
    Example:
      newsarchive serve --db newsarchive.db
      newsarchive serve --port 8080 --host 0.0.0.0
    """
    import uvicorn

    from newsarchive.web.app import create_app

    address = checked_host(host)
    if warc_dir is not None and not warc_dir.strip():
        raise InputError("--warc-dir needs a folder (the WARC files of the archive)")
    url = archive_url(db)
    app = create_app(url, warc_dir=Path(warc_dir) if warc_dir else None)
    listening = listening_socket(address, port)
    where = shown_address(address, listening.getsockname()[1])
    if not is_loopback(address):
        click.echo(
            f"newsarchive serve: warning: listening on {address}, beyond this machine: the "
            "archive is served read-only and without authentication, to anyone who can reach "
            "this port",
            err=True,
        )
    started = f"Serving {escaped(app.state.archive.where)} on {where} (read-only; Ctrl-C stops)"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server(config, started).run(sockets=[listening])
    click.echo("Stopped.")
