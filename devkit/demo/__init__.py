"""`tandem demo`: a whole mentorship, offline, against the built-in Slack emulator."""

import sys
import time
from pathlib import Path
from typing import TextIO

from devkit.demo.page import render_page
from devkit.demo.script import CAST, CHANNELS, START, tell
from devkit.demo.stage import Stage
from devkit.demo.transcript import Transcript


def run_demo(out: TextIO | None = None, html: Path | None = None) -> list[str]:
    """Tell the story, printing the transcript to `out` (default stdout); returns its lines.
    With `html`, also write the story there as one self-contained web page.

    Needs no Slack tokens, network or .env, and uses a throwaway SQLite file.
    """
    return play(out, html).lines


def play(out: TextIO | None = None, html: Path | None = None) -> Transcript:
    """`run_demo`, returning the whole transcript: its lines and the story as data (every
    message, modal and Home tab people saw, for tests that read them all)."""
    transcript = Transcript(people=CAST, out=out or sys.stdout)
    began = time.monotonic()
    transcript.write(
        "Tandem demo — a mentorship, from proposal to graduation, against a local Slack."
    )
    transcript.write(
        "Cast: " + ", ".join(f"{p.name} ({p.role}, {p.tz})" for p in CAST) + ", and #celebrations."
    )
    stage = Stage(transcript, START, CHANNELS)
    try:
        tell(stage)
    finally:
        stage.close()
    transcript.write()
    transcript.write(f"The end: {len(transcript.lines)} lines in {time.monotonic() - began:.1f} s.")
    if html is not None:
        page = render_page(transcript.story, CAST, transcript.names)
        html.write_text(page, encoding="utf-8")
        transcript.write(f"The story as a web page: {html}")
    return transcript
