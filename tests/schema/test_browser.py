"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright against a real
`stakegraph serve` on the seed graph, with every request to a host other than 127.0.0.1
refused (a machine without internet). `.ci/run` installs Chromium (`make browser`); the
screenshots go to the test's folder."""
from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (make browser)")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        refused: list[str] = []

        def only_local(route):
            if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
                return route.continue_()
            refused.append(route.request.url)
            return route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        page.refused = refused
        yield page
        browser.close()


def test_graphiql_renders_offline_and_runs_its_example(server, page, tmp_path):
    page.goto(server.url + "/graphql")
    page.wait_for_selector(".graphiql-execute-button", timeout=30_000)
    editor = page.locator(".graphiql-query-editor").inner_text()
    assert "influencePaths(" in editor
    page.screenshot(path=str(tmp_path / "graphiql-opened.png"))
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        "document.querySelector('.graphiql-response') && "
        "document.querySelector('.graphiql-response').innerText.includes('influencePaths')",
        timeout=30_000)
    answer = page.locator(".graphiql-response").inner_text()
    assert '"data"' in answer and "errors" not in answer
    page.screenshot(path=str(tmp_path / "graphiql-answered.png"))
    assert page.refused == []  # nothing was asked of another host


def test_the_explorer_from_a_search_to_a_quote_in_its_document(server, page, tmp_path):
    """Search "UK Finance", open its entity page (relations with quotes and their documents),
    ask how the UK Cryptoasset Business Council reaches the UK-US Tech Bridge, see the paths
    drawn with their quotes, read a quote highlighted in its document, download the GEXF.
    Screenshots of each step go to the test's folder (two are in docs/explorer.md)."""
    page.goto(server.url + "/")
    page.fill("#search", "UK Finance")
    page.click("#search-form button")
    page.wait_for_selector("ul.results li a")
    assert "LobbyGroup 1" in page.locator(".facets").inner_text()
    page.screenshot(path=str(tmp_path / "explorer-1-search.png"))
    page.click("ul.results li a:text('UK Finance')")
    page.wait_for_selector("h2.entity-name")
    assert "UK Finance" in page.locator("h2.entity-name").inner_text()
    assert "LOBBIES" in page.locator("main").inner_text()
    assert "uk-us-tech-bridge.txt" in page.locator(".cite").first.inner_text()
    page.screenshot(path=str(tmp_path / "explorer-2-entity.png"), full_page=True)
    page.fill("#from", "UK Cryptoasset Business Council")
    page.fill("#to", "UK-US Tech Bridge")
    page.click("#paths-form button")
    page.wait_for_selector("svg.drawing")
    assert page.locator(".path").count() >= 1
    assert page.locator(".path blockquote").count() >= 2
    assert "#from=UK%20Cryptoasset" in page.url  # the view is in its address: shareable
    page.screenshot(path=str(tmp_path / "explorer-3-paths.png"), full_page=True)
    quote = page.locator(".path blockquote").first.inner_text()
    page.locator(".path a.read").first.click()
    page.wait_for_selector(".passage mark")
    assert page.locator(".passage mark").inner_text() == quote
    page.screenshot(path=str(tmp_path / "explorer-4-passage.png"))
    page.go_back()
    page.wait_for_selector("svg.drawing")
    with page.expect_download() as download:
        page.click("a.gexf")
    saved = tmp_path / "view.gexf"
    download.value.save_as(saved)
    assert "<gexf" in saved.read_text(encoding="utf-8")
    assert page.refused == []
