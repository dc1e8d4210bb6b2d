"""In a real browser: the front page and the API docs load, show the data, pass an
accessibility check, and never make a request that leaves the machine."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from api import registry
from tests.live import live_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="needs Chromium (.ci/run installs it)")

ROOT = Path(settings.BASE_DIR)
# `make screenshots` refreshes the committed picture; a plain test run keeps it aside.
SCREENSHOTS = ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else None
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, live_database):
    with live_server(live_database, tmp_path_factory.mktemp("browser")) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser(server):  # after the server: Django's database calls refuse Playwright's event loop
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    page.close()


def test_the_front_page_shows_the_counts_and_the_downloads(page, server, tmp_path):
    page.goto(f"{server}/", wait_until="networkidle")
    assert page.title() == "KP Data: the Kimberley Process governance record"
    assert page.locator("h1").inner_text() == "KP Data"
    counts = {
        cell.get_attribute("data-collection"): int(cell.inner_text())
        for cell in page.locator("td.count").all()
    }
    assert counts["statements"] == 107 and counts["meetings"] == 44
    assert set(counts) == {collection.prefix for collection in registry.COLLECTIONS}
    assert page.get_by_role("link", name="Statements as CSV").get_attribute("href") == (
        "/api/v1/statements.csv"
    )
    assert page.get_by_role("link", name="Download everything").count() == 1
    chart = page.get_by_role(
        "img", name="Line chart of the KP's published world total of rough-diamond production"
    )
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
    screenshot = (SCREENSHOTS or tmp_path) / "front-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert all(url.startswith(server) for url in page.requested), page.requested


def test_the_front_page_shows_each_chart_with_its_data(page, server):
    page.goto(f"{server}/", wait_until="networkidle")
    charts = page.locator("figure img").all()
    assert len(charts) == 4  # world production, shares of a year, trade by flow, a participant
    for chart in charts:
        assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
        assert chart.get_attribute("alt").split()[1] == "chart"
        svg = page.request.get(server + chart.get_attribute("src"))
        assert svg.ok and b"Source: KP Data" in svg.body()
    tables = page.get_by_role("link", name="the data as CSV").all()
    assert len(tables) == 4
    for link in tables:
        data = page.request.get(server + link.get_attribute("href"))
        assert data.ok and data.text().startswith("series,kind,scope,participant,")
    assert all(url.startswith(server) for url in page.requested), page.requested


def test_the_front_page_reads_well_on_a_phone(page, server):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{server}/", wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("td.count").first.is_visible()
    for chart in page.locator("figure img").all():  # charts shrink to the screen, still whole
        assert chart.evaluate("image => image.getBoundingClientRect().right") <= 375


def test_the_front_page_passes_an_accessibility_check(page, server):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{server}/", wait_until="networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_api_docs_list_every_operation_with_nothing_fetched_from_elsewhere(page, server):
    page.goto(f"{server}/api/docs/", wait_until="networkidle")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    for collection in ("participants", "statements", "production", "trade"):
        assert f"/api/v1/{collection}/" in {path.replace("\u200b", "") for path in paths}
    assert len(paths) >= 24
    assert all(url.startswith(server) for url in page.requested), page.requested
