"""Who may talk to a review server: the token, its cookie, CSRF, the Host header, and safe response headers.

Every request needs the server's random token: in the query of the first
visit (`/?token=...`, answered with a redirect that drops it from the address
bar and sets an HttpOnly, SameSite=Strict cookie), in that cookie, or as
`Authorization: Bearer ...` for scripts. No token is 401, a wrong one 403.
A request that changes anything (any method but GET and HEAD) also needs the
CSRF token the pages carry, in the `X-CSRF-Token` header, and an Origin, when
sent, of the server itself. On loopback only loopback Host headers are served
(DNS rebinding). Nothing here is module state: the guard holds the server's config.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote, unquote, urlencode

from starlette.datastructures import URL, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from extract.review.config import ReviewConfig, is_loopback

SAFE_METHODS = ("GET", "HEAD")
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
NO_TOKEN = (
    "This review server only answers the link it printed when it started (it carries a token): "
    "open that link, or start `filing-extract review DIR` again for a new one.\n"
)


def cookie_name(port: int) -> str:
    """One cookie a server: two review servers on one machine differ by port, and cookies do not."""
    return f"fe_review_{port}"


def reviewer_cookie(port: int) -> str:
    return f"fe_reviewer_{port}"


def reviewer_of(request: Request, config: ReviewConfig) -> str:
    """The browser's own reviewer name (`/?token=...&reviewer=NAME`), else the server's --reviewer."""
    given = request.cookies.get(reviewer_cookie(_port(request.scope)))
    name = unquote(given).strip() if given else ""
    return name or config.reviewer


def csrf_token(config: ReviewConfig) -> str:
    return hmac.new(config.secret, b"csrf:" + config.token.encode(), hashlib.sha256).hexdigest()[:40]


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _port(scope: Scope) -> int:
    server = scope.get("server") or ("", 0)
    return int(server[1] or 0)


def host_allowed(config: ReviewConfig, host_header: str, port: int) -> bool:
    if config.allow_remote:
        return True
    host = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    return is_loopback(host.strip("[]")) or host == config.host


class Guard:
    """ASGI middleware in front of the whole app, static files included."""

    def __init__(self, app: ASGIApp, config: ReviewConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = self._refusal(Request(scope))
        send = self._with_headers(send)
        if response is not None:
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, request: Request) -> Response | None:
        port = _port(request.scope)
        if not host_allowed(self.config, request.headers.get("host", ""), port):
            return PlainTextResponse("This server answers on its loopback address only.\n", status_code=403)
        token = self.config.token
        in_query = request.query_params.get("token")
        if in_query is not None:
            if not _same(in_query, token):
                return PlainTextResponse(NO_TOKEN, status_code=403)
            return self._welcome(request, port)
        auth = request.headers.get("authorization", "")
        given = auth[7:] if auth.lower().startswith("bearer ") else request.cookies.get(cookie_name(port))
        if given is None:
            return PlainTextResponse(NO_TOKEN, status_code=401)
        if not _same(given, token):
            return PlainTextResponse(NO_TOKEN, status_code=403)
        if request.method not in SAFE_METHODS:
            if not _same(request.headers.get("x-csrf-token"), csrf_token(self.config)):
                return PlainTextResponse("missing or wrong CSRF token: reload the page\n", status_code=403)
            origin = request.headers.get("origin")
            if origin and origin != "null" and URL(origin).netloc != request.headers.get("host"):
                return PlainTextResponse("cross-origin request refused\n", status_code=403)
        return None

    def _welcome(self, request: Request, port: int) -> Response:
        """The first visit: the token goes into the cookie and out of the address bar (and of history)."""
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("token", "reviewer")]
        target = request.url.path + (("?" + urlencode(kept)) if kept else "")
        response = RedirectResponse(target, status_code=303)
        cookie = dict(httponly=True, samesite="strict", path="/", secure=request.url.scheme == "https")
        response.set_cookie(cookie_name(port), self.config.token, **cookie)
        reviewer = (request.query_params.get("reviewer") or "").strip()
        if reviewer:
            response.set_cookie(reviewer_cookie(port), quote(reviewer[:80]), **cookie)
        return response

    def _with_headers(self, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        return sending
