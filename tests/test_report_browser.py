"""The HTML review in headless Debian Chromium, driven by selenium, opened via file://.

Chromium and chromedriver are system packages (``chromium``, ``chromium-driver``); when they are
missing these tests FAIL with a message saying so (CI installs them). selenium-manager never runs:
the driver path is given explicitly.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from sessionfactory import AnswerSpec, make_session
from voicemock.report.html import HtmlOptions, render_html
from voicemock.report.model import build_review
from voicemock.sessions.annotations import add_annotation, load_annotations
from voicemock.sessions.read import load_session

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def driver():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: install the Debian packages chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver) to run the browser test")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed: pip install selenium (a dev dependency)")
    profile = tempfile.mkdtemp(prefix="vm-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--autoplay-policy=no-user-gesture-required", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _report(tmp_path: Path, audio: str = "embed") -> tuple[Path, Path]:
    folder = make_session(tmp_path / "rec", answers=[
        AnswerSpec("q01"),
        AnswerSpec("q02", chunks=[f"I said {XSS_SCRIPT} and then {XSS_IMG} to the team.",
                                  "As a result we shipped two weeks early."], kind="main"),
    ])
    add_annotation(folder, "q01", f"Coach says {XSS_SCRIPT}", {"result": 2}, coach="Ana <b>")
    notes, problems = load_annotations(folder)
    view = build_review(load_session(folder), notes, problems)
    out = render_html(view, tmp_path / "out" / "review.html", HtmlOptions(audio=audio))
    return out, folder


def _errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def _wait_audio(driver, audio_id: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(f"var a=document.getElementById('{audio_id}'); return a && a.readyState >= 1;"))


def _click_word(driver, answer: int, index: int) -> float:
    from selenium.webdriver.common.by import By

    span = driver.find_element(By.CSS_SELECTOR, f"#transcript-{answer} span.w[data-i='{index}']")
    span.click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        f"var a=document.getElementById('audio-{answer}'); return !a.seeking && a.readyState >= 1;"))
    return driver.execute_script(f"var a=document.getElementById('audio-{answer}'); a.pause(); return a.currentTime;")


@pytest.mark.parametrize("audio", ["embed", "link"])
def test_page_loads_and_clicking_a_word_seeks_the_audio(driver, tmp_path, audio):
    out, folder = _report(tmp_path, audio)
    driver.get(out.resolve().as_uri())
    _wait_audio(driver, "audio-1")
    # Record play() calls instead of letting playback move currentTime while we read it.
    driver.execute_script("window.__plays = 0; HTMLMediaElement.prototype.play = function () {"
                          " window.__plays++; return Promise.resolve(); };")
    import json

    words = json.loads((folder / "session.json").read_text())["answers"][0]["result"]["transcript"]["words"]
    for index in (7, 2, len(words) - 1):
        t = _click_word(driver, 1, index)
        assert t == pytest.approx(words[index]["start"], abs=0.05), f"word {index} {words[index]['word']!r}"
    assert driver.execute_script("return window.__plays") == 3
    duration = driver.execute_script("return document.getElementById('audio-1').duration")
    assert duration == pytest.approx(words[-1]["end"] + 0.3, abs=0.5)  # real, decodable WAV
    assert _errors(driver) == []


def test_clicking_a_word_really_plays_from_there(driver, tmp_path):
    out, folder = _report(tmp_path)
    driver.get(out.resolve().as_uri())
    _wait_audio(driver, "audio-1")
    import json

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    start = json.loads((folder / "session.json").read_text())["answers"][0]["result"]["transcript"]["words"][10]["start"]
    driver.find_element(By.CSS_SELECTOR, "#transcript-1 span.w[data-i='10']").click()
    WebDriverWait(driver, 10).until(lambda d: not d.execute_script("return document.getElementById('audio-1').paused"))
    t = driver.execute_script("var a=document.getElementById('audio-1'); a.pause(); return a.currentTime;")
    assert start - 0.05 <= t < start + 3.0
    assert _errors(driver) == []


def test_injected_markup_in_transcript_and_notes_shows_as_text_and_never_runs(driver, tmp_path):
    out, _ = _report(tmp_path)
    html = out.read_text()
    assert XSS_SCRIPT not in html and "<img src=x" not in html
    driver.get(out.resolve().as_uri())
    _wait_audio(driver, "audio-2")
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    text = driver.execute_script("return document.getElementById('transcript-2').textContent")
    assert "<script>window.__pwned=1</script>" in text
    assert "onerror=" in text
    body = driver.execute_script("return document.body.innerText")
    assert f"Coach says {XSS_SCRIPT}" in body
    assert "Ana <b>" in body
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    # the JSON data block is escaped too: no raw '<' inside it
    raw = driver.execute_script("return document.getElementById('vm-data').textContent")
    assert "<" not in raw
    assert _errors(driver) == []


def test_page_fits_a_phone_screen_without_sideways_scrolling(driver, tmp_path):
    folder = make_session(tmp_path / "rec", answers=[
        AnswerSpec("q01", chunks=["I fixed https://example.invalid/" + "averyveryverylongpathsegment" * 6 + " quickly.",
                                  "As a result the build passed."])])
    add_annotation(folder, "q01", "x" * 300, {"result": 2}, coach="Ana")
    notes, problems = load_annotations(folder)
    out = render_html(build_review(load_session(folder), notes, problems), tmp_path / "p.html")
    driver.set_window_size(390, 844)
    try:
        driver.get(out.resolve().as_uri())
        width = driver.execute_script("return window.innerWidth")
        assert width < 600  # the phone layout really applies
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width, f"page is {scroll}px wide on a {width}px screen"
        assert driver.execute_script("return getComputedStyle(document.querySelector('.cols')).display") == "block"
    finally:
        driver.set_window_size(1280, 900)
