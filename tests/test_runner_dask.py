"""The book on Dask (issue 12 item 1): pages as tasks of a client give the claims of a serial build."""

import pytest

from dlspectra.book import cli, pagecache
from dlspectra.book.execute import NotebookFailed, run_notebook
from runner_fixtures import claims_of, copy_book

distributed = pytest.importorskip("distributed")


@pytest.fixture
def two_books(tmp_path, monkeypatch):
    monkeypatch.delenv("DLSPECTRA_BOOK_ROOT", raising=False)
    monkeypatch.setattr(pagecache, "package_digest", lambda _dir: "fixed")
    for name in ("TINY_FAIL", "TINY_SLEEP"):
        monkeypatch.delenv(name, raising=False)
    return copy_book(tmp_path / "serial"), copy_book(tmp_path / "dask"), tmp_path


def test_pages_on_a_local_cluster_give_the_serial_claims(two_books, monkeypatch, capsys):
    serial, parallel, tmp = two_books
    monkeypatch.chdir(serial)
    monkeypatch.setenv("DLSPECTRA_RESULTS", str(tmp / "r-serial"))
    assert cli.main(["book", "--no-html", "--skip-data-check"]) == 0
    monkeypatch.chdir(parallel)
    monkeypatch.setenv("DLSPECTRA_RESULTS", str(tmp / "r-dask"))
    monkeypatch.setenv("TINY_FAIL", "xie/fig02")  # one page fails on its worker; the other still runs
    assert cli.main(["book", "--no-html", "--skip-data-check", "--jobs", "2"]) == 1
    out, err = capsys.readouterr()
    assert "jobs=2" in out and "xie/fig02" in err and "broken on purpose" in err
    assert claims_of(tmp / "r-dask" / "ci" / "xie" / "fig01.json") == claims_of(tmp / "r-serial" / "ci" / "xie" / "fig01.json")
    assert not (tmp / "r-dask" / "ci" / "xie" / "fig02.json").exists()
    monkeypatch.delenv("TINY_FAIL")
    assert cli.main(["book", "--no-html", "--skip-data-check", "--jobs", "2"]) == 0
    for fig in ("fig01", "fig02"):
        assert claims_of(tmp / "r-dask" / "ci" / "xie" / f"{fig}.json") == \
            claims_of(tmp / "r-serial" / "ci" / "xie" / f"{fig}.json")


def test_a_failing_page_fails_its_task_with_the_cell_and_the_error(two_books):
    serial, _, _ = two_books
    src = serial / "notebooks" / "xie" / "fig02_tiny_two.py"
    spec = {"figure_id": "xie/fig02", "source_text": src.read_text(), "source_path": "/nowhere/fig02_tiny_two.py",
            "scale": "ci", "device": "cpu", "timeout": None, "env": {"TINY_FAIL": "xie/fig02"}}
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            fut = client.submit(run_notebook, spec, pure=False)
            exc = fut.exception()
    finally:
        cluster.close()
    assert isinstance(exc, NotebookFailed)
    assert "code cell 3" in exc.message and "broken on purpose" in exc.message
    assert exc.result["status"] == pagecache.FAILED and "broken on purpose" in exc.result["executed"]
    assert exc.result["claims"] is None
