"""End to end: build a one-notebook book with the real runner and open its page in headless Chromium.

Uses the real `xie/tab05` notebook (pure computation, seconds) in a temporary copy of the book's
skeleton, so the checkout's build folder is untouched. Skipped only where Chromium is absent
(`.ci/run` installs it).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, data_folder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
@pytest.mark.skipif(data_folder() is None, reason="no data folder")
def test_one_notebook_book_renders_figure_and_claims(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(REPO / "_config.yml", book)
    shutil.copytree(REPO / "book", book / "book", ignore=shutil.ignore_patterns("_generated"))
    (book / "notebooks" / "xie").mkdir(parents=True)
    src = next((REPO / "notebooks" / "xie").glob("tab05_*.py"))
    shutil.copy(src, book / "notebooks" / "xie")
    mathjax = REPO / "_build" / "mathjax"
    if mathjax.exists():
        (book / "_build").mkdir()
        os.symlink(mathjax, book / "_build" / "mathjax")
    env = dict(os.environ, DLSPECTRA_BOOK_ROOT=str(book), DLSPECTRA_RESULTS=str(book / "_build" / "results"),
               DLSPECTRA_DATA=str(data_folder()))
    r = subprocess.run([sys.executable, "-m", "dlspectra.book.cli", "book", "--only", "xie/tab05"], env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "xie/tab05" in r.stdout and "per-notebook times" in r.stdout
    from dlspectra.book.readercheck import browser_problem

    if browser_problem() is None:  # the reader check ran over every built page, and passed
        assert "fit the 1280 px window" in r.stdout, r.stdout
    page = book / "_build" / "html" / "notebooks" / "xie" / f"{src.stem}.html"
    assert page.exists()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(["timeout", "90", CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                              "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True).stdout
    assert "Xie et al., Table 5" in dom
    assert '<img alt="_images/' in dom or 'src="../../_images/' in dom, "the page shows no figure image"
    assert 'class="dlspectra-claims"' in dom, "the page shows no claims table"
    assert 'class="dlspectra-summary"' in dom, "the page shows no outcome box"
    assert "reproduced" in dom
    scorecard = (book / "_build" / "html" / "book" / "scorecard.html").read_text()
    assert "KS critical values" in scorecard or "xie/tab05" in scorecard


MATHJAX = REPO / "_build" / "mathjax" / "node_modules" / "mathjax" / "es5" / "tex-chtml.js"


@pytest.mark.slow
@pytest.mark.skipif(not MATHJAX.exists(), reason="no local MathJax (make mathjax)")
def test_rendered_scorecard_counts_the_claims_of_this_build(tmp_path, monkeypatch):
    """Build the two-page test book, break one page, rebuild: the rendered scorecard counts only what ran."""
    import re

    from runner_fixtures import copy_book

    book = copy_book(tmp_path / "book")
    (book / "_build").mkdir()
    os.symlink(REPO / "_build" / "mathjax", book / "_build" / "mathjax")
    env = {k: v for k, v in os.environ.items() if k not in ("DLSPECTRA_BOOK_ROOT", "TINY_FAIL", "TINY_SLEEP")}
    env["DLSPECTRA_RESULTS"] = str(tmp_path / "results")

    def build(**extra):
        return subprocess.run([sys.executable, "-m", "dlspectra.book.cli", "book", "--skip-data-check", "--force"],
                              cwd=book, env={**env, **extra}, capture_output=True, text=True, timeout=600)

    def totals() -> list[str]:
        html = (book / "_build" / "html" / "book" / "scorecard.html").read_text()
        row = html[html.index("<strong>all</strong>"):]
        return re.findall(r"<strong>(\d+)</strong>", row[: row.index("</tr>")])

    r = build()
    assert r.returncode == 0, r.stdout + r.stderr
    assert totals()[:2] == ["2", "2"]
    assert (book / "_build" / "html" / "_static" / "tex-chtml.js").exists(), "MathJax not served by the book"
    r = build(TINY_FAIL="xie/fig02")
    assert r.returncode == 1 and "broken on purpose" in r.stderr
    assert totals()[:2] == ["1", "1"]
    failed_page = (book / "_build" / "html" / "notebooks" / "xie" / "fig02_tiny_two.html").read_text()
    assert "broken on purpose" in failed_page  # the failed page shows its traceback, and is not counted
