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
