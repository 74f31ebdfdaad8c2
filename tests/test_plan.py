"""`dlspectra plan` (issue 21, item 2): per page, what a run at the scale needs, from the presets and
the run records of the last smoke run; the protein set's line counts the chains not on disk."""

import json

from dlspectra.book import cli, plan, smoke
from dlspectra.book.catalog import discover
from dlspectra.book.scales import all_presets
from runner_fixtures import copy_book


def _record(root, products, **extra):
    nb = discover(root)["xie/fig01"]
    path = nb.executed(smoke.store("paper")).with_suffix(".run.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"notebook": "xie/fig01", "scale": "paper-smoke", "key": "k", "run_id": "r",
                                "status": "ok", "error": None, "seconds": 12.5, "peak_rss_mb": 2048.0,
                                "products": products, "smoke": True, **extra}))
    return nb


def test_a_page_line_from_its_presets_and_its_smoke_record(tmp_path, monkeypatch):
    root = copy_book(tmp_path / "book")
    products = [{"kind": "HessianOperator", "dim": 44426, "samples": 94, "samples_full": 60000, "operators": 3,
                 "products": 300, "seconds": 30.0, "seconds_per_product": 0.1},
                {"kind": "HessianOperator", "dim": 1000, "samples": 512, "samples_full": None, "operators": 1,
                 "products": 20, "seconds": 1.0, "seconds_per_product": 0.05}]
    nb = _record(root, products, cache_bytes=5 * 2 ** 20)
    row = plan.page_plan(nb, "paper", root)
    full = all_presets()["xie/fig01"]["paper"]
    steps, reps = plan.budget_ratios(full, smoke.cap_preset("xie/fig01", full))
    assert steps >= 1 and reps >= 1 and (row["step_ratio"], row["repeat_ratio"]) == (steps, reps)
    assert row["params"] == 44426 and row["samples"] == 60000 and row["samples_capped"] == 94
    assert row["smoke_products"] == 320 and row["products"] == int(-(-320 * steps // 1))
    assert abs(row["seconds_per_product"] - 0.1 * 60000 / 94) < 1e-9     # scaled to the uncapped samples
    assert row["basis_bytes"] == plan.basis_vectors(full) * 44426 * 8  # float64 basis
    assert row["peak_mb"] == 2048.0 and row["cache_bytes"] == 5 * 2 ** 20 and row["status"] == "ok"
    text = plan.render([row])
    assert "44,426" in text and "60,000" in text and "2.0 GB" in text and "5.0 MB" in text


def test_budget_ratios_and_basis():
    full = {"hessian": {"k": 1000, "max_steps": 2500, "max_basis": 1200}, "trace_probes": 30, "epochs": 200}
    capped = smoke.cap_preset("xie/fig01", full)
    assert capped["hessian"]["max_steps"] == 1004 and capped["hessian"]["k"] == 1000  # k + 4 steps kept
    steps, reps = plan.budget_ratios(full, capped)
    assert steps == 2500 / 1004 and reps == 15.0
    assert plan.basis_vectors(full) == 1203 and plan.basis_vectors({"epochs": 3}) is None


def test_the_cli_prints_every_page_and_the_protein_fetch(tmp_path, monkeypatch, capsys):
    root = copy_book(tmp_path / "book")
    data = tmp_path / "data"
    (data / "pdb" / "pdownb").mkdir(parents=True)
    (data / "pdb" / "pdownb" / "pdownb_ca_index.csv").write_text(
        "key,pdb_id,chain,meets_all_criteria\n1A1X_A,1A1X,A,1\n1B2C_B,1B2C,B,0\n")
    (data / "pdb" / "pdownb" / "pdownb_ca.npz").write_bytes(b"0" * 2000)
    (data / "pdb" / "cullpdb_test.txt").write_text(
        "IDs length Exptl. resolution R-factor FreeRvalue\n1A1XA 108 XRAY 2.0 0.2 0.25\n9ZZZA 99 XRAY 1.5 0.2 0.2\n")
    monkeypatch.chdir(root)
    monkeypatch.delenv("DLSPECTRA_BOOK_ROOT", raising=False)
    monkeypatch.setenv("DLSPECTRA_DATA", str(data))
    _record(root, [], cache_bytes=None)
    assert cli.main(["plan", "--scale", "paper", "--json", str(tmp_path / "plan.json")]) == 0
    out = capsys.readouterr().out
    assert "xie/fig01" in out and "xie/fig02" in out and "no smoke run" in out  # fig02 has no record
    assert "1 qualifying chains on disk" in out and "9,165 not on disk" in out
    assert "names 2 chains, 1 of them not in the archives" in out and "python -m dlspectra.proteins fetch" in out
    saved = json.loads((tmp_path / "plan.json").read_text())
    assert {r["page"] for r in saved["pages"]} == {"xie/fig01", "xie/fig02"}
    assert saved["protein"]["on_disk"] == 1 and saved["protein"]["list_not_on_disk"] == 1
