"""End to end in headless Chromium: screen by keyboard, undo, retraining, dual screening.

Screenshots go to pytest's tmp_path and are copied to /tmp/screener-shots/ for a person to look at.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from screener.project import Project

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = Path("/tmp/screener-shots")

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(f"needs Debian's chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER}); not installed here",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install selenium)")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def make_driver(profile: Path):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)


class Server:
    """The real app on a free port, served from a thread, as 'screener serve' runs it."""

    def __init__(self, directory: Path):
        from screener.cli.web_cmds import serve_project

        self.server, self.url, self.app = serve_project(directory, host="127.0.0.1", port=0)
        self.engine = self.app.extensions["screener"]
        assert self.engine.wait_ready(120), self.engine.error
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.engine.stop()
        self.app.config["SCREENER_PROJECT"].close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    d = make_driver(tmp_path_factory.mktemp("chromium-profile"))
    d.set_page_load_timeout(60)
    yield d
    d.quit()


@pytest.fixture
def served():
    servers = []

    def _serve(directory):
        s = Server(directory)
        servers.append(s)
        return s

    yield _serve
    for s in servers:
        s.close()


def shot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / name)
    return path


def sign_in(driver, base: str, name: str) -> None:
    driver.get(base + "reviewer?next=/screen")
    box = driver.find_element(By.ID, "name")
    box.clear()
    box.send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "#reviewer-form button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "record").get_attribute("data-record-id"))


def shown(driver) -> int:
    return int(driver.find_element(By.ID, "record").get_attribute("data-record-id"))


def press(driver, key: str, wait_change: bool = True) -> int:
    """Press a key on the page and wait until the next record is shown; returns its id."""
    before = driver.execute_script("return window.screenerTimings.length")
    driver.find_element(By.TAG_NAME, "body").send_keys(key)
    if wait_change:
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return window.screenerTimings.length") > before)
    return shown(driver)


def test_screen_by_keyboard_undo_and_retrain(driver, served, tmp_path):
    from webtestdata import XSS_TITLE, build_project

    directory, truth = build_project(tmp_path / "review")
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    assert "Screening as Ann" in driver.find_element(By.CLASS_NAME, "who").text

    # the record with markup in its text comes first and shows as text
    assert shown(driver) == 1
    assert driver.find_element(By.ID, "rec-title").text == XSS_TITLE
    assert "<script>window.__xss = 1</script>" in driver.find_element(By.ID, "rec-abstract").text
    assert driver.execute_script("return window.__xss === undefined")
    marks = [m.text.lower() for m in driver.find_elements(By.CSS_SELECTOR, "#rec-abstract mark")]
    assert "harm reduction" in marks
    keys_text = driver.find_element(By.ID, "keys").text
    assert "Include" in keys_text and "Undo" in keys_text
    shot(driver, tmp_path, "screening.png")

    initial_order = list(srv.engine.rank.order)
    decided = []
    for _ in range(20):
        rid = shown(driver)
        nxt = press(driver, "i" if truth[rid] else "e")
        decided.append(rid)
        assert nxt != rid
    assert driver.find_element(By.ID, "n-screened").text == "20"
    assert driver.find_element(By.ID, "n-included").text == str(sum(truth[r] for r in decided))

    with Project.open(directory) as p:
        log = p.decision_log()
    assert list(log["record_id"]) == decided
    assert list(log["decision"]) == ["include" if truth[r] else "exclude" for r in decided]
    assert set(log["reviewer"]) == {"Ann"} and set(log["origin"]) == {"web"}

    # a note with 'n', then undo the last decision with 'u': it comes back
    driver.find_element(By.TAG_NAME, "body").send_keys("n")
    assert driver.switch_to.active_element.get_attribute("id") == "note"
    driver.switch_to.active_element.send_keys("looked at the methods")
    from selenium.webdriver.common.keys import Keys

    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    rid = shown(driver)
    press(driver, "i" if truth[rid] else "e")
    back = press(driver, "u")
    assert back == rid
    assert "Undone" in driver.find_element(By.ID, "flash").text
    with Project.open(directory) as p:
        log = p.decision_log()
        assert list(log["decision"][-2:]) == ["include" if truth[rid] else "exclude", "retract"]
        assert log.iloc[-2]["note"] == "looked at the methods"
        assert rid not in p.current_decisions().index
        assert len(p.current_decisions()) == 20

    # the model retrained in the background and the ranking changed
    assert srv.engine.wait_idle(60)
    WebDriverWait(driver, 30).until(
        lambda d: int(d.find_element(By.ID, "model-status").get_attribute("data-retrains")) >= 1)
    assert "model" in driver.find_element(By.ID, "model-phase").text
    new_order = list(srv.engine.rank.order)
    still = [r for r in initial_order if r in set(new_order)]
    assert new_order != still, "the retrained model should reorder the unscreened records"
    expected = srv.engine._upcoming("Ann", 2)  # [the record on screen, the next in the new ranking]
    assert expected[0] == back
    nxt = press(driver, "i" if truth[back] else "e")
    assert nxt == expected[1] or nxt == srv.engine._upcoming("Ann", 1)[0]  # or the very latest ranking's top

    driver.get(srv.url + "dashboard")
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("const i = document.getElementById('discovery-img'); return i && i.complete "
                                   "&& i.naturalWidth > 0"))
    assert "21 of 60 records screened" in driver.find_element(By.ID, "progress").text
    assert "Estimated recall" in driver.find_element(By.ID, "recall").text
    driver.set_window_size(1280, 2300)  # the whole dashboard in one picture
    shot(driver, tmp_path, "dashboard.png")
    driver.set_window_size(1280, 1000)
    driver.get(srv.url + "records?decision=include")
    assert "<b>bold claim</b>" in driver.find_element(By.ID, "records-table").text
    shot(driver, tmp_path, "records.png")


def test_two_reviewers_conflict_resolved(driver, served, tmp_path):
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "dual", mode="dual")
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    first = shown(driver)
    press(driver, "i")
    second = shown(driver)
    press(driver, "e")
    assert driver.find_element(By.ID, "n-screened").text == "2"

    sign_in(driver, srv.url, "Bob")  # the same browser, another reviewer
    assert shown(driver) == first  # blind: Ann's decisions do not show for Bob
    assert driver.find_element(By.ID, "n-screened").text == "0"
    press(driver, "e")  # Bob disagrees on the first
    press(driver, "e")  # and agrees on the second

    driver.get(srv.url + "conflicts")
    assert "Ann & Bob" in driver.find_element(By.ID, "agreement").text
    driver.find_element(By.ID, "reveal").click()
    items = driver.find_elements(By.CSS_SELECTOR, "article.conflict")
    assert [int(i.get_attribute("data-record-id")) for i in items] == [first]
    votes = items[0].find_element(By.CLASS_NAME, "votes").text
    assert "Ann: include" in votes and "Bob: exclude" in votes
    shot(driver, tmp_path, "conflicts.png")
    items[0].find_element(By.CSS_SELECTOR, "button[value=include]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "no-conflicts"))

    with Project.open(directory) as p:
        log = p.decision_log()
        last = log.iloc[-1]
        assert (last.record_id, last.decision, last.reviewer, last.role) == (first, "include", "Bob", "resolver")
        labels = p.labels()
        assert labels.to_dict() == {first: 1, second: 0}
