"""The JSON endpoints the pages call: decide, undo, save an alias, bulk confirm, name the reviewer.

Each goes through `extract.ingest.decisions`, so every change has its audit
row. Errors map to statuses in one place (`error_response`): a stale item
409 with the other reviewer's decision, an unknown one 404, a value that does
not parse 422, a request the pages would never make 400.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from extract.ingest.aliases import save_alias
from extract.ingest.decisions import Decision, ReviewError, StaleDecision, UnknownItem, bulk_confirm, decide, undo
from extract.ingest.fieldpaths import FieldPathError, parse_input
from extract.ingest.review_state import check_version
from extract.ingest.store import Store
from extract.review.config import ReviewConfig
from extract.review.fields import display, valid_path, valid_pattern, value_of
from extract.review.queue import (
    BadRequest,
    Filters,
    form_url,
    last_decision,
    loaded,
    next_open,
    queue,
    valid_record_id,
)
from extract.review.security import reviewer_cookie, reviewer_of

NAME_FIELD = re.compile(r"indicators\[\d+\]\.name")
Endpoint = Callable[[Request], Awaitable[Response]]


def error_response(store: Store, exc: Exception, record_id: str = "", field: str = "") -> JSONResponse:
    if isinstance(exc, StaleDecision):
        value = None
        with contextlib.suppress(ReviewError, BadRequest):
            value = display(value_of(loaded(store, record_id).data, field)) if record_id else None
        current = exc.current
        stale = {
            "version": exc.version,
            "decided_by": exc.decided_by,
            "status": current.status if current else "open",
            "decided_at": current.decided_at if current else None,
            "value": value,
        }
        return JSONResponse({"error": str(exc), "stale": stale}, status_code=409)
    if isinstance(exc, UnknownItem):
        return JSONResponse({"error": str(exc)}, status_code=404)
    if isinstance(exc, BadRequest):
        return JSONResponse({"error": str(exc)}, status_code=400)
    if isinstance(exc, ReviewError | FieldPathError | ValueError):
        return JSONResponse({"error": str(exc)}, status_code=422)
    raise exc


async def _body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise BadRequest("send JSON (Content-Type: application/json)")
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def _target(body: dict[str, Any]) -> tuple[str, str]:
    record_id, field = str(body.get("record_id") or ""), str(body.get("field") or "")
    if not valid_path(field):
        raise BadRequest("not a field path")
    if not valid_record_id(record_id):
        raise BadRequest("not a record id")
    return record_id, field


def _number(body: dict[str, Any], key: str, default: float = 0.0) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"{key} must be a number")
    return float(value)


def alias_offer(store: Store, record_id: str, field: str) -> dict[str, Any] | None:
    """After a decision on an indicator's name: 'this printed name means that entry', for the `a` key."""
    if not NAME_FIELD.fullmatch(field):
        return None
    data = loaded(store, record_id).data
    printed = value_of(data, field.rsplit(".", 1)[0] + ".name_raw")
    canonical = value_of(data, field)
    if not isinstance(printed, str) or not isinstance(canonical, str) or printed.strip() == canonical.strip():
        return None
    return {"kind": "indicator", "printed": printed, "canonical": canonical, "form_type": None}


def _decision(decision: Decision, store: Store) -> dict[str, Any]:
    return {
        "audit_id": decision.audit_id,
        "record_id": decision.record_id,
        "field": decision.field,
        "status": decision.status or "open",
        "version": decision.version,
        "value": display(value_of(loaded(store, decision.record_id).data, decision.field)),
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at,
    }


def _next(store: Store, filters: Filters, record_id: str, field: str) -> dict[str, Any]:
    found = next_open(store, filters, record_id, field)
    left = len(queue(store, filters))
    if found is None:
        return {"next": None, "left": left, "done_url": "/?" + filters.query(done="1")}
    return {"next": {"record_id": found[0], "field": found[1], "url": form_url(*found, filters)}, "left": left}


def _decide(store: Store, config: ReviewConfig, body: dict[str, Any], reviewer: str) -> dict[str, Any]:
    record_id, field = _target(body)
    filters = Filters.of(body.get("filters") or {})
    version = int(_number(body, "version"))
    seconds = max(0.0, _number(body, "seconds"))
    value = body.get("value")
    if value is not None and not isinstance(value, str):
        raise BadRequest("value must be text")
    action = body.get("action")
    if body.get("blind"):
        state = loaded(store, record_id)
        check_version(state, field, version)
        current = value_of(state.data, field)
        typed = parse_input(field, value, current)
        if typed != current:
            return {"mismatch": {"typed": display(typed), "extracted": display(current), "value": value or ""}}
        action, value = "confirm", None
    if action not in ("confirm", "correct"):
        raise BadRequest("action must be confirm or correct")
    decision = decide(store, record_id, field, action, value, reviewer, seconds, version)
    return {
        "decision": _decision(decision, store),
        "alias": alias_offer(store, record_id, field),
        **_next(store, filters, record_id, field),
    }


def _undo(store: Store, body: dict[str, Any], reviewer: str) -> dict[str, Any]:
    audit_id = last_decision(store, reviewer)
    if audit_id is None:
        raise UnknownItem(f"{reviewer} has no decision left to undo")
    decision = undo(store, audit_id, reviewer, max(0.0, _number(body, "seconds")))
    filters = Filters.of(body.get("filters") or {})
    return {
        "decision": _decision(decision, store),
        "url": form_url(decision.record_id, decision.field, filters),
        "left": len(queue(store, filters)),
    }


def _bulk(store: Store, body: dict[str, Any], reviewer: str) -> dict[str, Any]:
    pattern = str(body.get("field") or "")
    if not valid_pattern(pattern):
        raise BadRequest("field must be a field path or pattern such as indicators[*].level2")
    pairs = body.get("pairs")
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise BadRequest("pairs must be the [record_id, field] pairs the confirmation page listed")
    chosen = [_target({"record_id": p[0], "field": p[1]}) for p in pairs]
    form_type = body.get("form_type") or None
    value = body.get("value")
    count = bulk_confirm(
        store,
        chosen,
        reviewer,
        value=value if isinstance(value, str) and value else None,
        form_type=form_type if isinstance(form_type, str) else None,
        seconds=max(0.0, _number(body, "seconds")),
    )
    return {"confirmed": count, "left": len(queue(store, Filters()))}


def _alias(config: ReviewConfig, body: dict[str, Any], reviewer: str) -> dict[str, Any]:
    kind, printed, canonical = body.get("kind"), body.get("printed"), body.get("canonical")
    form_type = body.get("form_type") or None
    if kind not in ("indicator", "label") or not isinstance(printed, str) or not isinstance(canonical, str):
        raise BadRequest("an alias needs kind (indicator or label), printed and canonical")
    if form_type is not None and form_type not in ("target_declaration", "self_evaluation"):
        raise BadRequest("form_type must be a form type or null")
    path = save_alias(config.out_dir, kind, printed[:200], canonical[:200], form_type, reviewer)
    return {"saved": path.name, "printed": printed.strip(), "canonical": canonical.strip()}


def endpoints(store: Store, config: ReviewConfig) -> dict[str, Endpoint]:
    """The API's handlers by path, bound to one store and config."""

    def handler(work: Callable[[dict[str, Any], str], dict[str, Any]]) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            body: dict[str, Any] = {}
            try:
                body = await _body(request)
                answer = await run_in_threadpool(work, body, reviewer_of(request, config))
            except Exception as exc:
                try:
                    target = _target(body)
                except BadRequest:
                    target = ("", "")
                return error_response(store, exc, *target)
            return JSONResponse(answer)

        return endpoint

    async def name(request: Request) -> Response:
        try:
            body = await _body(request)
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        given = str(body.get("name") or "").strip()[:80]
        if not given:
            return JSONResponse({"error": "give a name"}, status_code=422)
        response = JSONResponse({"reviewer": given})
        port = int((request.scope.get("server") or ("", 0))[1] or 0)
        response.set_cookie(reviewer_cookie(port), quote(given), httponly=True, samesite="strict", path="/")
        return response

    return {
        "/api/decide": handler(lambda body, who: _decide(store, config, body, who)),
        "/api/undo": handler(lambda body, who: _undo(store, body, who)),
        "/api/bulk": handler(lambda body, who: _bulk(store, body, who)),
        "/api/alias": handler(lambda body, who: _alias(config, body, who)),
        "/api/reviewer": name,
    }
