"""A reviewer at the keyboard: clears a review server's queue in a real Chromium by keystrokes alone.

`clear_queue(page, url, choose)` opens the link the server printed, presses
Enter on the queue, and then, item after item, asks `choose(item)` what to do:
None accepts (Enter), a text corrects (typed over the value, then Enter; a
text that starts with a key the page uses as a command, or with a character
no US keyboard has, is typed after Backspace, which clears the box). Once,
after the first accepted item, it presses `u` and decides that item again, and
on the first form it steps to the next field and back with Tab and Shift+Tab.
It never clicks. Every key pressed is counted (`keyboard.type` counts one a
character), and so are the seconds from an item being shown to the next one
being ready, and each form page's time to be ready (the page's own
`data-ready-ms`: from the start of the navigation to the crop shown).

Used by tests/review/test_browser.py (what the run did) and
benchmarks/review_run.py (how long it took).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

COMMAND_KEYS = set("uabpq?12")
STATE_JS = """() => {
  const b = document.body;
  if (!b || !b.dataset.page) return null;
  const r = document.querySelector('#fields .row.selected');
  const data = document.getElementById('form-data');
  const left = document.getElementById('left');
  return {
    page: b.dataset.page, href: location.href, ready: b.dataset.ready === '1',
    ready_ms: Number(b.dataset.readyMs || 0), record: data ? JSON.parse(data.textContent).record_id : null,
    field: r ? r.dataset.field : null, value: r && r.dataset.value !== undefined ? r.dataset.value : null,
    status: r ? r.dataset.status : null, kind: r ? r.dataset.kind : null,
    left: left ? Number(left.textContent) : null, done: !!document.getElementById('done'),
    mismatch: b.dataset.mismatch === '1', stale: b.dataset.stale === '1', confirmed: Number(b.dataset.confirmed || 0),
    error: (document.getElementById('notice') || {}).className === 'error'
      ? document.getElementById('notice').textContent : null,
  };
}"""


@dataclass(frozen=True)
class Shown:
    """What the page shows at a moment: the selected item of a form, or the queue."""

    page: str
    href: str
    ready: bool
    ready_ms: float
    record: str | None
    field: str | None
    value: str | None
    status: str | None
    kind: str | None
    left: int | None
    done: bool
    mismatch: bool
    stale: bool
    confirmed: int  # the bulk page: how many it confirmed
    error: str | None


@dataclass
class Decided:
    record_id: str
    field: str
    extracted: str
    typed: str | None  # None: accepted as it stood
    keys: int
    seconds: float


@dataclass
class KeyboardRun:
    decided: list[Decided] = field(default_factory=list)
    undone: list[tuple[str, str]] = field(default_factory=list)
    keys: int = 0  # every key pressed, from the queue's Enter to the last decision
    seconds: float = 0.0  # wall time of the same
    page_ready_ms: list[float] = field(default_factory=list)  # each form page: navigation start to crop shown
    clicks: int = 0  # stays 0: nothing here clicks

    @property
    def items(self) -> int:
        return len({(d.record_id, d.field) for d in self.decided})

    @property
    def corrections(self) -> list[Decided]:
        latest = {(d.record_id, d.field): d for d in self.decided}
        return [d for d in latest.values() if d.typed is not None]


class Stuck(AssertionError):
    """The page did not get where it should within the time allowed."""


@contextmanager
def chromium(headless: bool = True) -> Iterator[Any]:
    """Debian's chromium driven by Playwright: a fresh browser context, its page."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=headless)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
            page = context.new_page()
            yield page
            context.close()
        finally:
            browser.close()


def shown(page: Any) -> Shown | None:
    from playwright.sync_api import Error

    try:
        got = page.evaluate(STATE_JS)
    except Error:  # the page is navigating: its old document is gone, the new one not there yet
        return None
    return Shown(**got) if got else None


def wait_for(page: Any, test: Callable[[Shown], bool], what: str, timeout: float = 60.0) -> Shown:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        now = shown(page)
        if now is not None:
            last = now
            if now.error:
                raise Stuck(f"the page says: {now.error}")
            if test(now):
                return now
        time.sleep(0.01)
    raise Stuck(f"waited {timeout:.0f} s for {what}; the page last showed {last}")


def item_ready(s: Shown) -> bool:
    return s.page == "queue" or (s.page == "form" and s.ready and s.field is not None and s.status == "open")


class _Keys:
    def __init__(self, page: Any, run: KeyboardRun) -> None:
        self.page, self.run = page, run

    def press(self, key: str) -> None:
        self.run.keys += 1
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.run.keys += len(text)
        self.page.keyboard.type(text)


def clear_queue(page: Any, url: str, choose: Callable[[Shown], str | None], timeout: float = 60.0) -> KeyboardRun:
    """Clear every open item of the server at `url` by keys alone; what was done and how long it took."""
    run = KeyboardRun()
    keys = _Keys(page, run)
    page.goto(url)  # the printed link: the token goes into the cookie, the queue is shown
    wait_for(page, lambda s: s.page == "queue" and s.ready, "the queue, its keys listened to", timeout)
    started = time.monotonic()
    keys.press("Enter")
    pages_seen: set[str] = set()
    undo_done, tabbed = False, False
    while True:
        now = wait_for(page, item_ready, "the next open item", timeout)
        if now.page == "queue":
            break
        if now.href not in pages_seen:
            pages_seen.add(now.href)
            run.page_ready_ms.append(now.ready_ms)
        item_started, keys_before = time.monotonic(), run.keys
        if not tabbed:
            keys.press("Tab")  # a look at the next field of the form, and back
            keys.press("Shift+Tab")
            wait_for(page, lambda s, at=now: s.field == at.field, "Shift+Tab back to the item", timeout)
            tabbed = True
        typed = choose(now)
        if typed is None:
            keys.press("Enter")
        else:
            first = typed[:1]
            if not first.isascii() or not first.isprintable() or first in COMMAND_KEYS or first == " ":
                keys.press("Backspace")  # clears the box and starts editing
                keys.type(typed)
            else:
                keys.type(typed)  # the first key replaces the value, the rest are typed into the box
            keys.press("Enter")
        wait_for(
            page,
            lambda s, at=now: s.page == "queue" or s.href != at.href or (s.field != at.field and s.ready),
            f"the decision on {now.field} to be saved",
            timeout,
        )
        run.decided.append(
            Decided(now.record or "", now.field or "", now.value or "", typed, run.keys - keys_before,
                    time.monotonic() - item_started)
        )  # fmt: skip
        if typed is None and not undo_done:
            undo_done = True
            wait_for(page, item_ready, "the page after the decision", timeout)  # its keys are listened to
            keys.press("u")
            wait_for(
                page,
                lambda s, at=now: s.page == "form" and (s.record, s.field, s.status) == (at.record, at.field, "open"),
                f"undo of {now.field}",
                timeout,
            )
            run.undone.append((now.record or "", now.field or ""))
    run.seconds = time.monotonic() - started
    final = wait_for(page, lambda s: s.page == "queue", "the queue", timeout)
    if not final.done or final.left != 0:
        raise Stuck(f"the queue was left with {final.left} open items")
    return run


def summary(run: KeyboardRun) -> dict[str, float]:
    ready = sorted(run.page_ready_ms)
    return {
        "items": run.items,
        "decisions": len(run.decided),
        "undos": len(run.undone),
        "corrections": len(run.corrections),
        "keystrokes": run.keys,
        "keystrokes_per_item": run.keys / max(1, run.items),
        "seconds": run.seconds,
        "seconds_per_item": run.seconds / max(1, run.items),
        "form_pages": len(ready),
        "page_ready_ms_median": ready[len(ready) // 2] if ready else 0.0,
        "page_ready_ms_max": ready[-1] if ready else 0.0,
        "clicks": run.clicks,
    }


class Clerk:
    """Corrects the first amount (two digits swapped), the first '≥N(...)' target (N+1) and the first
    unit (元 -> 万元, typed in Chinese); accepts everything else."""

    def __init__(self) -> None:
        self.done: set[str] = set()

    def __call__(self, item: Shown) -> str | None:
        value = item.value or ""
        if "amount" not in self.done and item.kind == "decimal" and re.fullmatch(r"\d+\.\d\d", value):
            self.done.add("amount")
            return value[:-2] + value[-1] + value[-2] if value[-1] != value[-2] else str(Decimal(value) + 1)
        target = re.fullmatch(r"≥(\d+)(.*)", value)
        if "target" not in self.done and target:
            self.done.add("target")
            return f"≥{int(target.group(1)) + 1}{target.group(2)}"
        if "unit" not in self.done and item.field == "funds.unit" and value == "元":
            self.done.add("unit")
            return "万元"
        return None
