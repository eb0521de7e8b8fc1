"""Extraction quality and speed: newsarchive's `extract` against trafilatura on the same pages.

Pages: every article of the bundled fixture sites and of the corpus in `tests/fixtures/pages/`
(decoded once, as the crawler would). For each tool: body F1, precision and recall by 4-word
shingles (the metric of the public article-extraction benchmarks), exact title matches, date
accuracy (the calendar day, the only part trafilatura gives; our exact datetime is shown too),
and pages per second, separately for pages of known sites (a spider with selectors) and of
unknown ones (generic rules only). Not a test: it prints figures and ratios.

With `--wcxb PATH`, also the article pages of the dev split of WCXB (Web Content eXtraction
Benchmark, CC-BY-4.0; see `bench/wcxb.py`), from a local copy made beforehand with

    git clone https://github.com/Murrough-Foley/web-content-extraction-benchmark /path/to/wcxb

newsarchive runs with generic rules only; a refusal (NotAnArticleError, any other exception,
an empty body) scores 0 and is counted by reason. Its pages/s are the CPU time of the fastest
of `--wcxb-rounds` passes per tool (3), the tools taking turns at going first: on a shared
machine one pass of each can differ by a fifth. `--failures FILE` writes newsarchive's
per-page WCXB results as JSON lines, for analysis.

    .venv/bin/python bench/extraction.py [--rounds 5] [--show-worst 5]
    .venv/bin/python bench/extraction.py --wcxb /path/to/wcxb [--wcxb-rounds 3] [--failures f.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from bench import aeb, wcxb
from newsarchive.extract import extract
from newsarchive.items import NotAnArticleError
from tests.corpus import CorpusPage, all_pages, precision_recall_f1


@dataclass
class Output:
    """What a tool made of a page."""

    title: str
    body: str
    day: date | None
    moment: datetime | None = None


@dataclass
class Score:
    """One tool's results over a group of pages."""

    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    titles: list[bool] = field(default_factory=list)
    days: list[bool] = field(default_factory=list)
    moments: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    calls: int = 0
    worst: list[tuple[float, str]] = field(default_factory=list)


def ours(page: CorpusPage, html: str) -> Output:
    record = extract(html, page.url, fetched_at=page.fetched_at)
    moment = record.published_at
    return Output(record.headline, record.body, moment.date() if moment else None, moment)


def theirs(page: CorpusPage, html: str) -> Output:
    return trafilatura_output(html, page.url)


def trafilatura_output(html: str, url: str) -> Output:
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return Output("", "", None)
    found = document if isinstance(document, dict) else document.as_dict()
    day = _day(found.get("date"))
    return Output(found.get("title") or "", found.get("text") or "", day)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _same(one: str, other: str) -> bool:
    squash = lambda text: " ".join(unicodedata.normalize("NFC", text).split())  # noqa: E731
    return squash(one) == squash(other)


def measure(
    tool: Callable[[CorpusPage, str], Output], pages: list[CorpusPage], rounds: int
) -> Score:
    score = Score()
    htmls = [page.html() for page in pages]
    for page, html in zip(pages, htmls, strict=True):
        output = tool(page, html)
        expected = page.expected
        precision, recall, f1 = precision_recall_f1(output.body, expected["body"])
        score.precision.append(precision)
        score.recall.append(recall)
        score.f1.append(f1)
        score.worst.append((f1, page.id))
        score.titles.append(_same(output.title, expected["headline"]))
        want = (
            datetime.fromisoformat(expected["published_at"])
            if expected.get("published_at")
            else None
        )
        score.days.append(output.day == (want.date() if want else None))
        score.moments.append(output.moment == want)
    start = time.process_time()
    for _ in range(rounds):
        for page, html in zip(pages, htmls, strict=True):
            tool(page, html)
    score.seconds = time.process_time() - start
    score.calls = rounds * len(pages)
    return score


def row(name: str, score: Score, exact: bool) -> str:
    moments = f"{mean(score.moments):7.1%}" if exact else "      –"
    return (
        f"  {name:<12} {mean(score.f1):6.3f} {mean(score.precision):6.3f} {mean(score.recall):6.3f}"
        f" {mean(score.titles):7.1%} {mean(score.days):7.1%} {moments}"
        f" {score.calls / score.seconds:9.1f}"
    )


def report(group: str, pages: list[CorpusPage], rounds: int, show_worst: int) -> None:
    if not pages:
        return
    ours_score = measure(ours, pages, rounds)
    theirs_score = measure(theirs, pages, rounds)
    print(f"\n{group}: {len(pages)} pages")
    print("  tool          F1    prec.  recall  title   date(day) exact  pages/s")
    print(row("newsarchive", ours_score, exact=True))
    print(row("trafilatura", theirs_score, exact=False))
    speed = (ours_score.calls / ours_score.seconds) / (theirs_score.calls / theirs_score.seconds)
    print(f"  speed ratio newsarchive/trafilatura: ×{speed:.2f}")
    for name, score in (("newsarchive", ours_score), ("trafilatura", theirs_score)):
        worst = sorted(score.worst)[:show_worst]
        print(f"  {name} lowest F1: " + ", ".join(f"{page} {f1:.2f}" for f1, page in worst))


# --- WCXB ------------------------------------------------------------------------------------

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Attempt:
    """What a tool made of a WCXB page, or why it gave nothing."""

    output: Output | None
    outcome: str = "ok"
    """`ok`, `refused` (NotAnArticleError), `exception` or `empty` (no body text)."""
    reason: str | None = None
    detail: str | None = None
    athens_day: date | None = None
    """newsarchive's day in Athens time (what it stores); `output.day` is the page's own day."""
    body_rule: str | None = None
    seconds: float = 0.0


def ours_wcxb(page: wcxb.WcxbPage, html: str) -> Attempt:
    try:
        record = extract(html, page.url, fetched_at=page.fetched_at, use_site_rules=False)
    except NotAnArticleError as error:
        return Attempt(None, "refused", re.sub(r"\d+", "N", str(error)), str(error))
    except Exception as error:  # counted, never fatal: the bench measures robustness too
        return Attempt(None, "exception", type(error).__name__, str(error)[:300])
    moment = record.published_at
    raw = (record.published_raw or "").strip()
    day = moment.date() if moment else None
    if ISO_DAY.match(raw):  # the day as the page writes it, not as Athens sees it
        day = _day(raw[:10]) or day
    output = Output(record.headline, record.body, day, moment)
    attempt = Attempt(output, athens_day=moment.date() if moment else None)
    attempt.body_rule = record.provenance.get("body")
    if not record.body.strip():
        attempt.outcome, attempt.reason = "empty", "empty body"
    return attempt


def theirs_wcxb(page: wcxb.WcxbPage, html: str) -> Attempt:
    try:
        output = trafilatura_output(html, page.url)
    except Exception as error:
        return Attempt(None, "exception", type(error).__name__, str(error)[:300])
    if not output.body.strip():
        return Attempt(output, "empty", "no output")
    return Attempt(output)


@dataclass
class PageResult:
    """One tool's result on one WCXB page."""

    id: str
    url: str
    attempt: Attempt
    precision: float
    recall: float
    f1: float
    title_ok: bool | None
    day_ok: bool | None

    @property
    def refused(self) -> bool:
        return self.attempt.outcome != "ok"


def run_wcxb(
    tool: Callable[[wcxb.WcxbPage, str], Attempt], pages: list[wcxb.WcxbPage], htmls: list[str]
) -> list[PageResult]:
    results = []
    for page, html in zip(pages, htmls, strict=True):
        start = time.process_time()
        attempt = tool(page, html)
        attempt.seconds = time.process_time() - start
        output = attempt.output if attempt.outcome == "ok" else None
        got = output or Output("", "", None)
        precision, recall, f1 = precision_recall_f1(got.body, page.main_content)
        results.append(
            PageResult(
                page.id,
                page.url,
                attempt,
                precision,
                recall,
                f1,
                _same(got.title, page.title) if page.title else None,
                got.day == page.day if page.day else None,
            )
        )
    return results


def _share(values: list[bool | None]) -> str:
    known = [value for value in values if value is not None]
    return f"{mean(known):.1%}" if known else "–"


def timed_pass(
    tool: Callable[[wcxb.WcxbPage, str], Attempt], pages: list[wcxb.WcxbPage], htmls: list[str]
) -> float:
    """CPU seconds of one pass of a tool over the pages."""
    start = time.process_time()
    for page, html in zip(pages, htmls, strict=True):
        tool(page, html)
    return time.process_time() - start


def pass_times(
    pages: list[wcxb.WcxbPage],
    htmls: list[str],
    first: tuple[list[PageResult], list[PageResult]],
    rounds: int,
) -> tuple[list[float], list[float]]:
    """Each tool's CPU seconds per pass: the scoring pass, then `rounds - 1` more, the two tools
    taking turns at going first (the machine is shared: its load drifts)."""
    ours_times = [sum(r.attempt.seconds for r in first[0])]
    theirs_times = [sum(r.attempt.seconds for r in first[1])]
    for round_ in range(rounds - 1):
        order = [(theirs_wcxb, theirs_times), (ours_wcxb, ours_times)]
        for tool, times in order if round_ % 2 == 0 else order[::-1]:
            times.append(timed_pass(tool, pages, htmls))
    return ours_times, theirs_times


def wcxb_row(name: str, results: list[PageResult], seconds: float) -> str:
    kept = [r.f1 for r in results if not r.refused]
    cells = [
        name,
        f"{mean(r.f1 for r in results):.3f}",
        f"{mean(r.precision for r in results):.3f}",
        f"{mean(r.recall for r in results):.3f}",
        f"{mean(kept):.3f}" if kept else "–",
        _share([r.title_ok for r in results]),
        _share([r.day_ok for r in results]),
        f"{mean(r.refused for r in results):.1%}",
        f"{len(results) / seconds:.1f}" if seconds else "–",
    ]
    return "| " + " | ".join(cells) + " |"


def report_wcxb(root: Path, show_worst: int, failures: Path | None, rounds: int) -> None:
    pages, unscorable = wcxb.load(root)
    htmls = [page.html() for page in pages]
    ours_results = run_wcxb(ours_wcxb, pages, htmls)
    theirs_results = run_wcxb(theirs_wcxb, pages, htmls)
    ours_times, theirs_times = pass_times(pages, htmls, (ours_results, theirs_results), rounds)
    titled = sum(1 for page in pages if page.title)
    dated = sum(1 for page in pages if page.day)
    print(
        f"\nWCXB dev, article pages: {len(pages)} ({unscorable} without ground-truth text left"
        f" out); titles on {titled}, dates (day) on {dated}; newsarchive with generic rules only\n"
    )
    print(
        "| tool | F1 | prec. | recall | F1 (kept) | title | date (day) | refused | pages/s |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    print(wcxb_row("newsarchive", ours_results, min(ours_times)))
    print(wcxb_row("trafilatura", theirs_results, min(theirs_times)))
    speed = min(theirs_times) / min(ours_times)
    print(
        f"\npages/s: the fastest of {rounds} passes per tool, the tools taking turns; speed ratio"
        f" newsarchive/trafilatura ×{speed:.2f}. CPU seconds per pass: newsarchive "
        + ", ".join(f"{t:.1f}" for t in ours_times)
        + "; trafilatura "
        + ", ".join(f"{t:.1f}" for t in theirs_times)
        + "."
    )
    both = [
        (mine, other)
        for mine, other in zip(ours_results, theirs_results, strict=True)
        if not mine.refused and not other.refused
    ]
    if both:
        print(
            f"\nOn the {len(both)} pages both kept: F1 newsarchive"
            f" {mean(m.f1 for m, _ in both):.3f}, trafilatura {mean(o.f1 for _, o in both):.3f}."
            " Refused pages score 0 in F1/prec./recall and count as wrong title and date."
        )
    athens = [
        r
        for r, page in zip(ours_results, pages, strict=True)
        if r.day_ok and page.day and r.attempt.athens_day != page.day
    ]
    print(f"newsarchive days right in the page's own offset only, not in Athens: {len(athens)}")
    for name, results in (("newsarchive", ours_results), ("trafilatura", theirs_results)):
        reasons: dict[str, int] = {}
        for r in results:
            if r.refused:
                key = f"{r.attempt.outcome}: {r.attempt.reason}"
                reasons[key] = reasons.get(key, 0) + 1
        listed = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
        print(f"{name} refusals: " + ("; ".join(f"{k} ×{n}" for k, n in listed) or "none"))
        worst = sorted((r for r in results if not r.refused), key=lambda r: r.f1)[:show_worst]
        print(f"{name} lowest F1 (kept): " + ", ".join(f"{r.id} {r.f1:.2f}" for r in worst))
    if failures is not None:
        write_failures(failures, pages, ours_results, theirs_results)
        print(f"per-page newsarchive results: {failures}")


def write_failures(
    path: Path,
    pages: list[wcxb.WcxbPage],
    ours_results: list[PageResult],
    theirs_results: list[PageResult],
) -> None:
    with path.open("w", encoding="utf-8") as out:
        for page, mine, other in zip(pages, ours_results, theirs_results, strict=True):
            output = mine.attempt.output
            record = {
                "id": page.id,
                "url": page.url,
                "outcome": mine.attempt.outcome,
                "reason": mine.attempt.reason,
                "detail": mine.attempt.detail,
                "f1": round(mine.f1, 4),
                "precision": round(mine.precision, 4),
                "recall": round(mine.recall, 4),
                "trafilatura_f1": round(other.f1, 4),
                "body_rule": mine.attempt.body_rule,
                "body_chars": len(output.body) if output else 0,
                "expected_chars": len(page.main_content),
                "title_got": output.title if output else None,
                "title_expected": page.title,
                "title_ok": mine.title_ok,
                "date_got": str(output.day) if output and output.day else None,
                "date_athens": str(mine.attempt.athens_day) if mine.attempt.athens_day else None,
                "date_expected": str(page.day) if page.day else None,
                "date_ok": mine.day_ok,
                "seconds": round(mine.attempt.seconds, 4),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


# --- the Scrapinghub article-extraction benchmark --------------------------------------------


def ours_aeb(page: aeb.AebPage, html: str) -> Attempt:
    try:
        record = extract(html, page.url, fetched_at=aeb.FETCHED_AT, use_site_rules=False)
    except NotAnArticleError as error:
        return Attempt(None, "refused", re.sub(r"\d+", "N", str(error)), str(error))
    except Exception as error:  # counted, never fatal: the bench measures robustness too
        return Attempt(None, "exception", type(error).__name__, str(error)[:300])
    attempt = Attempt(Output(record.headline, record.body, None))
    attempt.body_rule = record.provenance.get("body")
    if not record.body.strip():
        attempt.outcome, attempt.reason = "empty", "empty body"
    return attempt


def theirs_aeb(page: aeb.AebPage, html: str) -> Attempt:
    """trafilatura as the benchmark's own runner calls it (`extract`, no comments)."""
    try:
        body = trafilatura.extract(html, include_comments=False) or ""
    except Exception as error:
        return Attempt(None, "exception", type(error).__name__, str(error)[:300])
    if not body.strip():
        return Attempt(Output("", body, None), "empty", "no output")
    return Attempt(Output("", body, None))


def theirs_aeb_with_metadata(page: aeb.AebPage, html: str) -> Attempt:
    """trafilatura as the other benches call it: with metadata, as newsarchive always is."""
    try:
        output = trafilatura_output(html, page.url)
    except Exception as error:
        return Attempt(None, "exception", type(error).__name__, str(error)[:300])
    return Attempt(output) if output.body.strip() else Attempt(output, "empty", "no output")


def aeb_pass(
    tool: Callable[[aeb.AebPage, str], Attempt], pages: list[aeb.AebPage], htmls: list[str]
) -> tuple[list[Attempt], float]:
    """One pass of a tool over the pages: its attempts and CPU seconds."""
    start = time.process_time()
    attempts = [tool(page, html) for page, html in zip(pages, htmls, strict=True)]
    return attempts, time.process_time() - start


def report_aeb(root: Path, rounds: int, show_worst: int) -> None:
    pages = aeb.load(root)
    htmls = [page.html() for page in pages]
    tools = {
        "newsarchive": ours_aeb,
        "trafilatura": theirs_aeb,
        "trafilatura, with metadata": theirs_aeb_with_metadata,
    }
    attempts: dict[str, list[Attempt]] = {}
    times: dict[str, list[float]] = {name: [] for name in tools}
    for round_ in range(rounds):
        names = list(tools) if round_ % 2 == 0 else list(tools)[::-1]  # turns at going first
        for name in names:
            found, seconds = aeb_pass(tools[name], pages, htmls)
            attempts.setdefault(name, found)
            times[name].append(seconds)
    print(
        f"\nScrapinghub article-extraction benchmark: {len(pages)} pages; newsarchive with"
        " generic rules only, trafilatura as the benchmark's runner calls it\n"
    )
    print(
        "| tool | F1 | precision | recall | accuracy | F1 per page | refused | pages/s |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for name in tools:
        bodies = [a.output.body if a.output and a.outcome == "ok" else "" for a in attempts[name]]
        scores = aeb.score([(page.body, body) for page, body in zip(pages, bodies, strict=True)])
        per_page = [
            precision_recall_f1(body, page.body)[2]
            for page, body in zip(pages, bodies, strict=True)
        ]
        refused = mean(a.outcome != "ok" for a in attempts[name])
        cells = [
            name,
            f"{scores.f1:.3f}",
            f"{scores.precision:.3f}",
            f"{scores.recall:.3f}",
            f"{scores.accuracy:.3f}",
            f"{mean(per_page):.3f}",
            f"{refused:.1%}",
            f"{len(pages) / min(times[name]):.1f}",
        ]
        print("| " + " | ".join(cells) + " |")
    speed = min(times["trafilatura"]) / min(times["newsarchive"])
    speed_metadata = min(times["trafilatura, with metadata"]) / min(times["newsarchive"])
    print(
        f"\nF1, precision, recall and accuracy as the benchmark's evaluate.py computes them;"
        f" F1 per page is bench/extraction.py's own (the mean of each page's F1 over lower-case"
        f" word shingles). pages/s: the fastest of {rounds} passes, the tools taking turns;"
        f" speed ratio newsarchive/trafilatura ×{speed:.2f}, with metadata ×{speed_metadata:.2f}."
    )
    for name in tools:
        reasons: dict[str, int] = {}
        for attempt in attempts[name]:
            if attempt.outcome != "ok":
                key = f"{attempt.outcome}: {attempt.reason}"
                reasons[key] = reasons.get(key, 0) + 1
        listed = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
        print(f"{name} refusals: " + ("; ".join(f"{k} ×{n}" for k, n in listed) or "none"))
        scored = [
            (precision_recall_f1(a.output.body, page.body)[2], page.id[:12], page.url)
            for page, a in zip(pages, attempts[name], strict=True)
            if a.output and a.outcome == "ok"
        ]
        worst = sorted(scored)[:show_worst]
        print(f"{name} lowest F1 (kept): " + ", ".join(f"{i} {f:.2f} {u}" for f, i, u in worst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="timed passes over the pages")
    parser.add_argument("--show-worst", type=int, default=3, help="lowest-F1 pages to name")
    parser.add_argument(
        "--wcxb", type=Path, metavar="PATH", help="local copy of WCXB: measure its dev articles"
    )
    parser.add_argument(
        "--failures", type=Path, metavar="FILE", help="write newsarchive's WCXB pages as JSONL"
    )
    parser.add_argument(
        "--wcxb-rounds", type=int, default=3, help="timed passes per tool over the WCXB pages"
    )
    parser.add_argument(
        "--aeb",
        type=Path,
        metavar="PATH",
        help="local copy of Scrapinghub's article-extraction-benchmark: measure its pages",
    )
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus measurement")
    args = parser.parse_args()
    if args.failures and not args.wcxb:
        parser.error("--failures needs --wcxb")
    if not args.no_corpus:
        corpus(args.rounds, args.show_worst)
    if args.wcxb:
        report_wcxb(args.wcxb, args.show_worst, args.failures, max(args.wcxb_rounds, 1))
    if args.aeb:
        report_aeb(args.aeb, max(args.wcxb_rounds, 1), args.show_worst)


def corpus(rounds: int, show_worst: int) -> None:
    articles = [page for page in all_pages() if page.kind == "article"]
    known = [page for page in articles if page.known_site]
    unknown = [page for page in articles if not page.known_site]
    print(f"trafilatura {trafilatura.__version__}; {len(articles)} article pages")
    report("all pages", articles, rounds, show_worst)
    report("known sites (site selectors)", known, rounds, show_worst)
    report("unknown sites (generic rules only)", unknown, rounds, show_worst)


if __name__ == "__main__":
    main()
