"""End to end in headless Chromium: screen by keyboard, undo, retraining, and two accounts
dual-screening blind while the server is checked page by page and export by export.

Screenshots go to pytest's tmp_path and are copied to /tmp/screener-shots/ for a person to look
at; with SCREENER_SCREENSHOTS=DIR they are also written to DIR (the README's docs/screenshots/).
"""

from __future__ import annotations

import json
import os
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


def shot(driver, tmp_path: Path, name: str, keep: bool = False) -> Path:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / name)
    if keep and os.environ.get("SCREENER_SCREENSHOTS"):
        keep = Path(os.environ["SCREENER_SCREENSHOTS"])
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, keep / name)
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
    assert "<marquee>bold claim</marquee>" in driver.find_element(By.ID, "records-table").text
    shot(driver, tmp_path, "records.png")




def test_a_second_tab_shows_why_its_decision_was_not_saved(driver, served, tmp_path):
    """Two tabs on the same record: the first decides; the second's different decision is not
    saved, it says so in words and moves on to the next record."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review")
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    first_tab = driver.current_window_handle
    rid = shown(driver)
    driver.switch_to.new_window("tab")
    driver.get(srv.url + "screen")
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "record").get_attribute("data-record-id"))
    assert shown(driver) == rid  # the same record in both tabs
    second_tab = driver.current_window_handle
    driver.switch_to.window(first_tab)
    press(driver, "i")
    driver.switch_to.window(second_tab)
    press(driver, "e", wait_change=False)
    WebDriverWait(driver, 30).until(lambda d: "already marked include" in d.find_element(By.ID, "flash").text)
    assert "was not saved" in driver.find_element(By.ID, "flash").text
    assert shown(driver) != rid  # on to the next record
    shot(driver, tmp_path, "second-tab.png")
    with Project.open(directory) as p:
        log = p.decision_log()
    assert list(log["decision"]) == ["include"] and list(log["record_id"]) == [rid]
    driver.close()
    driver.switch_to.window(first_tab)


def test_an_undo_pressed_while_the_decision_is_saved_is_done_after_it(driver, served, tmp_path):
    """i then u in quick succession: the u came while the include was being saved and was dropped
    without a word, so the include stood though the reviewer had undone it. It waits for the save
    and is done then: the record is back and the log holds the include and its withdrawal."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review", n=20)
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    first = shown(driver)
    rid = press(driver, "e")
    gate, real = threading.Event(), srv.engine.decide

    def saved_slowly(*args, **kwargs):  # a save that takes a moment (a busy database)
        gate.wait(30)
        return real(*args, **kwargs)

    srv.engine.decide = saved_slowly
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("i")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "undo").get_attribute("disabled"))
    body.send_keys("u")  # while the include is being saved
    body.send_keys("u")  # pressed twice: one undo is for the decision being saved, not a second
    gate.set()
    WebDriverWait(driver, 30).until(lambda d: "Undone" in d.find_element(By.ID, "flash").text)
    assert shown(driver) == rid
    with Project.open(directory) as p:
        log = p.decision_log()
    assert list(zip(log["record_id"], log["decision"])) == [(first, "exclude"), (rid, "include"), (rid, "retract")]


def test_a_key_held_down_decides_only_the_record_shown(driver, served, tmp_path):
    """A key held down repeats: each repeat that came after the answer excluded the next record,
    which the reviewer never saw. Only the first press counts."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review", n=20)
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    rid = press(driver, "e")
    held = "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'e', repeat: true, bubbles: true}))"
    for _ in range(3):  # the repeats, each after the answer to the one before
        driver.execute_script(held)
        srv.engine.wait_idle(30)
    driver.execute_script("return fetch('/api/status').then(r => r.status)")  # the page's requests done
    assert shown(driver) == rid
    with Project.open(directory) as p:
        assert len(p.decision_log()) == 1


def test_messages_stay_in_view_when_the_server_is_gone(driver, served, tmp_path):
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review")
    srv = served(directory)
    driver.delete_all_cookies()
    driver.set_window_size(1280, 560)
    try:
        sign_in(driver, srv.url, "Ann")
        rid = shown(driver)
        press(driver, "i" if truth[rid] else "e")
        srv.server.shutdown()  # the server stops (a closed laptop lid, a crash)
        srv.server.server_close()
        driver.execute_script("window.scrollTo(0, 0)")  # reading the title, where each new record starts
        driver.find_element(By.TAG_NAME, "body").send_keys("e")
        flash = driver.find_element(By.ID, "flash")
        WebDriverWait(driver, 30).until(lambda d: "did not answer" in flash.text)
        assert "NOT saved" in flash.text and "screener serve" in flash.text
        box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); "
                                    "return [r.top, r.bottom, window.innerHeight];", flash)
        assert 0 <= box[0] and box[1] <= box[2], f"the message is out of view: {box}"
    finally:
        driver.set_window_size(1280, 1000)
        srv.server.shutdown = lambda: None  # already stopped; the fixture's close() must not wait


PASSWORD = "correct horse battery"
ANA, BEN, OWNER = "Anabel", "Benedikt", "Olga"


def add_accounts(directory: Path, tmp_path: Path) -> None:
    """As a team would: the owner adds everyone with 'screener user add'."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    pw = tmp_path / "password.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
        out = CliRunner().invoke(cli, ["user", "add", str(directory), name, "--role", role, "--password-file", str(pw)])
        assert out.exit_code == 0, out.output


def log_in(driver, base: str, name: str) -> None:
    driver.get(base + "login?next=/screen")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "record").get_attribute("data-record-id"))
    assert driver.find_element(By.ID, "reviewer-name").text == name


#: Every page and export a reviewer can open, fetched by the browser with the reviewer's session.
PAGES = ["/screen", "/records", "/records?decision=include", "/records?decision=exclude", "/dashboard",
         "/conflicts", "/conflicts?reveal=1", "/export/records.csv", "/export/records.ris",
         "/export/records.csv?only=included", "/export/report.html", "/export/agreement.csv",
         "/dashboard/discovery.png", "/api/status", "/api/next"]


def fetch_pages(driver, paths: list[str]) -> dict[str, tuple[int, str]]:
    got = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        Promise.all(arguments[0].map(p => fetch(p, {credentials: 'same-origin'})
            .then(r => r.text().then(t => [p, r.status, t]))))
          .then(rows => done(JSON.stringify(rows)), e => done(JSON.stringify([['error', 0, String(e)]])));
    """, paths)
    return {p: (status, text) for p, status, text in json.loads(got)}


def assert_blind(driver, me: str, other: str, other_notes: list[str], other_records: list[int], mine: dict) -> None:
    """Nothing of the other reviewer, and no agreement figure, on any page or export."""
    paths = PAGES + [f"/records/{r}" for r in other_records[-2:]]
    pages = fetch_pages(driver, paths)
    assert "error" not in pages, pages.get("error")
    for path, (status, text) in pages.items():
        assert other not in text, (me, path, "the other reviewer's name")
        for note in other_notes:
            assert note not in text, (me, path, "the other reviewer's note")
        for figure in ("Cohen", "kappa", "percent_agreement", "<th>Agree</th>", "conflicts to resolve"):
            assert figure not in text, (me, path, figure)
    for path in ("/export/report.html", "/export/agreement.csv", "/dashboard/discovery.png"):
        assert pages[path][0] == 403, (me, path)
    status = json.loads(pages["/api/status"][1])
    assert status["retrains"] is None and status["n_labelled"] is None
    counts = status["counts"]
    assert (counts["screened"], counts["included"]) == (len(mine), sum(d == "include" for d in mine.values()))
    exported = {}
    import csv as _csv
    import io as _io

    for row in _csv.DictReader(_io.StringIO(pages["/export/records.csv"][1].lstrip("\ufeff"))):
        if row["decision"]:
            exported[int(row["record_id"])] = row["decision"]
    assert exported == mine, (me, "the export holds exactly my own decisions")


@pytest.fixture(scope="module")
def driver2(tmp_path_factory):
    d = make_driver(tmp_path_factory.mktemp("chromium-profile-2"))
    d.set_page_load_timeout(60)
    yield d
    d.quit()


def test_two_accounts_dual_screen_blind_then_the_owner_resolves(driver, driver2, served, tmp_path):
    from selenium.webdriver.common.keys import Keys
    from webtestdata import build_project

    from screener.web.agreement import cohen_kappa

    directory, truth = build_project(tmp_path / "dual", mode="dual")
    add_accounts(directory, tmp_path)
    srv = served(directory)
    ana, ben = driver, driver2
    for d, name in ((ana, ANA), (ben, BEN)):
        d.delete_all_cookies()
        log_in(d, srv.url, name)

    decided = {ANA: {}, BEN: {}}
    notes = {ANA: [], BEN: []}
    for step in range(20):
        for d, me, other in ((ana, ANA, BEN), (ben, BEN, ANA)):
            rid = shown(d)
            right = "i" if truth[rid] else "e"
            key = right
            if me == BEN and step % 4 == 1:  # Ben disagrees now and then
                key = "e" if right == "i" else "i"
            if step % 3 == 0:  # a note, as a reviewer writes one
                note = f"{me[:3].upper()}-NOTE-{step}"
                d.find_element(By.TAG_NAME, "body").send_keys("n")
                d.switch_to.active_element.send_keys(note)
                d.switch_to.active_element.send_keys(Keys.ESCAPE)
                notes[me].append(note)
            nxt = press(d, key)
            assert nxt != rid
            decided[me][rid] = "include" if key == "i" else "exclude"
            assert d.find_element(By.ID, "n-screened").text == str(len(decided[me]))
            assert "rank" not in d.find_element(By.ID, "rec-reason").text
            assert not d.find_element(By.ID, "rec-rank-text").is_displayed()
            if me == ANA and step == 10:
                shot(d, tmp_path, "dual-screening.png", keep=True)
            assert_blind(d, me, other, notes[other], list(decided[other]), decided[me])
    assert srv.engine.wait_idle(60)

    # both reviewers screened the same records (each blind to the other), so each step compared like with like
    both = sorted(set(decided[ANA]) & set(decided[BEN]))
    assert len(both) >= 18
    plan = {r: (decided[ANA][r], decided[BEN][r]) for r in both}
    conflicts = sorted(r for r, (a, b) in plan.items() if a != b)
    assert conflicts
    kappa = cohen_kappa([a for a, _ in plan.values()], [b for _, b in plan.values()],
                        ["include", "exclude", "maybe"])

    # the owner resolves the conflicts and sees Cohen's kappa
    ana.find_element(By.ID, "sign-out").click()
    WebDriverWait(ana, 30).until(lambda d: d.find_elements(By.ID, "login-form"))
    log_in(ana, srv.url, OWNER)
    owner = ana
    owner.get(srv.url + "conflicts")
    agreement = owner.find_element(By.ID, "agreement").text
    assert f"{ANA} & {BEN}" in agreement and f"{kappa:.2f}" in agreement
    owner.find_element(By.ID, "reveal").click()
    items = owner.find_elements(By.CSS_SELECTOR, "article.conflict")
    assert sorted(int(i.get_attribute("data-record-id")) for i in items) == conflicts
    shot(owner, tmp_path, "dual-conflicts.png", keep=True)
    for rid in conflicts:
        item = owner.find_element(By.CSS_SELECTOR, f"article.conflict[data-record-id='{rid}']")
        item.find_element(By.CSS_SELECTOR, "button[value=" + ("include" if truth[rid] else "exclude") + "]").click()
        WebDriverWait(owner, 30).until(
            lambda d: not d.find_elements(By.CSS_SELECTOR, f"article.conflict[data-record-id='{rid}']"))
    assert owner.find_elements(By.ID, "no-conflicts")
    owner.get(srv.url + "dashboard")
    WebDriverWait(owner, 60).until(
        lambda d: d.execute_script("const i = document.getElementById('discovery-img'); return i && i.complete "
                                   "&& i.naturalWidth > 0"))
    dash = owner.find_element(By.ID, "agreement").text
    assert f"{kappa:.2f}" in dash and "0 conflicts to resolve" in dash
    owner.set_window_size(1280, 2300)
    shot(owner, tmp_path, "dual-dashboard.png", keep=True)
    owner.set_window_size(1280, 1000)

    with Project.open(directory) as p:
        log = p.decision_log()
        resolver = log[log["role"] == "resolver"]
        assert sorted(resolver["record_id"]) == conflicts and set(resolver["reviewer"]) == {OWNER}
        assert set(log.loc[log["role"] == "reviewer", "reviewer"]) == {ANA, BEN}
        assert p.conflicts().empty
        labels = p.labels()
        assert all(labels[r] == truth[r] for r in conflicts)


def test_a_reviewer_done_first_is_told_at_her_last_key_that_the_conflicts_wait_for_the_other(driver, served,
                                                                                               tmp_path):
    """Anabel's last key ended her screening while Benedikt still screened: the page said the conflicts were listed
    under Conflicts and the recall on the dashboard, both still blind to her. It says whom they wait for."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "dual", mode="dual", n=16, xss=False)
    add_accounts(directory, tmp_path)
    with Project.open(directory) as p:  # Benedikt has screened one record
        p.decide(min(truth), "exclude", reviewer=BEN)
    srv = served(directory)
    driver.delete_all_cookies()
    log_in(driver, srv.url, ANA)
    for _ in range(len(truth) - 1):
        press(driver, "i" if truth[shown(driver)] else "e")
    driver.find_element(By.TAG_NAME, "body").send_keys("e")
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "state-done").is_displayed())
    said = driver.find_element(By.ID, "done-blind")
    assert said.is_displayed() and f"once {BEN} has screened every record" in said.text, said.text
    assert not driver.find_element(By.ID, "done-team").is_displayed()


def test_undo_puts_the_withdrawn_decisions_note_back_in_the_note_field(driver, served, tmp_path):
    """A note typed, a wrong key, then u: the record came back with an empty note field. The note
    is back in the field, and the decision made again is saved with it."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review", n=20)
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    first = shown(driver)
    driver.find_element(By.TAG_NAME, "body").send_keys("n")
    driver.find_element(By.ID, "note").send_keys("wrong population: adolescents")
    driver.find_element(By.ID, "note").send_keys("\ue00c")  # Esc: leave the note field
    press(driver, "i")
    assert press(driver, "u") == first
    assert driver.find_element(By.ID, "note").get_attribute("value") == "wrong population: adolescents"
    press(driver, "e")
    with Project.open(directory) as p:
        log = p.decision_log()
    assert list(zip(log["decision"], log["note"].fillna(""))) == [
        ("include", "wrong population: adolescents"), ("retract", ""), ("exclude", "wrong population: adolescents")]


def test_a_refused_decision_gives_its_note_in_the_message(driver, served, tmp_path):
    """Two tabs on one record; the second tab's reviewer writes a note and excludes after the first
    tab included: refused, the next record shown and the note field emptied, so the note she meant
    to save on the record's page was gone. The message gives it, to copy there."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review", n=20)
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    first_tab = driver.current_window_handle
    rid = shown(driver)
    driver.switch_to.new_window("tab")
    driver.get(srv.url + "screen")
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "record").get_attribute("data-record-id"))
    second_tab = driver.current_window_handle
    driver.switch_to.window(first_tab)
    press(driver, "i")
    driver.switch_to.window(second_tab)
    driver.find_element(By.ID, "note").send_keys("only adolescents, see table 2")
    driver.find_element(By.ID, "note").send_keys("\ue00c")  # Esc: leave the note field
    press(driver, "e", wait_change=False)
    WebDriverWait(driver, 30).until(lambda d: "was not saved" in d.find_element(By.ID, "flash").text)
    assert shown(driver) != rid
    assert 'Your note was not saved either: "only adolescents, see table 2"' in driver.find_element(By.ID, "flash").text
    assert driver.find_element(By.ID, "note").get_attribute("value") == ""  # not saved with the next record
    driver.close()
    driver.switch_to.window(first_tab)


def test_the_keys_work_with_a_cyrillic_or_greek_keyboard_layout(driver, served, tmp_path):
    """A reviewer whose keyboard is set to Russian presses the key marked I: the browser reports
    'ш' for it, so nothing happened, as for every shortcut, until they switched the layout. The key's
    place on the keyboard counts when it gives no Latin letter."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review", n=20)
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")
    first = shown(driver)
    driver.execute_script("document.body.dispatchEvent(new KeyboardEvent('keydown', "
                          "{key: '\u0448', code: 'KeyI', bubbles: true}))")  # Russian layout, the key marked I
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return window.screenerTimings.length") >= 1)
    assert shown(driver) != first
    driver.execute_script("document.body.dispatchEvent(new KeyboardEvent('keydown', "
                          "{key: '\u03b8', code: 'KeyU', bubbles: true}))")  # Greek layout, the key marked U
    WebDriverWait(driver, 30).until(lambda d: shown(d) == first)
    driver.execute_script("document.body.dispatchEvent(new KeyboardEvent('keydown', "
                          "{key: '\u0432', code: 'KeyD', bubbles: true}))")  # no shortcut: nothing done
    with Project.open(directory) as p:
        log = p.decision_log()
    assert list(zip(log["record_id"], log["decision"])) == [(first, "include"), (first, "retract")]


def test_the_owner_decides_possible_duplicates_from_the_dashboard(driver, served, tmp_path):
    """The pairs 'screener dedup --review' lists, decided in the browser: the dashboard links them with
    their count, the page shows the two records side by side, and 'Same study' makes them one."""
    from webtestdata import PAIR, with_pair

    directory, a, b = with_pair(tmp_path)
    srv = served(directory)
    driver.delete_all_cookies()
    sign_in(driver, srv.url, "Ann")  # on one's own computer, the one reviewer is the project's owner
    driver.get(srv.url + "dashboard")
    link = driver.find_element(By.CSS_SELECTOR, "#pairs-to-review a")
    assert "1 pair of records may be duplicates" in driver.find_element(By.ID, "pairs-to-review").text
    link.click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "article.pair"))
    pair = driver.find_element(By.ID, f"pair-{a}-{b}")
    titles = [t.text for t in pair.find_elements(By.CSS_SELECTOR, "td.title")]
    assert titles == [PAIR[0]["title"], PAIR[1]["title"]]
    assert "vol. 32, no. 4, p. 597" in pair.text and "Embase" in pair.text
    shot(driver, tmp_path, "possible-duplicates.png")
    pair.find_element(By.CSS_SELECTOR, "button.merge").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "no-pairs"))
    assert f"Records {a} and {b} are now one study" in driver.find_element(By.CLASS_NAME, "flash-ok").text
    with Project.open(directory) as p:
        last = p.store.dedup_decisions_frame().iloc[-1]
        assert (last["decision"], last["reviewer"], last["origin"]) == ("merge", "Ann", "web")
