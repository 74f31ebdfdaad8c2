"""Fast checks of dlspectra.papers.xie.cifar's bookkeeping (no training, no spectra)."""

import pytest

from dlspectra.book.scales import preset
from dlspectra.papers.xie.cifar import TAB07_PAPER, cifar_spec, paper_batch, resnet_preset


def test_paper_batch_maps_through_b_over_n():
    assert paper_batch(32, 4000) == 400
    assert paper_batch(128, 4000) == 1600
    assert paper_batch(1152, None) == 1152  # full training set: unchanged


def test_resnet_preset_moves_blocks():
    p = preset("ci", "xie/fig14")
    q = resnet_preset(p)
    assert q["lenet"] is p["resnet"] and q["hessian"] is p["resnet_hessian"]
    assert q["hessian"]["k"] == 50


def test_optimizer_pages_share_presets():
    # fig15, fig17 and tab07 read the same runs: their presets must agree on every run setting
    keys = ("lenet", "cifar_hessian", "optimizers", "seed", "test_n", "trace_probes")
    for scale in ("ci", "paper"):
        a, b, c = (preset(scale, f) for f in ("xie/fig15", "xie/fig17", "xie/tab07"))
        assert all(a[k] == b[k] == c[k] for k in keys)
        assert cifar_spec(a) == cifar_spec(c)
    for scale in ("ci", "paper"):
        a, b, c = (preset(scale, f) for f in ("xie/fig14", "xie/fig19", "xie/tab09"))
        assert all(a[k] == b[k] == c[k] for k in ("resnet", "resnet_model", "resnet_hessian", "seed", "test_n"))


def test_table7_s_is_one_over_beta_minus_one():
    # catalog §0.8: every row but DiffGrad has s = 1/(beta - 1) to rounding
    for (ds, name), (d, beta, sigma, s) in TAB07_PAPER.items():
        if beta is None:
            continue
        tol = 0.01 if name == "diffgrad" else 0.003
        assert s == pytest.approx(1 / (beta - 1), abs=tol), (ds, name)


def test_ci_trains_all_eleven_optimizers_resnet_sgd_only():
    from dlspectra.optim import OPTIMIZERS

    for page in ("xie/fig15", "xie/fig17", "xie/tab07"):
        assert preset("ci", page)["optimizers"] == list(OPTIMIZERS)
    assert preset("ci", "xie/fig14")["resnet_optimizers"] == ["sgd"]


def _fake_lenet_run(calls, diverge):
    """A stand-in for lenet_run: records (optimizer, lr) and raises at the (optimizer, lr) in ``diverge``."""
    from dlspectra.optim import PAPER_LR_CIFAR

    def run(p, dataset, *, optimizer, lr=None, **kwargs):
        lr = PAPER_LR_CIFAR[optimizer] if lr is None else lr
        calls.append((optimizer, lr))
        if (optimizer, lr) in diverge:
            raise FloatingPointError(f"training diverged at epoch 3: loss nan ({optimizer}, lr {lr})")
        return f"run {optimizer} {lr}"

    return run


def test_optimizer_runs_records_divergence_and_follows_the_grid(tmp_path, monkeypatch):
    from dlspectra.cache import Cache
    from dlspectra.papers.xie import cifar

    p = preset("ci", "xie/fig15")
    calls: list = []
    diverge = {("pnm", 1.0), ("adai", 1.0), ("adai", 0.1), ("yogi", 0.001)}
    monkeypatch.setattr(cifar, "lenet_run", _fake_lenet_run(calls, diverge))
    cache = Cache(tmp_path)
    runs, out = cifar.optimizer_runs(p, ["sgd", "pnm", "adai", "yogi"], device="cpu", cache=cache)
    # SGD-type (lr from the paper's grid): the next grid value below; adaptive: recorded, no other rate
    assert calls == [("sgd", 0.1), ("pnm", 1.0), ("pnm", 0.1), ("adai", 1.0), ("adai", 0.1), ("adai", 0.01),
                     ("yogi", 0.001)]
    assert list(runs) == ["sgd", "pnm", "adai"]
    assert (out["sgd"].lr, out["sgd"].diverged, out["sgd"].changed) == (0.1, (), False)
    assert (out["pnm"].lr, out["pnm"].diverged, out["pnm"].changed) == (0.1, (1.0,), True)
    assert (out["adai"].lr, out["adai"].diverged) == (0.01, (1.0, 0.1))
    assert out["yogi"].lr is None and out["yogi"].diverged == (0.001,) and "nan" in out["yogi"].message
    assert cifar.lr_note(out, ["sgd", "yogi"]) == "yogi: training diverged at lr 0.001, no spectrum"
    assert cifar.lr_note(out, ["pnm"]) == "pnm trained at lr 0.1 (diverged at 1; the paper's grid, App. B)"
    assert cifar.lr_note(out, ["sgd"]) == ""
    # a warm call reads the divergences from the cache: no diverged training is run again
    calls.clear()
    runs2, out2 = cifar.optimizer_runs(p, ["sgd", "pnm", "adai", "yogi"], device="cpu", cache=cache)
    assert calls == [("sgd", 0.1), ("pnm", 0.1), ("adai", 0.01)]
    assert out2 == out and list(runs2) == list(runs)
    rows = cifar.lr_rows(out, {})
    assert rows[3][2] == "— (no run)" and rows[2][3] == "1, 0.1"
    assert "adai: diverged at 1, 0.1, trained at 0.01" in cifar.lenet_cifar_setup_rows(p, out)[3][2]
    assert cifar.lenet_cifar_setup_rows(p, {"sgd": out["sgd"]})[3][2] == "same"


def test_all_hold_and_styles():
    from dlspectra.papers.xie.cifar import all_hold, optimizer_styles

    assert all_hold([True, True], 0) is True
    assert all_hold([True, True], 1) is None
    assert all_hold([True, False], 1) is False
    st = optimizer_styles([f"o{i}" for i in range(11)])
    assert len({v["color"] for v in st.values()}) == 11 and len({v["marker"] for v in st.values()}) == 11
    with pytest.raises(ValueError):
        optimizer_styles([f"o{i}" for i in range(21)])


def _synthetic_run(label: str, seed: int):
    """A Run with a converged Pareto-like top-60 spectrum and a test accuracy (no model, no training)."""
    import types

    import numpy as np

    from dlspectra.papers.xie.pipeline import Run, fit_spectrum
    from dlspectra.spectra import Spectrum

    r = np.random.default_rng(seed)
    lam = np.sort(r.pareto(1.0 + r.uniform(0.5, 1.5), 60) + 1.0)[::-1] * 0.1
    spec = Spectrum(lam, np.full(lam.size, 1e-9), 100, True, 0.0)
    trained = types.SimpleNamespace(metrics={"test": {"accuracy": float(r.uniform(0.1, 0.5))}, "train_seconds": 1.0},
                                    model=None, config=None)
    return Run(label, trained, spec, fit_spectrum(spec, 50), 1e-5)


@pytest.mark.parametrize("page", ["fig15_optimizers_cifar10", "fig17_sharpness_cifar10", "tab07_lenet_cifar_ks"])
def test_pages_survive_a_diverged_optimizer(page, tmp_path, monkeypatch):
    # the pages on synthetic runs: PNM diverges at the paper's lr 1 (trained at 0.1), Yogi at its
    # default 0.001 (no run). No page error; tab07 records Yogi's claim as not run (no network to
    # test) with the reason; every failing claim carries a ladder (the rungs are synthetic runs too).
    import json
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    from dlspectra.cache import Cache
    from dlspectra.optim import PAPER_LR_CIFAR
    from dlspectra.papers.xie import cifar

    def lenet_run(p, dataset, *, optimizer="sgd", lr=None, label=None, random=False, **kwargs):
        if random:
            return _synthetic_run(label or "random", 3)
        lr = PAPER_LR_CIFAR[optimizer] if lr is None else lr
        if (optimizer, lr) in {("pnm", 1.0), ("yogi", 0.001)}:
            raise FloatingPointError(f"training diverged at epoch 2: loss nan ({optimizer}, lr {lr})")
        return _synthetic_run(label, len(optimizer) * 7 + int(100 * lr))

    monkeypatch.setattr(cifar, "lenet_run", lenet_run)
    monkeypatch.setattr(cifar, "optimizer_run", lambda p, *a, label=None, **k: _synthetic_run(label or "random", 3))
    monkeypatch.setattr(cifar, "hessian_trace", lambda run, *a, **k: (7.0 * run.fit.lambda_max, 0.1))
    monkeypatch.setattr(cifar, "Cache", lambda: Cache(tmp_path / "cache"))
    monkeypatch.setattr("dlspectra.data.available", lambda name, n=None, split="train": name == "cifar10")
    monkeypatch.setattr(cifar, "size_note", lambda name, n, split="train": f"{n} images")  # no data files read
    monkeypatch.setenv("DLSPECTRA_RESULTS", str(tmp_path / "results"))
    src = Path(__file__).resolve().parents[1] / "notebooks" / "xie" / f"{page}.py"
    exec(compile(src.read_text(), str(src), "exec"), {"__name__": "__main__"})
    import matplotlib.pyplot as plt

    plt.close("all")
    claims = {c["claim_id"]: c for c in
              json.loads((tmp_path / "results" / "ci" / "xie" / f"{page.split('_')[0]}.json").read_text())["claims"]}
    assert all(c["declared"] for c in claims.values())
    assert all(c["ladder"] for c in claims.values() if c["verdict"] in ("not reproduced", "inconclusive"))
    if page.startswith("tab07"):
        assert claims["cifar10-yogi-accepted"]["verdict"] == "not run: scale"
        assert "diverged at lr 0.001" in claims["cifar10-yogi-accepted"]["note"]
        assert "pnm trained at lr 0.1" in claims["cifar10-pnm-accepted"]["note"]
        assert [c for c, v in claims.items() if v["verdict"] == "not run: scale"] == ["cifar10-yogi-accepted"]
        assert {c for c, v in claims.items() if v["verdict"] == "not run: data missing"} == {
            "cifar100-random-rejected", "cifar100-sgd-accepted", "cifar100-vanilla-sgd-accepted",
            "cifar100-sgd-evaluated-on-cifar-10-accepted"}
    else:
        assert all("yogi: training diverged" in c["note"] for c in claims.values() if c["claim_id"] != "sgd-below-adam")
        if page.startswith("fig15"):  # an "every optimizer" claim cannot hold: Yogi has no run
            assert all(claims[c]["verdict"] != "reproduced" for c in ("all-accepted", "s-band", "sgd-like-below-adaptive"))
