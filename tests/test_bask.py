"""Baskerville et al. package: reference numbers in the paper's text, presets, closed-form
logistic Hessian against the generic exact Hessian, unfolding/ratio rules on known ensembles."""

from pathlib import Path

import numpy as np
import pytest
import torch

from dlspectra import rmt
from dlspectra.book.scales import FIGURE_IDS, preset
from dlspectra.curvature import batch_hessian
from dlspectra.book.ladder import climb
from dlspectra.book.rules import Estimate
from dlspectra.papers.bask import analysis
from dlspectra.papers.bask.claims import CLAIMS, largest_difference
from dlspectra.papers.bask.gp import ks_spread
from dlspectra.papers.bask.ladders import subset_settings
from dlspectra.papers.bask.gp import panel_spectra, semicircle_ks
from dlspectra.papers.bask.presets import CI, PAPER_SCALE, PRESETS
from dlspectra.papers.bask.reference import PAPER, value
from dlspectra.papers.bask.setups import MicroLeNet, build_net, count_params, loss_for
from dlspectra.papers.bask.spectra import logistic_hessian

PAPER_TXT = Path(__file__).resolve().parents[1].parent / "shared" / "papers" / "baskerville_rmt.txt"


@pytest.mark.skipif(not PAPER_TXT.is_file(), reason=f"paper text not found at {PAPER_TXT} (CI has ../shared)")
def test_reference_numbers_occur_in_the_paper():
    text = PAPER_TXT.read_text()
    missing = [k for k, v in PAPER.items() if v["quote"] not in text]
    assert not missing, f"quotes not in the paper: {missing}"
    for k, v in PAPER.items():
        assert v["where"], k
    assert value("bike_test_mse") == 0.044 and value("mass_below_10") == 0.985
    with pytest.raises(KeyError):
        value("nonexistent")


def test_presets_cover_every_page_and_paper_sizes():
    ids = [f for f in FIGURE_IDS if f.startswith("bask/")]
    assert sorted(PRESETS) == sorted(ids)
    for fid in ids:
        assert set(preset("ci", fid)) and set(preset("paper", fid))
    # paper scale uses the paper's parameter counts (catalog 1.1; D2, D3, D14)
    want = {"logistic": 7850, "mlp2": 9960, "mlp3": 20060, "lenet": 19217, "bike": 16601, "embed": 5130}
    for k, P in want.items():
        assert count_params(PAPER_SCALE[k]["net"], PAPER_SCALE[k]["data"]) == P, k
        assert PAPER_SCALE[k]["epochs"] == 300
    for r in list(CI.values()) + list(PAPER_SCALE.values()):
        assert "seed" in r
    assert preset("paper", "bask/fig04")["sizes"]["batches"] == 157


def test_closed_form_logistic_hessian_equals_exact():
    torch.manual_seed(0)
    net = build_net({"kind": "mlp", "hidden": []}, (12,), 4, seed=0).double().eval()
    X = torch.randn(20, 12, dtype=torch.float64)
    y = torch.randint(0, 4, (20,))
    H = batch_hessian(net, loss_for({"name": "mnist"}), X, y, reduction="sum")
    Hc = logistic_hessian(net, X, chunk=7)
    e, ec = torch.linalg.eigvalsh(H), torch.linalg.eigvalsh(Hc)
    assert torch.allclose(e, ec, atol=1e-10 * float(e.abs().max()))
    # rank of a batch softmax Hessian is at most B (C - 1)
    assert rmt.numerical_rank(e.numpy()) <= 20 * 3


def test_micro_lenet_and_bike_loss():
    m = MicroLeNet()
    assert m(torch.randn(2, 3, 16, 16)).shape == (2, 10)
    assert count_params({"kind": "micro_lenet"}, {"name": "cifar10", "pool": 2}) == 1570
    loss = loss_for({"name": "bike"})
    out = torch.tensor([[1.0], [2.0]])
    assert float(loss(out, torch.tensor([1.0, 4.0]))) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        build_net({"kind": "nope"}, (3,), 1, seed=0)


def test_summary_rules_on_goe_and_poisson():
    goe = [np.linalg.eigvalsh(rmt.sample_goe(200, seed=s)) for s in range(12)]
    s = analysis.summarise(goe, "GOE")
    goe_rule = CLAIMS["bask/fig04"][1].rule
    assert goe_rule.holds(analysis.rtilde_value(goe)) is True and analysis.wigner_like(s.ks, s.ks_control)
    # the paper's step-count unfolding puts spacings on a 1/m_pool lattice: worse KS with 8 pooled spectra
    assert s.extra["ks_step"] > s.ks.ks_wigner
    assert np.all(s.rank == 200) and s.ks_rank is not None
    poi = [rmt.sample_poisson_levels(200, seed=s) for s in range(12)]
    sp = analysis.summarise(poi, "Poisson")
    assert goe_rule.holds(analysis.rtilde_value(poi)) is False and analysis.wigner_like(sp.ks, sp.ks_control) is False
    # a rank-deficient "Hessian": round-off eigenvalues near zero are excluded by the rank-aware set
    rng = np.random.default_rng(0)
    deg = []
    for i in range(6):
        A = rng.standard_normal((150, 60))
        deg.append(np.linalg.eigvalsh(A @ A.T))
    sd = analysis.summarise(deg, "rank 60")
    assert np.all(sd.rank == 60)


def test_gp_panels_literal_and_corrected():
    gp = {"n": 60, "samples": 5, "kp": 1.0, "outlier_scale": 10.0}
    pn = {"kpp": 0.1, "degeneracy": 20, "seed": 3}
    c = panel_spectra(gp, pn)
    lit = panel_spectra(gp, pn, corrected=False)
    assert c.shape == (5, 80) and lit.shape == (5, 60)
    assert np.mean(np.abs(c) <= 1e-12) == pytest.approx(0.25)
    big = np.concatenate(rmt.gp_hessian_spectra(300, 0.0, 10.0, 5, seed=0))
    assert semicircle_ks(big) < 0.05


def test_declared_rules_decide_from_intervals():
    # GOE against Poisson: inconclusive while the interval straddles either reference
    rule = CLAIMS["bask/fig03"][1].rule
    assert rule.holds(Estimate(0.4994, 0.495, 0.504)) is True          # fig03's old band edge case
    assert rule.holds(Estimate(0.46, 0.38, 0.54)) is None
    assert rule.holds(Estimate(0.39, 0.37, 0.41)) is False
    # no discernible difference: the Bonferroni interval of the largest difference contains 0
    nd = CLAIMS["bask/figA11"][4].rule
    same = {k: Estimate(0.53, 0.52, 0.54) for k in "abcd"}
    assert nd.holds(largest_difference(same)) is True
    apart = dict(same, d=Estimate(0.40, 0.39, 0.41))
    assert nd.holds(largest_difference(apart)) is False
    # the GP spread: a permutation p below 0.05 holds, above it fails (both directions)
    spread = CLAIMS["bask/fig05"][0].rule
    assert spread.holds({"spread": 0.1, "p": 0.01}) is True and spread.holds({"spread": 0.01, "p": 0.4}) is False


def test_ks_spread_and_ladder_rungs():
    a = np.stack(rmt.gp_hessian_spectra(60, 0.0, 10.0, 20, seed=0))
    b = np.stack(rmt.gp_hessian_spectra(60, 1.0, 1e-4, 20, seed=1))
    v = ks_spread({"semicircle": a, "gaussian": b}, n_perm=200)
    assert v["p"] < 0.05 and v["spread"] == pytest.approx(abs(v["panels"]["semicircle"] - v["panels"]["gaussian"]))
    # panels of one GP setting (independent draws): no variation to find; the permutation test's
    # false-positive rate is its level (0.05: here 0 of 20 sets of panels), so the rule fails on them
    rule = CLAIMS["bask/fig05"][0].rule
    same = [ks_spread({f"seed {s}": np.stack(rmt.gp_hessian_spectra(40, 0.0, 10.0, 10, seed=s))
                       for s in (3 * i, 3 * i + 1, 3 * i + 2)}, n_perm=100, seed=i) for i in range(20)]
    assert sum(rule.holds(w) for w in same) <= 3
    with pytest.raises(ValueError, match="one dimension"):
        ks_spread({"a": a, "b": a[:, :50]})
    assert subset_settings(12, 3) == [4, 8, 12] and subset_settings(6, 3) == [3, 4, 6]
    lad = climb(CLAIMS["bask/fig04"][1].rule, "batch spectra", [4, 8, 12],
                [Estimate(0.5, 0.45, 0.55), Estimate(0.51, 0.48, 0.54), Estimate(0.52, 0.50, 0.54)], paper_setting=157)
    assert len(lad.rungs) == 4 and lad.rungs[-1].verdict == "not run: scale"


def test_bask_pages_declare_and_use_no_legacy_calls():
    nb = Path(__file__).resolve().parents[1] / "notebooks" / "bask"
    src = Path(__file__).resolve().parents[1] / "src" / "dlspectra" / "papers" / "bask"
    for f in sorted(nb.glob("*.py")):
        text = f.read_text()
        assert "page.declare(CLAIMS)" in text, f.name
        assert "claims.check(" not in text and "scale_trend" not in text, f.name
        assert f"bask/{f.name.split('_')[0]}" in CLAIMS, f.name
    for f in sorted(src.glob("*.py")):
        text = f.read_text()
        assert ".check(" not in text and "scale_trend" not in text, f.name
