"""The runner end to end on the two-page test book (tests/runner_book), in this process (--jobs 1).

Issue 14, items 1-4, 6, 8, 9: only claims of this build count; path settings made absolute; scales
kept apart; the checkout found from the cwd; reader notebooks untouched; unchanged pages skipped.
"""

import json
import os

import pytest

from dlspectra.book import cli, pagecache
from dlspectra.book.paths import pages_dir, staging_dir
from runner_fixtures import copy_book, counted


@pytest.fixture
def book(tmp_path, monkeypatch):
    root = copy_book(tmp_path / "book")
    monkeypatch.chdir(root)
    monkeypatch.delenv("DLSPECTRA_BOOK_ROOT", raising=False)
    monkeypatch.setenv("DLSPECTRA_RESULTS", str(tmp_path / "results"))
    for name in ("TINY_FAIL", "TINY_SLEEP"):
        monkeypatch.delenv(name, raising=False)
    # the package's code is part of each page's key; other sessions edit it meanwhile: hold it fixed
    monkeypatch.setattr(pagecache, "package_digest", lambda _dir: "fixed")
    return root


def build(*args) -> int:
    return cli.main(["book", "--no-html", "--skip-data-check", *args])


def scorecard(root, scale="ci") -> str:
    return (staging_dir(root, scale) / "book" / "_generated" / "scorecard_body.md").read_text()


def test_scorecard_counts_only_this_builds_claims(book, monkeypatch, capsys):
    assert build() == 0
    assert counted(scorecard(book)) == {**counted(""), "reproduced": 2, "not reproduced": 2}
    # break one page: its old claims must not survive the failed run
    monkeypatch.setenv("TINY_FAIL", "xie/fig02")
    assert build("--only", "xie/fig02", "--force") == 1  # (the environment is not part of the key)
    err = capsys.readouterr().err
    assert "xie/fig02" in err and "code cell 3" in err and "broken on purpose" in err  # papermill's cell not counted
    card = scorecard(book)
    assert counted(card) == {**counted(""), "reproduced": 1, "not reproduced": 1}
    assert "failed" in card and "broken on purpose" in card
    # a later build of the other page still does not count the failed one
    monkeypatch.delenv("TINY_FAIL")
    assert build("--only", "xie/fig01", "--force") == 0
    assert counted(scorecard(book))["reproduced"] == 1
    # fixed and rebuilt: counted again
    capsys.readouterr()
    assert build("--only", "xie/fig02") == 0
    out = capsys.readouterr().out
    assert "done  xie/fig02" in out and "ok: 1 reproduced, 1 not reproduced" in out  # the page's counts as it ends
    assert "verdicts of the pages run in this build" in out
    assert counted(scorecard(book))["reproduced"] == 2
    assert cli.main(["scorecard", "--skip-data-check"]) == 0
    totals = {ln.split()[0]: ln.split() for ln in capsys.readouterr().out.splitlines() if ln.startswith(("xie ", "all "))}
    assert totals["all"][:4] == ["all", "2", "2", "2"]  # pages, reproduced, not reproduced
    # a deleted executed page, and a deleted notebook: their claims are ignored and reported
    (pages_dir(book, "ci") / "xie" / "fig01_tiny_one.ipynb").unlink()
    (book / "notebooks" / "xie" / "fig02_tiny_two.py").unlink()
    assert cli.main(["scorecard", "--skip-data-check"]) == 0
    card = scorecard(book)
    assert counted(card)["reproduced"] == 0
    assert "`xie/fig01`: its executed page is gone" in card
    assert "`xie/fig02`: its notebook is gone" in card


def test_unchanged_pages_are_skipped_and_force_reruns(book, capsys):
    assert build() == 0
    capsys.readouterr()
    assert build() == 0
    out = capsys.readouterr().out
    assert "0 notebook(s) to run, 2 unchanged" in out and "skip  xie/fig01" in out
    src = book / "notebooks" / "xie" / "fig01_tiny_one.py"
    src.write_text(src.read_text() + "\n# %%\nx = 1\n")
    assert build() == 0
    out = capsys.readouterr().out
    assert "1 notebook(s) to run, 1 unchanged" in out and "done  xie/fig01" in out
    assert build("--force", "--only", "xie/fig02") == 0
    assert "done  xie/fig02" in capsys.readouterr().out
    # the reader's notebooks stay as they were: no executed copy lands beside them
    assert sorted(p.name for p in (book / "notebooks" / "xie").iterdir()) == ["fig01_tiny_one.py", "fig02_tiny_two.py"]


def test_relative_path_settings_are_made_absolute(book, monkeypatch, capsys):
    monkeypatch.setenv("DLSPECTRA_RESULTS", "myresults")
    monkeypatch.chdir(book / "book")  # a subfolder: the checkout is found upward
    assert build("--only", "xie/fig01") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"dlspectra book: checkout {book}"
    assert (book / "book" / "myresults" / "ci" / "xie" / "fig01.json").exists()
    assert not (book / "notebooks" / "xie" / "myresults").exists()
    assert os.environ["DLSPECTRA_RESULTS"] == str(book / "book" / "myresults")


def test_scales_are_kept_apart(book):
    assert build("--scale", "paper", "--only", "xie/fig01") == 0
    assert build("--scale", "ci", "--only", "xie/fig02") == 0
    ci_page = json.loads((staging_dir(book, "ci") / "notebooks" / "xie" / "fig01_tiny_one.ipynb").read_text())
    text = json.dumps(ci_page)
    assert "no executed copy at scale `ci`" in text and "Tiny page one" in text
    assert not any(c["cell_type"] == "code" for c in ci_page["cells"])
    card = scorecard(book, "ci")
    assert counted(card)["reproduced"] == 1 and "| paper | ✓" not in card and "xie/fig01 </notebooks" in card
    assert "run at scale 'paper'" not in card  # the paper run is simply not a ci page
    assert (pages_dir(book, "paper") / "xie" / "fig01_tiny_one.ipynb").exists()


def test_timeout_is_reported_as_such(book, monkeypatch, capsys):
    monkeypatch.setenv("TINY_SLEEP", "60")
    assert build("--only", "xie/fig01", "--timeout", "3") == 1
    err = capsys.readouterr().err
    assert "timed out: code cell 2 (`import os`) ran longer than --timeout 3 s" in err
    rec = pagecache.read_record(pages_dir(book, "ci") / "xie" / "fig01_tiny_one.ipynb")
    assert rec["status"] == pagecache.TIMED_OUT
