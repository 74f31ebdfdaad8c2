"""The runner: clear errors for bad scale / ids, notebooks named by the catalogs, _toc.yml in sync."""

import subprocess
import sys

import pytest

from dlspectra.book import cli
from dlspectra.errors import UnknownNameError
from dlspectra.book.scales import FIGURE_IDS


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dlspectra.book.cli", *args], capture_output=True, text=True)


def test_bad_scale_and_ids_fail_with_clear_messages():
    r = run_cli("book", "--scale", "nope")
    assert r.returncode == 2 and "unknown scale 'nope'; valid scales: ci, paper" in r.stderr
    r = run_cli("book", "--only", "xie/nope")
    assert r.returncode == 2 and "unknown figure id 'xie/nope'" in r.stderr and "xie/fig01" in r.stderr


def test_missing_data_folder_fails_fast(monkeypatch, tmp_path):
    monkeypatch.setenv("DLSPECTRA_DATA", str(tmp_path / "nonexistent"))
    r = run_cli("book", "--only", "xie/fig01", "--no-html")
    assert r.returncode == 2
    assert "does not exist" in r.stderr and "SHA-256" in r.stderr


def test_every_notebook_is_a_catalog_id_with_a_parameters_cell():
    notebooks = cli.discover()
    assert "xie/fig01" in notebooks and "xie/tab01" in notebooks
    for fid, nb in notebooks.items():
        assert fid in FIGURE_IDS
        text = nb.source.read_text()
        assert '# %% tags=["parameters"]' in text, f"{nb.source} lacks a cell tagged parameters"
        assert 'scale = "ci"' in text and 'device = "auto"' in text
        assert text.count("page.finish()") == 1, f"{nb.source} must save its claims once (page.finish())"


def test_select_rejects_ids_without_notebooks():
    notebooks = cli.discover()
    with pytest.raises(UnknownNameError, match="no notebook"):
        cli.select({k: v for k, v in notebooks.items() if k != "xie/fig01"}, ["xie/fig01"])
    assert [nb.figure_id for nb in cli.select(notebooks, ["xie/fig01"])] == ["xie/fig01"]


def test_toc_is_in_sync_with_the_notebooks():
    r = run_cli("toc", "--check")
    assert r.returncode == 0, r.stderr


def test_duplicate_ids_run_once():
    notebooks = cli.discover()
    assert [nb.figure_id for nb in cli.select(notebooks, ["xie/tab05", "xie/tab05"])] == ["xie/tab05"]


def test_bad_device_fails_once_up_front():
    r = run_cli("book", "--only", "xie/tab05", "--no-html", "--device", "bogus", "--skip-data-check")
    assert r.returncode == 2 and "unknown device 'bogus'" in r.stderr and "start" not in r.stdout


def test_the_checkout_is_the_one_the_command_runs_in(tmp_path):
    """A second clone: `dlspectra toc --check` checks it, not the checkout the package came from."""
    import os
    import shutil

    from dlspectra.book.paths import find_checkout, resolve_settings

    clone = tmp_path / "clone"
    shutil.copytree(cli.project_root() / "notebooks", clone / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    shutil.copy(cli.project_root() / "_config.yml", clone)
    (clone / "_toc.yml").write_text("stale\n")
    env = {k: v for k, v in os.environ.items() if k != "DLSPECTRA_BOOK_ROOT"}
    r = subprocess.run([sys.executable, "-m", "dlspectra.book.cli", "toc", "--check"], cwd=clone / "notebooks",
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1 and f"checkout {clone}" in r.stderr
    assert find_checkout(clone / "notebooks" / "xie") == clone
    env2 = {"DLSPECTRA_DATA": "../data", "DLSPECTRA_CACHE": "~/c"}
    out = resolve_settings(clone, env2, cwd=clone / "notebooks")
    assert out["DLSPECTRA_DATA"] == str(clone / "data") and env2["DLSPECTRA_CACHE"] == os.path.expanduser("~/c")
    assert out["DLSPECTRA_RESULTS"] == str(clone / "_build" / "results")


def test_mathjax_is_checked_by_the_runner(tmp_path, monkeypatch):
    import shutil

    from dlspectra.errors import DlspectraError

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(DlspectraError, match="MathJax is not installed"):
        cli.ensure_mathjax(tmp_path)
    es5 = tmp_path / "_build" / "mathjax" / "node_modules" / "mathjax" / "es5"
    es5.mkdir(parents=True)
    (es5 / "tex-chtml.js").write_text("//")
    assert cli.ensure_mathjax(tmp_path) == es5


def test_help_is_plain_text_and_lists_the_commands():
    r = run_cli("--help")
    assert r.returncode == 0
    assert "``" not in r.stdout and ":mod:" not in r.stdout and ":func:" not in r.stdout
    for name in ("book", "list", "scorecard", "toc"):
        assert f"\n  {name} " in r.stdout
    r = run_cli("book", "--help")
    assert r.returncode == 0 and "``" not in r.stdout and "--jobs" in r.stdout


def test_list_shows_titles():
    r = run_cli("list")
    assert r.returncode == 0
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("xie/fig01"))
    assert "Figure 1" in line and "fig01_" in line


def test_page_lines_and_the_summary_count_verdicts():
    from dlspectra.book import report

    line = report.done_line("xie/fig01", 3.0, "ok", None, ["reproduced", "reproduced", "inconclusive"], 2048.0)
    assert "ok: 2 reproduced, 1 inconclusive" in line and "peak 2.0 GB" in line
    assert "FAILED: boom" in report.done_line("xie/fig02", 1.0, "failed", "boom", [])
    table = report.verdict_table({"xie/fig01": ["reproduced", "not run: scale"], "bask/fig02": ["inconclusive"]},
                                 failed=["bask/fig03"]).splitlines()
    assert table[0].split()[:3] == ["paper", "pages", "reproduced"]
    rows = {ln.split()[0]: ln.split() for ln in table[1:]}
    assert list(rows) == ["xie", "bask", "all"]
    assert rows["all"] == ["all", "2", "1", "0", "1", "0", "1", "1"]
