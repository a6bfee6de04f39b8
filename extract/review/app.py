"""The review web app: `build_app(store, config)` makes it; nothing lives at module level.

Pages and images answer GET (`pages.py`), decisions POST JSON (`api.py`),
the stylesheet and the keyboard script are served from `static/` by the app
itself (no CDN: it works with no network), and the `Guard` (`security.py`)
stands in front of all of it.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from extract.ingest.store import Store
from extract.review.api import endpoints
from extract.review.config import ReviewConfig
from extract.review.pages import Pages
from extract.review.security import Guard

STATIC = Path(__file__).parent / "static"


async def _no_icon(request: Request) -> Response:
    return Response(status_code=204)


def build_app(store: Store, config: ReviewConfig) -> Starlette:
    pages = Pages(store, config)
    routes = [Route(path, handler, methods=["GET", "HEAD"]) for path, handler in pages.routes().items()]
    routes += [Route(path, handler, methods=["POST"]) for path, handler in endpoints(store, config).items()]
    routes += [
        Route("/favicon.ico", _no_icon, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Guard, config=config)])
