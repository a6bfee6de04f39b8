"""A real review server (the command, on loopback) and a real HTTP client with its own cookies.

`running(store_dir, ...)` runs `filing-extract review` (127.0.0.1, a free port)
until the block ends. `Browserless` is a reviewer without a browser: http.client,
its own cookie jar, the CSRF token read off the page, as a second reviewer or
an attacker would talk to the server.
"""

from __future__ import annotations

import http.client
import json
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from extract.ingest.store import Store, sqlite_url
from extract.review.config import ReviewConfig
from tests.conftest import ROOT

START_TIMEOUT_S = 120.0


@dataclass
class Running:
    config: ReviewConfig
    store: Store
    url: str  # the printed link, with the token

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.config.port}"


@contextmanager
def running(store_dir: Path, reviewer: str = "tester", blind: frozenset[str] = frozenset()) -> Iterator[Running]:
    """`filing-extract review STORE_DIR` in a process of its own until the block ends (Ctrl+C then).

    The real command, so the tests meet what a reviewer starts; and the pages it renders (OpenCV,
    MuPDF thread pools) stay out of the test process, whose later ingests fork worker processes.
    """
    command = [sys.executable, "-m", "extract", "review", str(store_dir), "--reviewer", reviewer]
    for kind in sorted(blind):
        command += ["--blind", kind]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:  # not a pipe: one could fill up
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT)
        try:
            ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT_S)
            url = proc.stdout.readline().strip() if ready else ""
            link = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)", url)
            if link is None:
                _stop(proc)
                log.seek(0)
                raise RuntimeError(f"the review server did not start: {url!r} {log.read()[-3000:]}")
            port, token = int(link.group(1)), link.group(2)
            config = ReviewConfig(out_dir=store_dir, reviewer=reviewer, blind=blind, port=port, token=token)
            store = Store(sqlite_url(store_dir))
            try:
                yield Running(config, store, url)
            finally:
                store.close()
        finally:
            _stop(proc)
            proc.stdout.close()


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl+C, as a reviewer stops it; killed if it has not stopped after 30 s."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)


class Browserless:
    """A reviewer's HTTP client: keeps cookies, sends the CSRF token it read on the last page."""

    def __init__(self, running: Running) -> None:
        self.running = running
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.running.config.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.running.config.port}", **(headers or {})}
        if self.cookies and "Cookie" not in sent:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        set_cookies = response.headers.get_all("set-cookie") or []
        for raw in set_cookies:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data, set_cookies)
        conn.close()
        found = re.search(rb'<meta name="csrf" content="([0-9a-f]+)">', data)
        if found:
            self.csrf = found.group(1).decode()
        return answer

    def get(self, path: str, **params: str) -> Answer:
        return self.request("GET", path + (("?" + urlencode(params)) if params else ""))

    def login(self, reviewer: str | None = None) -> Answer:
        parts = urlsplit(self.running.url)
        query = parts.query + (f"&reviewer={reviewer}" if reviewer else "")
        first = self.request("GET", f"{parts.path}?{query}")
        assert first.status == 303, first.text
        return self.get("/")

    def post(self, path: str, payload: Any, csrf: str | None = "mine", headers: dict | None = None) -> Answer:
        sent = {"Content-Type": "application/json", **(headers or {})}
        token = self.csrf if csrf == "mine" else csrf
        if token is not None:
            sent["X-CSRF-Token"] = token
        return self.request("POST", path, json.dumps(payload).encode(), sent)


def copy_store(template: Path, folder: Path) -> Path:
    """A test's own copy of a store folder made once a session."""
    shutil.copytree(template, folder)
    return folder
