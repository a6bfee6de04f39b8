"""Serve the app with uvicorn on a socket bound first, so the URL (and its port) is known before serving."""

from __future__ import annotations

import contextlib
import socket
from dataclasses import replace

import uvicorn

from extract.errors import UsageError
from extract.ingest.store import Store
from extract.review.app import build_app
from extract.review.config import ReviewConfig, is_loopback


def check_host(config: ReviewConfig) -> None:
    """A host other than loopback needs --allow-remote: the token then travels in clear over the network."""
    if not is_loopback(config.host) and not config.allow_remote:
        raise UsageError(
            f"--host {config.host} would let other machines reach the review server; pass --allow-remote "
            "as well if that is meant (anyone on the network who gets the link can review, and plain HTTP "
            "carries its token in clear)"
        )


def bind(config: ReviewConfig) -> tuple[socket.socket, ReviewConfig]:
    """A listening socket on the configured host and port (0: a free one), and the config with the real port."""
    check_host(config)
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host.strip("[]"), config.port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock, replace(config, port=sock.getsockname()[1])


def url_of(config: ReviewConfig) -> str:
    host = f"[{config.host}]" if ":" in config.host and not config.host.startswith("[") else config.host
    return f"http://{host}:{config.port}/?token={config.token}"


def serve(store: Store, config: ReviewConfig, sock: socket.socket) -> None:
    """Serve until Ctrl+C (uvicorn finishes the requests in flight first; every decision is already stored)."""
    app = build_app(store, config)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, lifespan="off")
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises Ctrl+C again once it has shut down: a normal stop
        server.run(sockets=[sock])
