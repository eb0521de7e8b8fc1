"""The web UI and JSON API (`newsarchive serve`) over a small archive: every route, the 400s,
escaping of hostile text, the OpenAPI description, and the command's refusals.

The archive: the Region's release and its five republications (one story), the other articles
of that week (tests/fixtures/stories), a second version of one copy, and an article with a
hostile headline; two of them with their raw page kept in WARC."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from newsarchive.archive import Archive
from newsarchive.archive.ingest import RawPage
from newsarchive.archive.models import ArticleRow
from newsarchive.archive.warc import Exchange, WarcWriter
from newsarchive.cli import main
from newsarchive.items import Article
from newsarchive.text import content_hash
from newsarchive.web.app import PAGE_POLICY, create_app
from newsarchive.web.data import diff_parts
from newsarchive.web.render import web_link
from tests.conftest import BACKENDS, POSTGRES_URL, empty_postgres
from tests.test_similarity import TEXTS

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)> Λάρισα'
HOSTILE_URL = "https://www.larissanet.gr/2026/01/20/epikindyno-keimeno/"
RAW_SOURCE = "<html><body><script>alert(3)</script><p>Λάρισα: η σελίδα όπως ήρθε</p></body></html>"
REVISED = "release_larissanet"
REVISED_HEADLINE = "Ημερίδα για την Κοινωνική Καινοτομία: παράταση αιτήσεων"
STORY_COPIES = 6


def revised(article: Article) -> Article:
    """The article fetched again a day later with a new headline and one more paragraph."""
    body = article.body + "\n\nΟι αιτήσεις υποβάλλονται έως τις 30 Ιανουαρίου."
    return dataclasses.replace(
        article,
        headline=REVISED_HEADLINE,
        body=body,
        fetched_at=article.fetched_at + timedelta(days=1),
        content_hash=content_hash(REVISED_HEADLINE, article.lead, body),
    )


def hostile() -> Article:
    base = TEXTS["report_larissanet"].article
    lead = '"><svg onload=alert(4)> Η Λάρισα σε <b>έντονα</b>'
    body = "Κείμενο για τη Λάρισα με <iframe src=//evil></iframe> μέσα του.\n\nΤέλος."
    return dataclasses.replace(
        base,
        url=HOSTILE_URL,
        canonical_url=HOSTILE_URL,
        headline=HOSTILE,
        lead=lead,
        body=body,
        section="<i>Τοπικά</i>",
        published_at=base.published_at + timedelta(days=1) if base.published_at else None,
        content_hash=content_hash(HOSTILE, lead, body),
    )


def kept_page(folder: Path, article: Article, source: str) -> RawPage:
    """The article's response written to a WARC file in `folder`, as a crawl keeps it."""
    body = source.encode("utf-8")
    headers = [("Content-Type", "text/html; charset=utf-8")]
    with WarcWriter(folder) as writer:
        place = writer.write(Exchange(article.url, article.fetched_at, 200, headers, body))
    return RawPage(
        url=article.url,
        fetched_at=article.fetched_at,
        status=200,
        content_type=headers[0][1],
        warc_file=place.file,
        warc_offset=place.offset,
        warc_length=place.length,
        payload_sha256=place.payload_sha256,
    )


def build_web_archive(db_url: str, warc: Path) -> dict[str, int]:
    """Stores the archive described above; the article ids by fixture name (and `hostile`)."""
    region = TEXTS["release_region"].article
    bad = hostile()
    with Archive(db_url) as archive:
        archive.store_many(
            [region, bad],
            raw_pages=[kept_page(warc, region, RAW_SOURCE), kept_page(warc, bad, RAW_SOURCE)],
        )
        for name, text in TEXTS.items():
            if name != "release_region":
                archive.store(text.article)
        archive.store(revised(TEXTS[REVISED].article))
        rows = archive.session.execute(select(ArticleRow.canonical_url, ArticleRow.id))
        ids = {url: article_id for url, article_id in rows}
    found = {name: ids[text.article.canonical_url] for name, text in TEXTS.items()}
    return {**found, "hostile": ids[HOSTILE_URL]}


@dataclasses.dataclass
class Web:
    client: TestClient
    ids: dict[str, int]
    db_url: str

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params=params or None)

    def json(self, url: str, **params: Any) -> Any:
        response = self.get(url, **params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        return response.json()

    def html(self, url: str, **params: Any) -> str:
        response = self.get(url, **params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["content-security-policy"] == PAGE_POLICY
        return str(response.text)


@pytest.fixture(scope="module", params=BACKENDS)
def web(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """The app over the archive, built once per backend (the tests only read it)."""
    folder = tmp_path_factory.mktemp("web")
    db_url = f"sqlite:///{folder / 'archive.db'}" if request.param == "sqlite" else POSTGRES_URL
    assert db_url is not None
    if request.param == "postgresql":
        empty_postgres(db_url)
    ids = build_web_archive(db_url, folder / "warc")
    with TestClient(create_app(db_url, warc_dir=folder / "warc")) as client:
        yield Web(client, ids, db_url)
    if request.param == "postgresql":
        empty_postgres(db_url)


def test_search_page_highlights_a_query_in_capitals_without_accents(web: Web) -> None:
    page = web.html("/", q="ΛΑΡΙΣΑ")
    marked = re.findall(r"<mark>(.*?)</mark>", page)
    assert marked and all(word.casefold().startswith("λάρισ") for word in marked), marked
    assert f'href="/articles/{web.ids["release_thessaliatv"]}"' in page
    assert 'value="ΛΑΡΙΣΑ"' in page  # the query stays in the box


def test_search_api_gives_total_hits_and_marked_snippets(web: Web) -> None:
    response = web.get("/api/search", q="ΛΑΡΙΣΑ")
    assert "Λάρισα".encode() in response.content and b"\\u03" not in response.content
    found = response.json()
    assert found["total"] == len(found["hits"]) > 2
    for hit in found["hits"]:
        assert any(match for _, match in hit["snippet"] + hit["headline_marked"]), hit["id"]
        assert "<mark>" in hit["snippet_html"] + hit["headline_html"]
    ids = {hit["id"] for hit in found["hits"]}
    assert {web.ids["release_thessaliatv"], web.ids["hostile"]} <= ids


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"site": "thessaliatv"}, {"release_thessaliatv", "report_thessaliatv"}),
        (
            {"site": ["thessaliatv", "thessaly_gov"]},
            {"release_thessaliatv", "report_thessaliatv", "release_region"},
        ),
        ({"since": "2026-01-19", "site": "thessaliatv"}, {"report_thessaliatv"}),
        ({"until": "2026-01-10", "site": "thessaliatv"}, {"release_thessaliatv"}),
        ({"region": "thessalia", "site": "thessaly_gov"}, {"release_region"}),
    ],
)
def test_search_api_takes_the_filters(web: Web, params: dict[str, Any], expected: set[str]) -> None:
    found = web.json("/api/search", q="καινοτομία", **params)
    assert {hit["id"] for hit in found["hits"]} == {web.ids[name] for name in expected}


def test_search_pages_through_the_results(web: Web) -> None:
    everything = web.json("/api/search", q="καινοτομία", limit=100)["hits"]
    assert len(everything) > 3
    pages = [web.json("/api/search", q="καινοτομία", limit=2, offset=o)["hits"] for o in (0, 2)]
    assert [hit["id"] for hit in pages[0] + pages[1]] == [hit["id"] for hit in everything[:4]]
    html = web.html("/", q="καινοτομία", limit=2, offset=2)
    assert 'rel="prev" href="/?q=' in html and "offset=0" in html and "offset=4" in html


def test_search_page_without_a_query_lists_the_newest_within_the_filters(web: Web) -> None:
    found = web.json("/api/articles", site="thessaliatv")
    assert [item["id"] for item in found["articles"]] == [
        web.ids["report_thessaliatv"],
        web.ids["release_thessaliatv"],
    ]
    page = web.html("/", site="thessaliatv")
    assert "Πρόσφατα άρθρα" in page and f'/articles/{web.ids["report_thessaliatv"]}"' in page


def test_article_page_shows_its_story_versions_and_links(web: Web) -> None:
    article = TEXTS[REVISED].article
    page = web.html(f"/articles/{web.ids[REVISED]}")
    assert f"Το ίδιο κείμενο σε {STORY_COPIES} μέσα" in page
    for name, text in TEXTS.items():
        link = f'href="/articles/{web.ids[name]}"'
        assert (link in page) == (text.role == "copy" and name != REVISED), name
    assert "πρώτη δημοσίευση" in page and "αυτό το άρθρο" in page
    assert "Εκδόσεις (2)" in page
    assert "<ins>" in page and "<del>" in page and "παράταση αιτήσεων" in page
    assert f'href="{article.url}"' in page  # the original
    assert REVISED_HEADLINE in page


def test_article_api_gives_record_versions_diffs_and_story(web: Web) -> None:
    found = web.json(f"/api/articles/{web.ids[REVISED]}")
    assert found["article"]["headline"] == REVISED_HEADLINE
    assert found["article"]["versions"] == 2
    assert [v["number"] for v in found["versions"]] == [1, 2]
    assert found["versions"][1]["changed"] == ["headline", "body"]
    assert "{+" in found["versions"][1]["diffs"]["headline"]
    story = found["story"]
    assert story["first_site"] == "thessaly_gov" and len(story["copies"]) == STORY_COPIES
    assert [copy["this"] for copy in story["copies"]].count(True) == 1
    assert story["copies"][0]["id"] == web.ids["release_region"] and story["copies"][0]["first"]
    assert found["raw_page"] is None  # fetched without WARC


def test_raw_page_is_plain_text_in_a_sandbox(web: Web) -> None:
    found = web.json(f"/api/articles/{web.ids['release_region']}")
    assert found["raw_page"] and found["raw_page"] == found["versions"][0]["raw_page"]
    assert 'class="raw" href="' + found["raw_page"] in web.html(
        f"/articles/{web.ids['release_region']}"
    )
    response = web.get(found["raw_page"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text == RAW_SOURCE


def test_stories_page_and_api_list_every_copy(web: Web) -> None:
    (story,) = web.json("/api/stories")["stories"]
    assert story["first_site"] == "thessaly_gov"
    copies = {copy["id"] for copy in story["copies"]}
    assert copies == {web.ids[name] for name, text in TEXTS.items() if text.role == "copy"}
    page = web.html("/stories")
    assert all(f'href="/articles/{copy}"' in page for copy in copies)
    assert web.json("/api/stories", site="thessaliatv")["stories"]
    assert web.json("/api/stories", since="2026-01-13")["stories"] == []


def test_trends_page_and_api_count_per_week_and_site(web: Web) -> None:
    found = web.json("/api/stats", every="week", by="site")
    assert found["periods"] == ["2026-01-05", "2026-01-12", "2026-01-19"]
    assert sum(map(sum, found["series"].values())) == len(TEXTS) + 1
    assert found["series"]["larissanet"] == [1, 0, 3]
    assert {"period": "2026-01-12", "group": "trikalanews.gr", "articles": 1} in found["rows"]
    page = web.html("/trends", every="week", by="site")
    assert '<img src="/api/stats/chart?every=week&amp;by=site"' in page
    assert "<td>3</td>" in page
    mentions = web.json("/api/stats", q="JOIST", every="month")
    assert mentions["series"][""] == [len(web.json("/api/search", q="JOIST")["hits"])]


def test_chart_is_an_svg_with_a_line_per_series(web: Web) -> None:
    response = web.get("/api/stats/chart", every="week", by="site")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    svg = response.text
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    sites = web.json("/api/stats", every="week", by="site")["series"]
    assert len(re.findall(r'<g id="series-\d+"', svg)) == len(sites) == 7
    assert all(f">{site}</text>" in svg for site in sites)  # the legend
    assert (
        response.headers["content-security-policy"]
        == "default-src 'none'; style-src 'unsafe-inline'"
    )


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/search", {}, "q"),
        ("/api/search", {"q": "   "}, "q"),
        ("/api/search", {"q": '"ανοιχτά εισαγωγικά'}, "q"),
        ("/api/search", {"q": "x", "since": "2026-13-01"}, "since"),
        ("/api/search", {"q": "x", "until": "χθες"}, "until"),
        ("/api/search", {"q": "x", "since": "2026-02-01", "until": "2026-01-01"}, "since"),
        ("/api/search", {"q": "x", "site": "nosuchsite"}, "site"),
        ("/api/search", {"q": "x", "region": "athens"}, "region"),
        ("/api/search", {"q": "x", "limit": "0"}, "limit"),
        ("/api/search", {"q": "x", "limit": "1000"}, "limit"),
        ("/api/search", {"q": "x", "limit": "ένα"}, "limit"),
        ("/api/search", {"q": "x", "offset": "-1"}, "offset"),
        ("/api/search", {"q": "x", "sort": "best"}, "sort"),
        ("/api/articles", {"region": "x"}, "region"),
        ("/api/articles/abc", {}, "article_id"),
        ("/api/stories", {"until": "2026-02-30"}, "until"),
        ("/api/stats", {"every": "year"}, "every"),
        ("/api/stats", {"by": "author"}, "by"),
        ("/api/stats", {"q": "OR"}, "q"),
        ("/api/stats/chart", {"every": "hour"}, "every"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(
    web: Web, url: str, params: dict[str, str], parameter: str
) -> None:
    response = web.get(url, **params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    found = response.json()
    assert set(found) == {"error", "parameter"} and found["parameter"] == parameter
    assert found["error"] and "\n" not in found["error"]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/", {"q": "x", "since": "2026-13-01"}),
        ("/", {"q": "OR"}),
        ("/stories", {"site": "nosuchsite"}),
        ("/trends", {"every": "year"}),
    ],
)
def test_bad_parameters_of_a_page_get_a_400_page(
    web: Web, url: str, params: dict[str, str]
) -> None:
    response = web.get(url, **params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Λάθος παράμετρος" in response.text


def test_unknown_articles_and_pages_are_404(web: Web) -> None:
    missing = max(web.ids.values()) + 1
    api = web.get(f"/api/articles/{missing}")
    assert api.status_code == 404 and api.json() == {
        "error": f"no article {missing} in the archive"
    }
    assert web.get(f"/articles/{missing}").status_code == 404
    assert "Δεν βρέθηκε" in web.get(f"/articles/{missing}").text
    assert web.get("/raw/999").status_code == 404
    assert web.get("/api/nothing").json() == {"error": "Not Found"}


ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/?q=λαρισα", ESCAPED),
        (
            "/?q=script alert",
            "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt;",
        ),
        ("/", ESCAPED),
        ("/?section=<i>Τοπικά</i>", "&lt;i&gt;Τοπικά&lt;/i&gt;"),
        ("/articles/{hostile}", "&lt;iframe src=//evil&gt;&lt;/iframe&gt;"),
        ("/trends?by=section", '<th scope="col">&lt;i&gt;Τοπικά&lt;/i&gt;</th>'),
    ],
)
def test_hostile_text_is_shown_as_text(web: Web, url: str, shown: str) -> None:
    page = web.html(url.format(hostile=web.ids["hostile"]))
    assert shown in page
    for attack in ("<script", "<img src=x", "<svg", "<iframe", "<b>", "<i>"):
        assert attack not in page, attack


def test_openapi_describes_the_endpoints_and_no_page_loads_from_elsewhere(web: Web) -> None:
    described = web.json("/openapi.json")
    paths = set(described["paths"])
    assert {
        "/api/search",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/stories",
        "/api/stats",
        "/api/stats/chart",
        "/api/sites",
        "/raw/{raw_page_id}",
    } <= paths
    names = {p["name"] for p in described["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "site", "region", "section", "since", "until", "story", "sort"} <= names
    assert web.get("/docs").status_code == 404  # Swagger UI would load its assets from a CDN
    for url in ("/", "/stories", "/trends", f"/articles/{web.ids[REVISED]}"):
        page = web.html(url)
        assert not re.search(
            r"""(src|href)=["']?(https?:)?//""",
            page.replace(f'href="{TEXTS[REVISED].article.url}"', ""),
        ), url
    css = web.get("/static/style.css")
    assert css.status_code == 200 and "mark" in css.text


def test_the_web_app_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"  # SQLite: its bytes are compared
    db_url = f"sqlite:///{path}"
    build_web_archive(db_url, tmp_path / "warc")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    listing = sorted(p.name for p in tmp_path.iterdir())
    with TestClient(create_app(db_url, warc_dir=tmp_path / "warc")) as client:
        for url in ("/", "/?q=λαρισα", "/stories", "/trends", "/api/stats?by=site", "/articles/1"):
            assert client.get(url).status_code == 200, url
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


# --- newsarchive serve --------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "example.org"], "--host 'example.org' is not an IP address"),
        (["--host", "300.1.2.3"], "--host '300.1.2.3' is not an IP address"),
        (["--port", "70000"], "Invalid value for '--port'"),
        (["--port", "http"], "Invalid value for '--port'"),
        (["--warc-dir", ""], "--warc-dir needs a folder"),
    ],
)
def test_serve_refuses_a_bad_host_or_port_on_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "archive.db"
    build_web_archive(f"sqlite:///{db}", tmp_path / "warc")
    code, out, err = run("serve", "--db", str(db), *args)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err


def test_serve_refuses_a_missing_archive_and_makes_none(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    code, out, err = run("serve", "--db", str(missing), "--port", "0")
    assert (code, out) == (2, "")
    assert (
        err
        == f"newsarchive: error: no archive at {missing}: run `newsarchive crawl` or `demo` first\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_serve_refuses_a_port_taken(tmp_path: Path) -> None:
    import socket

    db = tmp_path / "archive.db"
    build_web_archive(f"sqlite:///{db}", tmp_path / "warc")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run("serve", "--db", str(db), "--port", str(port))
    assert code == 2 and err.startswith(
        f"newsarchive: error: cannot listen on 127.0.0.1 port {port}"
    )


def test_serve_beyond_localhost_says_it_is_read_only_and_unauthenticated(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    build_web_archive(f"sqlite:///{db}", tmp_path / "warc")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsarchive",
            "serve",
            "--db",
            str(db),
            "--host",
            "0.0.0.0",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None and server.stderr is not None
        serving = server.stdout.readline()
        warning = server.stderr.readline()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert re.fullmatch(
        r"Serving \S+archive\.db on http://0\.0\.0\.0:\d+ \(read-only; Ctrl-C stops\)\n", serving
    )
    assert "read-only and without authentication" in warning
    assert server.returncode == 0


def test_serve_on_localhost_warns_of_nothing(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    build_web_archive(f"sqlite:///{db}", tmp_path / "warc")
    with serving(db) as (base, server):
        import httpx

        assert "Αναζήτηση" in httpx.get(base + "/").text
    assert server.stderr is not None and server.stderr.read() == ""


class serving:
    """`newsarchive serve` started on 127.0.0.1 on a free port; gives its base URL and process."""

    def __init__(self, db: Path, *more: str) -> None:
        self.args = [
            sys.executable,
            "-m",
            "newsarchive",
            "serve",
            "--db",
            str(db),
            "--port",
            "0",
            *more,
        ]

    def __enter__(self) -> tuple[str, subprocess.Popen[str]]:
        self.server = subprocess.Popen(
            self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.server.stdout is not None
        line = self.server.stdout.readline()
        found = re.search(r"on (http://127\.0\.0\.1:\d+) ", line)
        if found is None:
            self.server.kill()
            raise AssertionError(f"newsarchive serve did not start: {line!r}")
        return found[1], self.server

    def __exit__(self, *_: object) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)
        assert self.server.returncode == 0


def test_json_keeps_greek_unescaped(web: Web) -> None:
    raw = web.get(f"/api/articles/{web.ids['release_thessaliatv']}").content
    assert "Λάρισα".encode() in raw and b"\\u" not in raw
    assert json.loads(raw)["article"]["site"] == "thessaliatv"


def test_an_archive_that_fails_while_served_is_a_503_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    build_web_archive(f"sqlite:///{db}", tmp_path / "warc")
    with TestClient(create_app(f"sqlite:///{db}")) as client:
        assert client.get("/api/articles").status_code == 200
        db.write_bytes(b"not a database any more " * 1000)
        for url in ("/api/search?q=λαρισα", "/api/articles", "/api/stories"):
            response = client.get(url)
            assert response.status_code == 503, url
            assert str(db) in response.json()["error"], url
        page = client.get("/stories")
        assert page.status_code == 503 and "Σφάλμα 503" in page.text


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.larissanet.gr/a/", "https://www.larissanet.gr/a/"),
        ("HTTP://thessaliatv.gr/", "HTTP://thessaliatv.gr/"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/", None),
        (None, None),
    ],
)
def test_only_web_urls_become_links(url: str | None, link: str | None) -> None:
    assert web_link(url) == link


@pytest.mark.parametrize(
    ("diff", "parts"),
    [
        ("a [-b-]{+c+} d", [("a ", ""), ("b", "del"), ("c", "ins"), (" d", "")]),
        ("{+νέο+}", [("νέο", "ins")]),
        ("… τέλος [-παλιό κείμενο-]", [("… τέλος ", ""), ("παλιό κείμενο", "del")]),
        ("χωρίς αλλαγή", [("χωρίς αλλαγή", "")]),
    ],
)
def test_word_diffs_are_shown_as_runs(diff: str, parts: list[tuple[str, str]]) -> None:
    assert diff_parts(diff) == parts
