"""Crawl speed and memory: five crawlers over the same article pages, served on 127.0.0.1.

For each size, builds a synthetic copy of the thessaliatv fixture site with N article pages
(`crawl_site.py`: its fixture page's chrome, each page with its own headline and 300-700 words
of Greek text, all listed in the feed), serves it with `newsarchive.fixture_server` in this
process, then runs each contender as a subprocess in a fresh folder:

- bare Scrapy: a spider that reads the feed and downloads every article, parsing nothing;
- Scrapy + trafilatura: the same spider extracting each page with trafilatura
  (`bare_extraction` with metadata) and inserting it into SQLite, committing each item, as a
  user building this alone would write it;
- newsarchive: `newsarchive crawl thessaliatv --mirror URL` (discovery, the freshness check,
  extraction, validation, raw pages to WARC, the store path with versions, stories and the
  search index, the resumable job folder), extracting in worker processes (its default,
  NEWSARCHIVE_EXTRACT_PROCESSES=auto: one on a 2-core machine);
- newsarchive, extracting in the crawl's process (`one-process`: the same crawl with
  NEWSARCHIVE_EXTRACT_PROCESSES=0);
- newsarchive, 2 workers on Redis: two `newsarchive crawl thessaliatv --redis URL` processes
  sharing a private `redis-server` (left out while the crawl command has no `--redis`).

Every contender fetches through the mirror download handler with the same politeness-free
settings: robots.txt obeyed, no AutoThrottle, no delay, 16 requests at once and 8 per domain
(what `--mirror` sets for newsarchive). Each must fetch every article exactly once, and those
that store must have stored every article; the run stops otherwise.

Printed per contender and size: wall seconds, article pages per second, CPU seconds (user and
system, with its extraction processes'), peak memory (the most the process and its extraction
processes held at once, sampled from /proc every 0.1 s: its own peak RSS plus theirs; for the
Redis case the peaks of both workers and of redis-server, summed), the ratio of its time to the
bare run's, and the fixture server's CPU time per request it answered (a server slowing down
as the pages grow would show there).
`--repeat N` runs the contenders in turn N times and keeps each one's fastest run (the least
disturbed on a shared machine) with the highest peak of its runs. `--profile` runs newsarchive
once more at the largest size with the CPU time of each stage added up (`crawl_stages.py`) and
prints what costs what.

    .venv/bin/python bench/crawl.py [--pages 300,3000] [--repeat 3] [--only bare,newsarchive]
        [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawl_site import ARTICLE_PATH, POLITENESS_FREE, SITE, build_site, write_spiders
from crawl_stages import STAGES, TIMER, stage_table

from newsarchive.fixture_server import FixtureServer, serve

# --- running and measuring ---------------------------------------------------------------------


@dataclass
class Usage:
    """What processes used: wall seconds, CPU seconds (user and system, summed over them) and
    peak memory (MiB: each one's peak RSS, summed)."""

    seconds: float
    cpu: float
    peak_mib: float
    note: str = ""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            max(self.seconds, other.seconds), self.cpu + other.cpu, self.peak_mib + other.peak_mib
        )


@dataclass
class Run:
    """One contender's run over one size."""

    contender: str
    pages: int
    seconds: float
    cpu: float
    peak_mib: float
    server_ms: float
    """The fixture server's CPU milliseconds per request it answered."""
    note: str = ""

    @property
    def rate(self) -> float:
        return self.pages / self.seconds


@dataclass
class Context:
    """What every contender gets: the server, the site's size, a fresh folder, the spiders."""

    server: FixtureServer
    pages: int
    folder: Path
    spiders: Path


def mirror_settings(server: FixtureServer) -> list[str]:
    return [
        "-s",
        f"NEWSARCHIVE_MIRROR={server.url}",
        "-s",
        'DOWNLOAD_HANDLERS={"https": "newsarchive.mirror.MirrorDownloadHandler"}',
    ]


def scrapy_command(context: Context, spider: str) -> list[str]:
    settings = [
        part for name, value in POLITENESS_FREE.items() for part in ("-s", f"{name}={value}")
    ]
    return [
        sys.executable,
        *("-m", "scrapy", "runspider", str(context.spiders / f"{spider}_spider.py")),
        *settings,
        *mirror_settings(context.server),
    ]


def crawl_command(context: Context, db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        *("-m", "newsarchive", "crawl", SITE, "--db", str(db), "--mirror", context.server.url),
        *extra,
    ]


def waited(
    process: subprocess.Popen[Any], started: float, tree_memory: TreeMemory | None = None
) -> tuple[int, Usage]:
    """Waits for the process: its exit status and what it used (CPU with its descendants';
    peak memory from `tree_memory` when it took a sample)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    # ru_maxrss alone overstates: after a vfork the child's counts the parent's peak too
    # (this process's, with the fixture server's pages), and it is one process's, not a sum.
    peak = usage.ru_maxrss / 1024
    if tree_memory is not None and tree_memory.stop().most:
        peak = tree_memory.most
    return process.returncode, Usage(time.perf_counter() - started, cpu, peak)


class TreeMemory(threading.Thread):
    """Watches a process and its descendants (newsarchive's extraction processes) while it
    runs, every SAMPLE_EVERY seconds: the most memory they held at once (the process's own
    peak RSS, VmHWM, plus its descendants' resident sets). A helper that lives a moment
    (ldconfig run by an import) counts only while alive."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.most = 0.0
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_EVERY):
            root, *descendants = tree(self.root)
            held = memory_mib(root, "VmHWM") + sum(memory_mib(pid, "VmRSS") for pid in descendants)
            self.most = max(self.most, held)

    def stop(self) -> TreeMemory:
        self.done.set()
        self.join()
        return self


SAMPLE_EVERY = 0.1


def tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc's children lists."""
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                waiting.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def memory_mib(pid: int, field: str) -> float:
    """A memory figure of /proc/PID/status (VmRSS, VmHWM) in MiB; 0 for a process gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def processes(
    commands: list[list[str]], cwd: Path, name: str, env: dict[str, str] | None = None
) -> Usage:
    """Runs the commands side by side; what they used (wall seconds until the last ends).
    Exits with a failed one's stderr."""
    with ExitStack() as stack:
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _ in commands]
        outs = [
            stack.enter_context(output(cwd, number).open("wb")) for number in range(len(commands))
        ]
        started = time.perf_counter()
        running = [
            subprocess.Popen(command, stdout=out, stderr=log, cwd=cwd, env=env)
            for command, out, log in zip(commands, outs, logs, strict=True)
        ]
        watched = [TreeMemory(process.pid) for process in running]
        total = Usage(0.0, 0.0, 0.0)
        for process, log, memory in zip(running, logs, watched, strict=True):
            status, usage = waited(process, started, memory)
            if status != 0:
                log.seek(0)
                sys.exit(f"{name} failed ({status}):\n{log.read().decode()[-3000:]}")
            total += usage
        return total


def output(folder: Path, number: int) -> Path:
    """Where the `number`th of the processes run side by side wrote its stdout."""
    return folder / f"stdout-{number}.txt"


def rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def bare(context: Context) -> Usage:
    return processes([scrapy_command(context, "bare")], context.folder, "bare Scrapy")


def with_trafilatura(context: Context) -> Usage:
    used = processes([scrapy_command(context, "trafilatura")], context.folder, "trafilatura")
    stored(context, rows(context.folder / "articles.db", "articles"))
    return used


def newsarchive(context: Context, env: dict[str, str] | None = None) -> Usage:
    db = context.folder / "bench.db"
    used = processes([crawl_command(context, db)], context.folder, "newsarchive", env)
    stored(context, rows(db, "articles"))
    return used


def in_one_process(context: Context) -> Usage:
    """newsarchive extracting in the crawl's own process (NEWSARCHIVE_EXTRACT_PROCESSES=0)."""
    return newsarchive(context, {**os.environ, "NEWSARCHIVE_EXTRACT_PROCESSES": "0"})


def two_workers(context: Context) -> Usage:
    """Two workers and their redis-server: wall time of the workers, CPU and peaks of all
    three summed."""
    db = context.folder / "bench.db"
    with redis_server(context.folder) as (url, redis):
        redis_memory = TreeMemory(redis.pid)
        commands = [crawl_command(context, db, "--redis", url) for _ in range(2)]
        used = processes(commands, context.folder, "newsarchive on Redis")
        redis.terminate()
        _, server = waited(redis, time.perf_counter(), redis_memory)
    stored(context, rows(db, "articles"))
    shares = [new_articles(output(context.folder, number)) for number in range(2)]
    note = f"articles stored by each worker: {' + '.join(map(str, shares))}"
    return Usage(used.seconds, used.cpu + server.cpu, used.peak_mib + server.peak_mib, note)


def new_articles(summary: Path) -> int:
    """The new articles a crawl's summary line counts (`[ok] site: N pages, M new, …`)."""
    found = re.search(r"(\d+) new", summary.read_text(encoding="utf-8"))
    return int(found.group(1)) if found else 0


def stored(context: Context, count: int) -> None:
    if count != context.pages:
        sys.exit(f"{context.folder.name}: {count} articles stored of {context.pages}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A private redis-server on a free port, nothing saved; its URL while it runs."""
    import redis

    port = free_port()
    process = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(folder)),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        client.close()
        if process.returncode is None:
            process.terminate()
            process.wait()


def has_redis_option() -> bool:
    """Whether `newsarchive crawl` takes `--redis` (the distributed crawl has landed)."""
    command = [sys.executable, "-m", "newsarchive", "crawl", "--help"]
    return "--redis" in subprocess.run(command, capture_output=True, text=True).stdout


CONTENDERS: dict[str, tuple[str, Callable[[Context], Usage]]] = {
    "bare": ("bare Scrapy", bare),
    "trafilatura": ("Scrapy + trafilatura + SQLite", with_trafilatura),
    "newsarchive": ("newsarchive", newsarchive),
    "one-process": ("newsarchive, extracting in the crawl's process", in_one_process),
    "redis": ("newsarchive, 2 workers on Redis", two_workers),
}


def cpu_seconds() -> float:
    """This process's CPU time: the fixture server's threads (the main thread only waits)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def fetched_once(server: FixtureServer, since: int, pages: int, name: str) -> None:
    """Every article was asked for exactly once since request number `since`."""
    ids = [m.group(1) for path in server.requests[since:] if (m := ARTICLE_PATH.match(path))]
    if len(ids) != pages or len(set(ids)) != pages:
        sys.exit(f"{name}: {len(set(ids))} articles fetched of {pages}, {len(ids)} requests")


def measure(key: str, context: Context) -> Run:
    name, contender = CONTENDERS[key]
    since, cpu = len(context.server.requests), cpu_seconds()
    used = contender(context)
    answered = len(context.server.requests) - since
    fetched_once(context.server, since, context.pages, name)
    server_ms = (cpu_seconds() - cpu) * 1000 / max(answered, 1)
    return Run(name, context.pages, used.seconds, used.cpu, used.peak_mib, server_ms, used.note)


def best(runs: list[Run]) -> Run:
    """The fastest of repeated runs, with the highest peak of them."""
    fastest = min(runs, key=lambda run: run.seconds)
    fastest.peak_mib = max(run.peak_mib for run in runs)
    return fastest


def profile(context: Context) -> str:
    """newsarchive's crawl with its stages timed: a table of what costs what (CPU time)."""
    out, script = context.folder / "stages.json", context.folder / "timed.py"
    script.write_text(TIMER, encoding="utf-8")
    command = crawl_command(context, context.folder / "bench.db")
    command[1:3] = [str(script), str(out), json.dumps(STAGES)]
    processes([command], context.folder, "newsarchive with its stages timed")
    stored(context, rows(context.folder / "bench.db", "articles"))
    return stage_table(json.loads(out.read_text(encoding="utf-8")), context.pages)


# --- the report --------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    lines = [
        "| contender | pages | seconds | pages/s | CPU s | peak MiB | × bare (time) "
        "| × bare (CPU) | server CPU ms/request |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    bare_runs = {run.pages: run for run in runs if run.contender == "bare Scrapy"}
    for run in runs:
        plain = bare_runs.get(run.pages)
        times = f"×{run.seconds / plain.seconds:.2f}" if plain else "–"
        cpu = f"×{run.cpu / plain.cpu:.2f}" if plain else "–"
        lines.append(
            f"| {run.contender} | {run.pages:,} | {run.seconds:.2f} | {run.rate:.0f} | "
            f"{run.cpu:.2f} | {run.peak_mib:.0f} | {times} | {cpu} | {run.server_ms:.2f} |"
        )
    return "\n".join(lines)


def verdicts(runs: list[Run]) -> list[str]:
    """The issue's targets, as measured."""
    by = {(run.contender, run.pages): run for run in runs}
    sizes = sorted({run.pages for run in runs})
    found = []
    for pages in sizes:
        ours, plain = by.get(("newsarchive", pages)), by.get(("bare Scrapy", pages))
        peer = by.get(("Scrapy + trafilatura + SQLite", pages))
        if ours and plain:
            ratio = ours.seconds / plain.seconds
            met = "met" if ratio <= 1.5 else "NOT met"
            found.append(f"{pages:,} pages: newsarchive ×{ratio:.2f} the bare run (≤ ×1.5: {met})")
        if ours and peer:
            faster = "faster" if ours.seconds < peer.seconds else "NOT faster"
            found.append(
                f"{pages:,} pages: newsarchive {faster} than the trafilatura spider "
                f"(×{peer.seconds / ours.seconds:.2f} its speed)"
            )
    for contender in dict.fromkeys(run.contender for run in runs):
        peaks = [by[(contender, pages)].peak_mib for pages in sizes if (contender, pages) in by]
        if len(peaks) > 1:
            found.append(
                f"{contender}: peak memory ×{peaks[-1] / peaks[0]:.2f} from {sizes[0]:,} to "
                f"{sizes[-1]:,} pages"
            )
    found += [f"{run.contender}, {run.pages:,} pages: {run.note}" for run in runs if run.note]
    return found


def sizes_of(value: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of page counts: {value!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"not a list of page counts: {value!r}")
    return sizes


def contenders_of(value: str) -> list[str]:
    keys = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [key for key in keys if key not in CONTENDERS]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(f"contenders are {', '.join(CONTENDERS)}: {value!r}")
    return keys


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=sizes_of, default=[300, 3000], help="300,3000")
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender and size")
    parser.add_argument(
        "--only", type=contenders_of, default=list(CONTENDERS), help=",".join(CONTENDERS)
    )
    parser.add_argument("--profile", action="store_true", help="profile newsarchive's crawl")
    return parser.parse_args()


def run_size(root: Path, pages: int, keys: list[str], repeat: int) -> list[Run]:
    """Every contender over a site of `pages` articles, `repeat` rounds (contenders in turn,
    so that a change in the machine's load falls on all of them); the best of each."""
    build_site(root / "site", pages)
    spiders = write_spiders(root / "spiders")
    repeats: dict[str, list[Run]] = {key: [] for key in keys}
    with serve(root / "site") as server:
        for number in range(repeat):
            for key in keys:
                work = root / f"{key}-{number}"
                work.mkdir()
                run = measure(key, Context(server, pages, work, spiders))
                print(f"{run.contender}, {pages:,} pages: {run.seconds:.2f} s", file=sys.stderr)
                repeats[key].append(run)
    return [best(repeats[key]) for key in keys]


def profile_run(root: Path, pages: int) -> str:
    build_site(root / "site", pages)
    with serve(root / "site") as server:
        work = root / "profile"
        work.mkdir()
        return profile(Context(server, pages, work, root))


def main() -> None:
    args = arguments()
    keys = list(args.only)
    if "redis" in keys and not has_redis_option():
        print("newsarchive crawl has no --redis yet: the 2-worker case left out", file=sys.stderr)
        keys.remove("redis")
    runs: list[Run] = []
    profiled = ""
    with tempfile.TemporaryDirectory() as folder:
        for pages in args.pages:
            runs += run_size(Path(folder) / f"pages-{pages}", pages, keys, args.repeat)
        if args.profile:
            profiled = profile_run(Path(folder) / "profile", args.pages[-1])
    print(f"Article pages served on 127.0.0.1, fastest of {args.repeat} run(s) each:\n")
    print(table(runs))
    print()
    for line in verdicts(runs):
        print(line)
    if profiled:
        print(f"\nnewsarchive's crawl of {args.pages[-1]:,} pages, CPU time by stage:\n")
        print(profiled)


if __name__ == "__main__":
    main()
