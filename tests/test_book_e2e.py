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
    page = book / "_build" / "html" / "notebooks" / "xie" / f"{src.stem}.html"
    assert page.exists()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(["timeout", "90", CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                              "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True).stdout
    assert "Xie et al., Table 5" in dom
    assert '<img alt="_images/' in dom or 'src="../../_images/' in dom, "the page shows no figure image"
    assert 'class="dlspectra-claims"' in dom, "the page shows no claims table"
    assert "reproduced" in dom
    scorecard = (book / "_build" / "html" / "book" / "scorecard.html").read_text()
    assert "KS critical values" in scorecard or "xie/tab05" in scorecard
