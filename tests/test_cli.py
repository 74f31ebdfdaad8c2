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
