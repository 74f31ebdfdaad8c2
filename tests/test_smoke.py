"""Smoke runs of the paper scale (issue 21, item 1): the caps, and a representative subset of pages
run end to end at ``--scale paper --smoke`` (the whole book: ``make smoke``).

The subset covers the paper scale's distinct models and solvers that a CPU runs in about two
minutes cold at one thread: the ANM of hemoglobin 4HHB with its dense eigenproblem and power-law
fits (xie/fig08), the class/cross-class decomposition of G against its dense reference
(papyan/decomp), stochastic Lanczos quadrature densities and their checks (papyan/fig15) and the
Gaussian-process Hessian model with its spacing ratios (bask/fig05). LeNet-5 on full MNIST with
its top-1000 Lanczos solve (xie/fig02: 1,004 products, 216 s cold at one thread on a loaded
machine) is left to ``make smoke``: with it the subset took 364 s. Each page runs in its own
kernel in a private copy of the book, cache and results, as ``dlspectra book`` runs it.
"""

import json
import shutil

import pytest

from conftest import REPO, needs_data
from dlspectra import budget
from dlspectra.book import cli, pagecache, smoke
from dlspectra.book.catalog import discover
from dlspectra.book.scales import preset

SUBSET = ["xie/fig08", "papyan/decomp", "papyan/fig15", "bask/fig05"]


# ------------------------------------------------------------------------------------------ caps
def test_caps_keep_shapes_and_cap_budgets():
    p = {"epochs": 200, "k": 1000, "max_steps": 2500, "density": {"num_steps": 256}, "width": 2048, "n_per_class": 5000,
         "dataset": "cifar10", "model": "vgg11", "trace_probes": 30, "epoch_grid": [10, 50, 200],
         "set": {"per_bin": [None, 120, None]}, "n_chains": None, "hidden": [100, 100, 50]}
    c = smoke.cap_preset("xie/fig01", p)
    assert c["epochs"] == 1 and c["trace_probes"] == 2 and c["epoch_grid"] == [1, 2, 3]
    assert c["k"] == 1000 and c["max_steps"] == 1004 and c["density"]["num_steps"] == smoke.STEPS  # top-k: k + 4
    assert (c["width"], c["n_per_class"], c["dataset"], c["model"], c["hidden"]) == (2048, 5000, "cifar10", "vgg11",
                                                                                      [100, 100, 50])
    assert c["set"]["per_bin"] == [2, 2, 2] and c["n_chains"] == 4 and c["smoke"] is True
    assert p["epochs"] == 200  # the input is not changed


def test_library_caps(monkeypatch):
    import torch

    monkeypatch.delenv(budget.SMOKE_ENV, raising=False)
    assert budget.caps() == {} and budget.batches_per_epoch() is None and budget.samples_cap(10) is None
    monkeypatch.setenv(budget.SMOKE_ENV, smoke.smoke_env()[budget.SMOKE_ENV])
    assert budget.batches_per_epoch() == 2
    assert budget.samples_cap(10 ** 7) == 32 and budget.samples_cap(2 ** 16) == 2 ** 22 // 2 ** 16
    batches = [(torch.zeros(50, 3), torch.zeros(50)) for _ in range(3)]
    kept = budget.cap_batches(batches, dim=10 ** 7)
    assert [len(x) for x, _ in kept] == [32]
    assert budget.cap_batches(batches, dim=10 ** 7, kind="GradientCovarianceOperator") is batches


def test_the_product_log_records_uncapped_samples(tmp_path, monkeypatch):
    import torch

    log = tmp_path / "products.jsonl"
    monkeypatch.setenv(budget.SMOKE_ENV, smoke.smoke_env()[budget.SMOKE_ENV])
    monkeypatch.setenv(budget.LOG_ENV, str(log))
    budget.cap_batches([(torch.zeros(100, 3), torch.zeros(100))] * 4, dim=10 ** 7, kind="HessianOperator")
    budget.record_products("HessianOperator", 5, 0.5, dim=10 ** 7, samples=32, operator_id=1)
    budget.record_products("HessianOperator", 3, 0.3, dim=10 ** 7, samples=32, operator_id=2)
    (g,) = budget.summarize_products(budget.read_product_log(log))
    assert (g["samples"], g["samples_full"], g["operators"], g["products"]) == (32, 400, 2, 8)
    assert abs(g["seconds_per_product"] - 0.1) < 1e-12


def test_preset_is_capped_only_in_a_smoke_run(monkeypatch):
    monkeypatch.delenv(budget.SMOKE_ENV, raising=False)
    assert "smoke" not in preset("paper", "xie/fig02")
    monkeypatch.setenv(budget.SMOKE_ENV, smoke.smoke_env()[budget.SMOKE_ENV])
    assert preset("paper", "xie/fig02")["smoke"] is True


def test_the_banner_and_the_marked_claims():
    assert "Smoke run" in smoke.banner("paper") and "not run: scale" in smoke.banner("paper")
    marked = smoke.mark_claims({"claims": [{"verdict": "reproduced", "note": "x"}]})
    (c,) = marked["claims"]
    assert c["verdict"] == "not run: scale" and c["smoke_verdict"] == "reproduced" and marked["smoke"] is True


# ------------------------------------------------------------------------------------------ the subset
def copy_checkout(dest):
    """The book's pages and configuration, without build outputs (the package runs from the install)."""
    dest.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(REPO / name, dest / name)
    ignore = shutil.ignore_patterns("_build", "__pycache__", "*.ipynb", "_generated")
    shutil.copytree(REPO / "notebooks", dest / "notebooks", ignore=ignore)
    shutil.copytree(REPO / "book", dest / "book", ignore=ignore)
    return dest


@needs_data
def test_a_representative_subset_runs_its_paper_path(tmp_path, monkeypatch, capsys):
    root = copy_checkout(tmp_path / "book")
    monkeypatch.chdir(root)
    monkeypatch.delenv("DLSPECTRA_BOOK_ROOT", raising=False)
    monkeypatch.setenv("DLSPECTRA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DLSPECTRA_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("DLSPECTRA_THREADS", "1")
    code = cli.main(["book", "--scale", "paper", "--smoke", "--no-html", "--skip-data-check", "--timeout", "300",
                     "--only", *SUBSET])
    out, err = capsys.readouterr()
    assert code == 0, err[-3000:]
    assert "smoke run of scale paper" in out
    notebooks = discover(root)
    store = smoke.store("paper")
    for fid in SUBSET:
        nb = notebooks[fid]
        rec = pagecache.read_record(nb.executed(store))
        assert rec and rec["status"] == "ok" and rec["smoke"] is True and rec["scale"] == store, (fid, rec)
        assert "Smoke run" in nb.executed(store).read_text()  # the note under the page's title
        claims = json.loads(nb.claims(store).read_text())
        assert claims["smoke"] is True
        for c in claims["claims"]:
            assert c["verdict"] == "not run: scale", (fid, c["claim_id"])
            assert c.get("smoke_verdict") != "not run: data missing", (fid, c["claim_id"])
    decomp = pagecache.read_record(notebooks["papyan/decomp"].executed(store))
    (ggn,) = [g for g in decomp["products"] if g["kind"] == "GGNOperator"][:1]
    assert ggn["products"] > 0 and ggn["dim"] and ggn["samples_full"] == ggn["samples"]  # small: not capped
    gp = pagecache.read_record(notebooks["bask/fig05"].executed(store))
    assert gp["cache_bytes"] and gp["peak_rss_mb"]
    # nothing of the smoke run stands in for a real one
    assert not (root / "_build" / "pages" / "paper").exists()


def test_page_overrides_keep_a_pages_settings():
    p = {"power": {"k": 100, "max_iter": 100, "tol": 1e-3}, "epochs": 50}
    assert smoke.cap_preset("xie/fig11", p)["power"]["max_iter"] == 100  # PyHessian's default, asserted by the page
    assert smoke.cap_preset("xie/fig03", p)["power"]["max_iter"] == 5
