"""This worker's heartbeat: a thread renewing its keys in Redis, whatever the crawl is doing.

A worker's requests go to the others when its heartbeat stops for NEWSARCHIVE_WORKER_TTL
seconds; the beats come from a daemon thread rather than Twisted's reactor, so that a worker
busy for a while (a slow commit, an archive being upgraded under its lock) is not taken for
gone, while a killed one (SIGKILL, power loss) stops beating at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

Beat = Callable[[], None]
BEATS = 5
"""Beats per NEWSARCHIVE_WORKER_TTL: a worker is taken for gone only after missing four."""


class Heartbeat:
    """Calls every registered beat every `interval` seconds (the shortest asked for)."""

    def __init__(self) -> None:
        self.beats: dict[Beat, float] = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def add(self, beat: Beat, interval: float) -> None:
        """Beat now, then every `interval` seconds until `remove`."""
        beat()
        with self.lock:
            self.beats[beat] = interval
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="heartbeat", daemon=True)
                self.thread.start()
        self.wake.set()

    def remove(self, beat: Beat) -> None:
        with self.lock:
            self.beats.pop(beat, None)

    def run(self) -> None:
        while True:
            with self.lock:
                beats = dict(self.beats)
            for beat in beats:
                try:
                    beat()
                except Exception as error:  # Redis away for a moment: the next beat tries
                    logger.warning("distributed crawl: heartbeat failed (%s)", error)
            self.wake.wait(min(beats.values(), default=1.0))
            self.wake.clear()


HEARTBEAT = Heartbeat()
"""The process's one heartbeat thread."""
