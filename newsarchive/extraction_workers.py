"""Extraction in worker processes: a crawl's article pages made into records on the machine's
other cores, while the crawl's own process fetches, stores and schedules.

The workers start with the crawl (`ExtractionWorkers.start`), with "spawn" (the crawl's process
runs threads; a fork would copy their locks). A page's bytes go to a worker (`extract_page`, the
same `extract.from_response` a crawl without workers calls) and its outcome comes back: the
record with the store path's terms already computed (`archive.terms`), or why there is none.
The workers ignore SIGINT and SIGTERM: a crawl told to stop finishes the pages in hand. A worker
whose crawl is killed outright (SIGKILL) sees its parent gone and exits. Nothing here imports
Scrapy.

How many: NEWSARCHIVE_EXTRACT_PROCESSES (a setting, or the environment variable of that name):
`auto` is one fewer than the CPUs this process may use for a crawl (its own process is busy),
as many for `reextract`, at most MAX_AUTO; 0 extracts in the caller's own process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from newsarchive.archive import terms
from newsarchive.extract import from_response
from newsarchive.items import Article, NotAnArticleError, UndecodableError

SETTING = "NEWSARCHIVE_EXTRACT_PROCESSES"
MAX_AUTO = 4
"""Past a few workers the crawl's own process (Scrapy, the store) is the limit, not extraction."""
PARENT_CHECK_SECONDS = 1.0

Outcome = Literal["record", "refused", "undecodable", "failed"]


@dataclass(frozen=True)
class Extracted:
    """What a page gave: a record (with its terms when made in a worker), or why none."""

    outcome: Outcome
    article: Article | None = None
    terms: terms.Terms | None = None
    reason: str = ""
    """A refusal's kind (`NotAnArticleError.kind`), as counted in the crawl's summary."""
    message: str = ""
    """The refusal's message, or the failure's traceback."""


class ExtractionFailed(Exception):
    """An extraction that raised in a worker; its message is the worker's traceback."""


def extract_page(
    body: bytes,
    content_type: bytes | str | None,
    url: str,
    fetched_at: datetime,
    *,
    with_terms: bool = False,
) -> Extracted:
    """The outcome of one fetched page; never raises for what the page holds."""
    try:
        article = from_response(body, content_type, url, fetched_at=fetched_at)
    except UndecodableError as error:  # bytes that are no page: a broken response
        return Extracted("undecodable", reason=error.kind, message=str(error))
    except NotAnArticleError as error:
        return Extracted("refused", reason=error.kind, message=str(error))
    except Exception:
        return Extracted("failed", message=traceback.format_exc())
    return Extracted("record", article, terms.computed(article) if with_terms else None)


def processes_wanted(configured: object, *, busy_caller: bool = True) -> int:
    """The number of worker processes a setting asks for (`auto`, a number, or unset). `auto`
    leaves a core to a caller that is busy itself (a crawl: Scrapy and the store), not to one
    that mostly waits for the workers (`reextract`)."""
    value = str(configured if configured is not None else "auto").strip().lower() or "auto"
    if value == "auto":
        return min(MAX_AUTO, max(0, usable_cpus() - int(busy_caller)))
    wanted = int(value) if value.isdigit() else -1
    if wanted < 0:
        raise ValueError(
            f"{SETTING} must be auto, 0 (no worker processes) or a number of "
            f"processes, not {value!r}"
        )
    return wanted


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system has one)."""
    affinity = getattr(os, "sched_getaffinity", None)  # not on macOS
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


def configured(setting: object, *, busy_caller: bool = True) -> int:
    """The workers wanted: the environment variable over the setting."""
    return processes_wanted(os.environ.get(SETTING) or setting, busy_caller=busy_caller)


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _ready() -> None:
    """Nothing: what a worker runs to be started (its imports come with this module)."""


def _exit_when_orphaned(parent: int) -> None:
    # A crawl killed with SIGKILL cannot stop its workers; they would wait for pages forever.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


class ExtractionWorkers:
    """A pool of extraction processes, started by `start` or the first page; with 0, pages
    are extracted in the caller's process."""

    def __init__(self, processes: int, *, with_terms: bool = True) -> None:
        self.processes = processes
        self.with_terms = with_terms
        """Whether the workers also compute the store path's terms (`archive.terms`): for
        records that will mostly be stored (a crawl's), not for re-extraction's, mostly
        unchanged."""
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(
        self, body: bytes, content_type: bytes | str | None, url: str, fetched_at: datetime
    ) -> Future[Extracted]:
        """The page's outcome, to come from a worker (or made now, with no workers). A page
        in hand when its worker dies fails with BrokenProcessPool; the next page starts new
        workers."""
        page = (body, content_type, url, fetched_at)
        if not self.processes:
            done: Future[Extracted] = Future()
            done.set_result(extract_page(*page))
            return done
        terms_too = self.with_terms
        try:
            return self._running().submit(extract_page, *page, with_terms=terms_too)
        except BrokenProcessPool:  # a worker died (killed, out of memory): new workers
            self._stop(wait=False)
            return self._running().submit(extract_page, *page, with_terms=terms_too)

    def start(self) -> None:
        """Start the workers now (a crawl's first step), so that their start-up (an interpreter
        and the extraction's imports, about half a second) overlaps discovery's requests."""
        if self.processes:
            self._running().submit(_ready)

    def _running(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def _stop(self, *, wait: bool, cancel: bool = False) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=cancel)

    def close(self, *, cancel: bool = False) -> None:
        """Wait for the pages in hand (with `cancel`, only those a worker has begun), then
        stop the workers."""
        self._stop(wait=True, cancel=cancel)


_shared: ExtractionWorkers | None = None


def shared(processes: int) -> ExtractionWorkers:
    """The process's pool, one for every spider of a crawl (`crawl --all` runs them together)."""
    global _shared
    if _shared is None or _shared.processes != processes:
        if _shared is not None:
            _shared.close()
        _shared = ExtractionWorkers(processes)
    return _shared


def close_shared() -> None:
    """Stop the process's workers, if any were started (a crawl calls this when it ends)."""
    global _shared
    if _shared is not None:
        _shared.close()
        _shared = None
