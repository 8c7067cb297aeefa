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
