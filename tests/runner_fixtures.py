"""Helpers of the runner's tests: a private copy of the two-page test book (tests/runner_book)."""

import json
import shutil
from pathlib import Path

TEST_BOOK = Path(__file__).resolve().parent / "runner_book"


def copy_book(dest: Path) -> Path:
    """A fresh copy of the test book at ``dest`` (no build folder)."""
    shutil.copytree(TEST_BOOK, dest, ignore=shutil.ignore_patterns("_build", "__pycache__", "*.ipynb"))
    return dest


def counted(scorecard: str) -> dict[str, int]:
    """The totals row of a rendered scorecard: ``{"reproduced": n, "not reproduced": m, ...}``."""
    from dlspectra.book.results import VERDICTS

    for line in scorecard.splitlines():
        if line.startswith("| **all** |"):
            cells = [c.strip().strip("*") for c in line.strip("|").split("|")][1:]
            return dict(zip(VERDICTS, map(int, cells)))
    return {v: 0 for v in VERDICTS}


def claims_of(path: Path) -> dict:
    """A claims JSON without the fields that differ between runs (time written, run id)."""
    data = json.loads(path.read_text())
    data.pop("written", None)
    data.pop("run_id", None)
    return data
