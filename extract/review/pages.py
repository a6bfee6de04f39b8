"""The server-rendered pages (the queue, a form, bulk confirm) and the page images (crops, whole pages).

Images are served by id only: a record id and a field path (the crop) or a
file's SHA-256 and a page number (the whole page), each checked against what
the app itself makes before the store is asked; the file is then found by its
SHA-256 in the store (`sources.py`), never by a path from the request.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from extract.ingest.review_queue import review_stats
from extract.ingest.review_state import Loaded, UnknownItem
from extract.ingest.store import Store
from extract.review.config import ReviewConfig
from extract.review.crops import PageImages, PageRead, crop, outlined, page_read, png, shrink
from extract.review.fields import display, label, valid_path, valid_pattern
from extract.review.queue import SHA256, BadRequest, Filters, form_url, loaded, queue, record_on_page
from extract.review.security import csrf_token, reviewer_of
from extract.review.sources import SourceMissing, source_bytes, stored_paths
from extract.review.views import form_view, queue_row

TEMPLATES = Path(__file__).parent / "templates"
QUEUE_SHOWN = 300  # rows listed on the queue page; the count says how many are left in all
Endpoint = Callable[[Request], Awaitable[Response]]


def _image(data: bytes) -> Response:
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


class Pages:
    """The page handlers of one app: its store, config, templates and rendered pages."""

    def __init__(self, store: Store, config: ReviewConfig) -> None:
        self.store = store
        self.config = config
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.images = PageImages()

    def _render(self, request: Request, name: str, context: dict, status: int = 200) -> Response:
        context = {
            **context,
            "csrf": csrf_token(self.config),
            "reviewer": reviewer_of(request, self.config),
            "blind": self.config.blind_amounts,
        }
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def _problem(self, request: Request, exc: Exception) -> Response:
        status = 404 if isinstance(exc, UnknownItem | SourceMissing | LookupError) else 400
        return self._render(
            request,
            "message.html",
            {"title": "Not found" if status == 404 else "Bad request", "message": str(exc)},
            status,
        )

    async def queue_page(self, request: Request) -> Response:
        try:
            filters = Filters.of(request.query_params)
        except BadRequest as exc:
            return self._problem(request, exc)
        items = await run_in_threadpool(queue, self.store, filters)
        stats = await run_in_threadpool(review_stats, self.store)
        context = {
            "rows": [queue_row(self.config, i) for i in items[:QUEUE_SHOWN]],
            "left": len(items),
            "shown": min(len(items), QUEUE_SHOWN),
            "stats": stats,
            "filters": filters,
            "query": filters.query(),
            "done": request.query_params.get("done") == "1",
            "form_types": ("target_declaration", "self_evaluation"),
        }
        return self._render(request, "queue.html", context)

    async def next_page(self, request: Request) -> Response:
        try:
            filters = Filters.of(request.query_params)
        except BadRequest as exc:
            return self._problem(request, exc)
        first = await run_in_threadpool(queue, self.store, filters, 1)
        if not first:
            return RedirectResponse("/?" + filters.query(done="1"), status_code=303)
        return RedirectResponse(form_url(first[0].record_id, first[0].field, filters), status_code=303)

    def _form(self, record_id: str, field: str, filters: Filters) -> dict:
        state = loaded(self.store, record_id)
        paths = stored_paths(self.store, state.sha256)
        view = form_view(self.config, state, field or None, filters, paths[0] if paths else None)
        view["left"] = len(queue(self.store, filters))
        return view

    async def form_page(self, request: Request) -> Response:
        params = request.query_params
        field = params.get("item", "")
        try:
            filters = Filters.of(params)
            if field and not valid_path(field):
                raise BadRequest("not a field path")
            view = await run_in_threadpool(self._form, params.get("record", ""), field, filters)
        except (BadRequest, UnknownItem, SourceMissing) as exc:
            return self._problem(request, exc)
        return self._render(request, "form.html", {"form": view})

    def _bulk(self, pattern: str, value: str, form_type: str) -> list[dict]:
        items = queue(self.store, Filters(form_type=form_type, field=pattern))
        found = []
        for item in items:
            shown = display(None if item.value is None else json.loads(item.value))
            if shown == value:
                found.append(
                    {
                        "record_id": item.record_id,
                        "field": item.field,
                        "label": label(item.field),
                        "value": shown,
                        "project_name": item.project_name or "",
                        "file": item.path or "",
                    }
                )
        return found

    async def bulk_page(self, request: Request) -> Response:
        params = request.query_params
        pattern, value, form_type = params.get("field", ""), params.get("value", ""), params.get("form_type", "")
        back = params.get("back", "/")
        if not back.startswith("/") or back.startswith("//"):
            back = "/"
        try:
            Filters.of({"field": pattern, "form_type": form_type})
            if not pattern or not valid_pattern(pattern):
                raise BadRequest("bulk confirm needs a field pattern such as indicators[*].level2")
        except BadRequest as exc:
            return self._problem(request, exc)
        found = await run_in_threadpool(self._bulk, pattern, value, form_type)
        context = {"pattern": pattern, "value": value, "form_type": form_type, "found": found, "back": back}
        return self._render(request, "bulk.html", context)

    def _page_image(self, state: Loaded, page: int, dpi: int) -> np.ndarray:
        def load() -> tuple[str, bytes, PageRead]:
            name, data = source_bytes(self.store, state.sha256, self.config.source_roots)
            return name, data, page_read(state.record, page)

        return self.images.get(state.sha256, page, dpi, load)

    def _crop(self, record_id: str, field: str, whole: bool) -> bytes:
        state = loaded(self.store, record_id)
        record = state.record
        item = next((i for i in record.review if i.field == field), None)
        place = record.provenance.get(field)
        page, box = (item.page, item.box) if item and item.page and item.box else (None, None)
        if page is None and place is not None:
            page, box = place.page, place.box
        pages = record.source.pages if record.source else []
        page = page or (item.page if item else None) or (pages[0] if pages else None)
        if page is None:
            raise LookupError(f"no page is known for {field}")
        dpi = self.config.crop_dpi
        image = self._page_image(state, page, dpi)
        if box and not whole:
            return png(crop(image, box, dpi))
        return png(shrink(outlined(image, box, dpi) if box else image, 1100))

    async def crop_image(self, request: Request) -> Response:
        record_id, field = request.query_params.get("record", ""), request.query_params.get("field", "")
        if not valid_path(field):
            return PlainTextResponse("not a field path\n", status_code=400)
        try:
            whole = request.query_params.get("whole") == "1"
            return _image(await run_in_threadpool(self._crop, record_id, field, whole))
        except (BadRequest, UnknownItem, SourceMissing, LookupError) as exc:
            return PlainTextResponse(f"{exc}\n", status_code=400 if isinstance(exc, BadRequest) else 404)

    def _whole_page(self, sha256: str, page: int) -> bytes:
        state = record_on_page(self.store, sha256, page)
        return png(shrink(self._page_image(state, page, self.config.crop_dpi), 1400))

    async def page_image(self, request: Request) -> Response:
        sha256, page = request.query_params.get("file", ""), request.query_params.get("page", "")
        if not SHA256.fullmatch(sha256) or not page.isdigit() or not 0 < int(page) < 100_000:
            return PlainTextResponse("a page is asked for by its file's id and its number\n", status_code=400)
        try:
            return _image(await run_in_threadpool(self._whole_page, sha256, int(page)))
        except (UnknownItem, SourceMissing, LookupError) as exc:
            return PlainTextResponse(f"{exc}\n", status_code=404)

    def routes(self) -> dict[str, Endpoint]:
        return {
            "/": self.queue_page,
            "/next": self.next_page,
            "/form": self.form_page,
            "/bulk": self.bulk_page,
            "/crop": self.crop_image,
            "/page": self.page_image,
        }
