"""The live page's files and their views, on a faust app's web server (no broker)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import faust
import pytest
from aiohttp.test_utils import TestClient, TestServer

from streams.web import add_pages, load_static


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    app = faust.App("page-test", broker="memory://", web_enabled=True)
    add_pages(app)
    app.web.init_server()  # faust's own blueprints too: "/" must stay the page's
    test_client = TestClient(TestServer(app.web.web_app))
    await test_client.start_server()
    try:
        yield test_client
    finally:
        await test_client.close()


def test_the_package_ships_the_page_and_a_vendored_chart_library() -> None:
    files = load_static()
    assert {"index.html", "page.js", "page.css", "uPlot.iife.min.js", "uPlot.min.css"} <= set(files)
    assert files["uPlot.iife.min.js"].body.startswith(
        b"/*! https://github.com/leeoniya/uPlot (v1.6."
    )
    assert b"MIT License" in files["uPlot.LICENSE"].body
    # everything the page links to is shipped, and nothing comes from another origin
    html = files["index.html"].body.decode()
    linked = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert linked and set(linked) <= set(files)
    assert "http://" not in html and "https://" not in html


def test_the_page_reads_data_only_through_query_and_health() -> None:
    script = load_static()["page.js"].body.decode()
    assert set(re.findall(r'call\("([^"]+)"', script)) == {"/query", "/health"}
    assert script.count("fetch(") == 1  # inside call(), which adds the bearer token
    assert "innerHTML" not in script  # data goes in as text


async def test_page_and_files_are_served_with_validators_and_no_token(client: TestClient) -> None:
    page = await client.get("/")
    assert page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<table" in await page.text()

    script = await client.get("/static/page.js")
    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    again = await client.get("/static/page.js", headers={"If-None-Match": script.headers["ETag"]})
    assert again.status == 304

    for name in ("nope.js", "..%2Fweb.py", "__init__.py"):
        assert (await client.get(f"/static/{name}")).status == 404
