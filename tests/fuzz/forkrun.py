"""Run the CLI many times without paying for its imports each time: a server that forks per run.

    python -m tests.fuzz.forkrun        # reads one JSON request a line on stdin, answers one a line

The server imports `extract.cli` (and the pipeline) once; each request forks a child that
is exactly a fresh `filing-extract ARGV` run: its own session, cwd, stdout and stderr files
and an address-space cap (RLIMIT_AS), killed with its process group at the timeout. The
answer gives the exit code, seconds, the child's peak RSS (os.wait4) and whether it timed out.
"""

from __future__ import annotations

import io
import json
import logging
import os
import resource
import sys
import time

if __package__ in (None, ""):
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

from tests.fuzz.smoke import _wait


def _child(request: dict) -> None:
    """In the forked child: become a fresh CLI run, then exit with its code (never return)."""
    code = 70
    try:
        os.setsid()
        cap = int(request["memory"])
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        os.chdir(request["cwd"])
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True)
        logging.getLogger().handlers.clear()
        from extract.cli import main

        code = main(request["argv"])
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # what would reach the interpreter: a traceback on stderr, as python would print
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve() -> None:
    # Imported once, shared by every fork.
    import extract.cli
    import extract.ingest.run
    import extract.pipeline  # noqa: F401

    for line in sys.stdin:
        request = json.loads(line)
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            _child(request)
        code, peak_mb, timed_out = _wait(pid, float(request["timeout"]))
        answer = {
            "returncode": code,
            "seconds": time.perf_counter() - started,
            "peak_rss_mb": peak_mb,
            "timed_out": timed_out,
        }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve()
