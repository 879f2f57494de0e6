"""The report in a real browser: headless Chromium renders it, the plot loads, markup stays text.

The screenshot is copied to /tmp/screener-shots/report.png for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from screener.report import prisma_numbers, write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = Path("/tmp/screener-shots")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (headless Chromium); not installed here")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,2000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_report_renders_in_chromium(screened_project, browser, tmp_path, xss_title):
    from selenium.webdriver.common.by import By

    path = write_report(screened_project, tmp_path / "report.html")
    browser.get(path.resolve().as_uri())

    # the plot (a base64 PNG inside the file) has loaded and has a size
    loaded = browser.execute_script(
        "const img = document.getElementById('recall-curve');"
        "return img && img.complete ? [img.naturalWidth, img.naturalHeight] : null;")
    assert loaded and loaded[0] > 300 and loaded[1] > 200

    # the PRISMA numbers are on the page as a reader sees them
    p = prisma_numbers(screened_project)
    text = {i: browser.find_element(By.ID, i).text for i in
            ("prisma-identified", "prisma-duplicates", "prisma-screened", "prisma-excluded", "prisma-not-screened")}
    assert f"(n = {p['identified']})" in text["prisma-identified"]
    assert f"(n = {p['duplicates']})" in text["prisma-duplicates"]
    assert f"(n = {p['screened']})" in text["prisma-screened"]
    assert f"(n = {p['excluded']})" in text["prisma-excluded"]
    assert f"(n = {p['not_screened']})" in text["prisma-not-screened"]
    assert browser.find_element(By.ID, "card-screened").text == str(p["screened"])

    # a title holding a <script> is shown as text and never runs
    titles = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#included-records td.title")]
    assert xss_title.replace("  ", " ") in titles
    assert browser.execute_script("return window.__xss === undefined;")
    assert not browser.find_elements(By.CSS_SELECTOR, "#included-records td.title b")  # <b> stays text too

    # the layout put the PRISMA side boxes beside the main column, not under it
    main_box = browser.find_element(By.ID, "prisma-screened").rect
    side_box = browser.find_element(By.ID, "prisma-excluded").rect
    assert side_box["x"] > main_box["x"] + main_box["width"] - 1
    assert abs(side_box["y"] - main_box["y"]) < main_box["height"]

    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:4] == b"\x89PNG"
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, SHOTS / "report.png")
