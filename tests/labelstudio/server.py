"""A real Label Studio server on loopback, for tests.

    with running_server(tmp_path) as ls:
        ls.client.get("/api/projects")

`running_server` makes (or reuses) .venv-label-studio (env.py), starts
`label-studio start` bound to 127.0.0.1 on a free port with a fresh data
directory under tmp_dir, waits for /health, yields a `Server` whose `client`
sends `Authorization: Token ...` on every request, and stops the whole process
group on exit. See FORMAT.md for the start command, the environment and why.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.labelstudio import env

START_TIMEOUT_S = 420.0  # migrations on a fresh SQLite take ~1 min on 2 cores; leave room on a busy CI
REQUEST_TIMEOUT_S = 120.0
LOG_TAIL_CHARS = 4000

# Everything Label Studio would otherwise reach out to: the PyPI version check, Sentry (on by
# default, backend and frontend), usage analytics, and resource downloads during export.
OFFLINE_ENV = {
    "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
    "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
    "LABEL_STUDIO_SENTRY_DSN": "",
    "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",
    "LABEL_STUDIO_CONVERTER_DOWNLOAD_RESOURCES": "false",
    "LABEL_STUDIO_FEATURE_FLAGS_OFFLINE": "true",
}


class LabelStudioError(RuntimeError):
    """An API call answered with an error status (the body is in the message)."""

    def __init__(self, method: str, url: str, status: int, body: str):
        super().__init__(f"{method} {url} -> HTTP {status}: {body[:2000]}")
        self.status = status
        self.body = body


class Client:
    """A minimal JSON-over-HTTP client for the Label Studio API (standard library only).

    It keeps no cookies, so Django's session/CSRF machinery never comes into play: every
    request is authenticated by the `Authorization: <scheme> <token>` header alone: scheme
    "Token" for the legacy API token, "Bearer" for an access token got from a personal access
    token (POST /api/token/refresh/, see FORMAT.md).
    """

    def __init__(self, base_url: str, token: str, timeout: float = REQUEST_TIMEOUT_S, scheme: str = "Token"):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.scheme = scheme

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        url = path if path.startswith("http") else self.base_url + "/" + path.lstrip("/")
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        return url

    def raw(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        auth: bool = True,
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; the status, headers and body, whatever the status."""
        url = self.url(path, params)
        headers = {"Accept": "application/json"}
        if auth:
            headers["Authorization"] = f"{self.scheme} {self.token}"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Send one request and return the decoded JSON answer; raise LabelStudioError on >= 400."""
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            content_type = "application/json"
        status, _, data = self.raw(method, path, params=params, body=body, content_type=content_type)
        if status >= 400:
            raise LabelStudioError(method, self.url(path, params), status, data.decode("utf-8", "replace"))
        if not data:
            return None
        return json.loads(data)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None)

    def post(self, path: str, json_body: Any, params: dict[str, Any] | None = None) -> Any:
        return self.request("POST", path, params=params, json_body=json_body)

    def post_files(self, path: str, files: dict[str, Path], params: dict[str, Any] | None = None) -> Any:
        """POST multipart/form-data with the given files (field name -> path)."""
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for field, file in files.items():
            mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{file.name}"\r\n'
                f"Content-Type: {mime}\r\n\r\n".encode()
                + file.read_bytes()
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode("ascii"))
        return self.request(
            "POST", path, params=params, body=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}"
        )


@dataclass
class Server:
    url: str
    client: Client
    username: str
    password: str
    token: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen
    startup_s: float

    def log_tail(self, chars: int = LOG_TAIL_CHARS) -> str:
        return _tail(self.log_path, chars)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, chars: int) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError as exc:
        return f"(no log: {exc})"


def _server_env(data_dir: Path) -> dict[str, str]:
    # Label Studio reads every setting X from LABEL_STUDIO_X, HEARTEX_X or plain X, so plain
    # variables that happen to be set (HOST, PORT, USERNAME, PASSWORD, DEBUG, ...) would leak
    # into its settings: drop those and every prefixed one, then set exactly what we mean.
    leaky = {
        "HOST",
        "PORT",
        "USERNAME",
        "PASSWORD",
        "USER_TOKEN",
        "DEBUG",
        "LOG_LEVEL",
        "DJANGO_DB",
        "DATABASE_NAME",
        "SECRET_KEY",
        "SENTRY_DSN",
        "FRONTEND_SENTRY_DSN",
        "COLLECT_ANALYTICS",
        "collect_analytics",
        "LATEST_VERSION_CHECK",
        "LOCAL_FILES_SERVING_ENABLED",
        "LOCAL_FILES_DOCUMENT_ROOT",
        "DJANGO_SETTINGS_MODULE",
        "POSTGRE_HOST",
        "REDIS_LOCATION",
    }
    environ = {
        k: v for k, v in os.environ.items() if k not in leaky and not k.startswith(("LABEL_STUDIO_", "HEARTEX_"))
    }
    environ.update(OFFLINE_ENV)
    environ.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environ


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def _wait_healthy(process: subprocess.Popen, log_path: Path, port: int, timeout: float) -> str:
    """The server's base URL once /health answers; RuntimeError with the log tail otherwise."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"label-studio exited with code {process.returncode} before /health "
                f"answered; log tail ({log_path}):\n{_tail(log_path, LOG_TAIL_CHARS)}"
            )
        # label-studio silently moves to the next port when the asked one is taken: follow it.
        moved = re.search(r"Starting development server at http://127\.0\.0\.1:(\d+)/", _tail(log_path, 200_000))
        if moved:
            url = f"http://127.0.0.1:{moved.group(1)}"
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as response:
                if response.status == 200 and json.loads(response.read()).get("status") == "UP":
                    return url
        except (OSError, ValueError):
            pass
        time.sleep(1.0)
    raise RuntimeError(
        f"label-studio did not answer {url}/health within {timeout:.0f} s; "
        f"log tail ({log_path}):\n{_tail(log_path, LOG_TAIL_CHARS)}"
    )


@contextlib.contextmanager
def running_server(tmp_dir: Path, start_timeout: float = START_TIMEOUT_S) -> Iterator[Server]:
    """Start Label Studio on 127.0.0.1 with a fresh data dir under tmp_dir; stop it on exit."""
    python, why = env.ensure()
    if python is None:
        raise RuntimeError(f"the Label Studio virtual environment could not be made: {why}")
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="label-studio-data-", dir=tmp_dir))
    log_path = data_dir.with_name(data_dir.name + ".log")
    username = "reviewer@example.com"
    password = secrets.token_urlsafe(16)
    token = secrets.token_hex(20)  # DRF token keys are at most 40 characters; label-studio wants > 5
    port = free_port()
    command = [
        str(env.executable()),
        "start",
        "--no-browser",
        "--internal-host",
        "127.0.0.1",  # the bind address (--host is only the public URL prefix)
        "--port",
        str(port),
        "--username",
        username,
        "--password",
        password,
        "--user-token",
        token,
        "--enable-legacy-api-token",
    ]
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_server_env(data_dir),
            cwd=data_dir,
            start_new_session=True,
        )
    try:
        url = _wait_healthy(process, log_path, port, start_timeout)
        yield Server(
            url=url,
            client=Client(url, token),
            username=username,
            password=password,
            token=token,
            data_dir=data_dir,
            log_path=log_path,
            process=process,
            startup_s=time.monotonic() - started,
        )
    finally:
        _stop(process)
