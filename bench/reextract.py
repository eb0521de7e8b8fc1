"""Re-extraction speed: `newsarchive reextract --dry-run` over an archive's raw pages, with the
pages extracted in worker processes (its default) and in its own process.

Builds the synthetic copy of the thessaliatv fixture site (`crawl_site.py`, N article pages),
serves it on 127.0.0.1, crawls it once into a new SQLite archive (raw pages kept as WARC), then
runs `reextract --dry-run` over it with NEWSARCHIVE_EXTRACT_PROCESSES=auto and =0 in turn,
`--repeat` times each. Every run must read every page and find every record unchanged (the
same extractors made them), or the script stops. Printed: the fastest run of each, wall and
CPU seconds (with the workers'), pages per second, and the ratio of the two.

    .venv/bin/python bench/reextract.py [--pages 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawl_site import SITE, build_site

from newsarchive.fixture_server import serve

SETTINGS = {"extraction processes (auto)": "auto", "in its own process (0)": "0"}


def crawled(folder: Path, pages: int) -> Path:
    """A new archive holding the synthetic site's pages, crawled with raw pages kept."""
    build_site(folder / "site", pages)
    db = folder / "archive.db"
    with serve(folder / "site") as server:
        command = [sys.executable, "-m", "newsarchive", "crawl", SITE, "--db", str(db)]
        subprocess.run([*command, "--mirror", server.url], check=True, capture_output=True)
    return db


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reextracted(db: Path, processes: str, pages: int) -> tuple[float, float]:
    """Wall and CPU seconds of one dry run; stops unless it read every page, none changed."""
    env = {**os.environ, "NEWSARCHIVE_EXTRACT_PROCESSES": processes}
    command = [sys.executable, "-m", "newsarchive", "reextract", "--dry-run", "--db", str(db)]
    started, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - started, children_cpu() - cpu
    read = re.search(r"(\d+) raw page\(s\) read", done.stdout)
    if done.returncode != 0 or not read or int(read.group(1)) != pages:
        sys.exit(f"reextract ({processes}) failed:\n{done.stdout}{done.stderr[-2000:]}")
    if f"unchanged: {pages}" not in done.stdout:
        sys.exit(f"reextract ({processes}) found changed records:\n{done.stdout}")
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = crawled(Path(folder), options.pages)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in SETTINGS}
        for _ in range(options.repeat):
            for name, processes in SETTINGS.items():
                runs[name].append(reextracted(db, processes, options.pages))
    print(f"reextract --dry-run of {options.pages:,} pages, fastest of {options.repeat}:\n")
    print("| extraction | seconds | pages/s | CPU s |")
    print("|---|---|---|---|")
    fastest = {name: min(found) for name, found in runs.items()}
    for name, (seconds, cpu) in fastest.items():
        print(f"| {name} | {seconds:.2f} | {options.pages / seconds:.0f} | {cpu:.2f} |")
    workers, alone = fastest["extraction processes (auto)"][0], fastest["in its own process (0)"][0]
    print(f"\nwith extraction processes: ×{alone / workers:.2f} the speed in one process")


if __name__ == "__main__":
    main()
