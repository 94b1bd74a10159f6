"""`tandem demo --html FILE`: the story as one self-contained page, opened in a real browser."""

import os
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest

from tests.support.processes import run_tandem
from tests.support.screenshots import CHROMIUM_FLAGS, chromium, distinct_colours, find_chromium

KEY_MOMENTS = (
    "you're now a mentoring pair",  # the pair is made
    "Your charter",  # the charter modal, drawn as a dialog
    "Did you meet?",  # the follow-up after the first meeting
    "Milestone reached!",  # the celebration in the channel
    "#celebrations",
    "group DM (Maya + Noah + Tandem)",
    "Only visible to",  # ephemeral answers
    "Another question",  # the open question in the mentor's reminder (issue 21)
    "shared a story from their own path",  # a story from the mentor's own path
    "Thank you for your curiosity, Noah!",  # graduation
    "The Home tab, at the end",
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-page")
    done = run_tandem(["demo", "--html", "demo.html"], folder, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "The story as a web page:" in done.stdout
    return folder / "demo.html"


def test_the_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    text = unescape(html)
    assert html.startswith("<!doctype html>")
    # Nothing to fetch: no external scripts, styles, images, fonts or frames.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html
    for act in range(1, 6):
        assert f"ACT {act} —" in html
    for person in ("Maya (mentor)", "Noah (mentee)", "Ada (programme admin)"):
        assert f">{person}</button>" in html  # a lane per person
    for moment in KEY_MOMENTS:
        assert moment in text, moment
    assert 'role="dialog"' in html and 'class="button primary"' in html
    # Slack's date tokens are drawn as their fallback (the recipient's time, naming the zone).
    assert "!date^" not in text and "{date_short_pretty}" not in text
    assert re.search(
        r'<span class="date" title="[^"]+">Mon 30 Mar, 10:00 America/New_York</span>', html
    )


def test_demo_help_describes_the_page(tmp_path: Path) -> None:
    done = run_tandem(["demo", "--help"], tmp_path)
    assert done.returncode == 0
    assert "--html FILE" in done.stdout and "self-contained web page" in done.stdout


def test_a_missing_folder_is_a_sentence(tmp_path: Path) -> None:
    done = run_tandem(["demo", "--html", "nowhere/demo.html"], tmp_path)
    assert done.returncode == 2
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr


def test_chromium_draws_the_page(page: Path, tmp_path: Path) -> None:
    browser = find_chromium()
    if browser is None:
        pytest.skip("no chromium here (.ci/run installs Debian's when it runs as root)")
    shot = tmp_path / "demo.png"
    url = page.as_uri()
    chromium(browser, tmp_path / "profile-1", "--window-size=900,1400", f"--screenshot={shot}", url)
    assert shot.exists()
    assert distinct_colours(shot) > 20, "the screenshot is blank"

    env = {**os.environ, "TZ": "Asia/Tokyo"}
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile-2'}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    for moment in KEY_MOMENTS:
        assert moment in dom, moment
    # The script ran: times are in the reader's timezone, not UTC.
    assert "your timezone (Asia/Tokyo)" in dom
