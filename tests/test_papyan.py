"""dlspectra.papers.papyan: reference numbers, presets, reading rules, and the runner's file names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dlspectra.book.cli import NOTEBOOK_RE
from dlspectra.book.scales import FIGURE_IDS, preset
from dlspectra.papers.papyan.pipeline import gap_count, knockout_summary, log_shift
from dlspectra.papers.papyan.references import REFS, ref

PAPER = Path(__file__).resolve().parents[1] / ".." / "shared" / "papers" / "papyan_class_structure.txt"


def test_notebook_names_accept_thm_and_decomp():
    for name, fig in (("thm81_logistic_closed_form.py", "thm81"), ("decomp_identities.py", "decomp"),
                      ("fig05_g_knockouts.py", "fig05"), ("tab01_summary.py", "tab01"), ("figA10_x.py", "figA10")):
        m = NOTEBOOK_RE.match(name)
        assert m and m.group("fig") == fig, name
    for bad in ("decompx_a.py", "thm_a.py", "notes.py", "fig01.py"):
        assert NOTEBOOK_RE.match(bad) is None, bad


def test_every_papyan_id_has_presets():
    for fid in (f for f in FIGURE_IDS if f.startswith("papyan/")):
        for scale in ("ci", "paper"):
            assert preset(scale, fid)["figure_id"] == fid


@pytest.mark.skipif(not PAPER.exists(), reason=f"paper text not found at {PAPER}")
def test_reference_quotes_occur_in_the_paper():
    text = PAPER.read_text()
    missing = [k for k, r in REFS.items() if r.quote not in text]
    assert not missing, missing


def test_ref_lookup():
    assert ref("fig16_n_per_class").value == 1351
    with pytest.raises(KeyError, match="known"):
        ref("nope")


def test_gap_count_and_shifts():
    ev = np.concatenate([[100.0], np.full(9, 10.0) * np.linspace(1, 0.9, 9), np.linspace(0.1, 0.01, 50)])
    assert gap_count(ev, 20) == 10
    assert gap_count(ev, 1) == 1
    after = ev.copy()
    after[:10] = 1e-3
    s = knockout_summary(ev, np.sort(after)[::-1], 10, 40)
    assert s["top"] > 1 and s["rest"] >= 0
    assert np.allclose(log_shift(ev, ev, 20), 0)


# ----------------------------------------------------------------------------- claims as data (issue 18)

from dlspectra.papers.papyan import claims as pclaims  # noqa: E402
from dlspectra.papers.papyan import spectra as psp  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks" / "papyan"


def _mixture(x, centres, weights, sigma):
    c, w = np.asarray(centres, float), np.asarray(weights, float)
    return (w[None] * np.exp(-0.5 * ((x[:, None] - c[None]) / sigma) ** 2)).sum(1) / (sigma * np.sqrt(2 * np.pi))


def test_every_papyan_page_declares_its_claims_and_uses_no_old_api():
    pages = sorted(f"papyan/{p.name.split('_')[0]}" for p in NOTEBOOKS.glob("*.py"))
    assert pages == sorted(pclaims.CLAIMS), "a page without a CLAIMS entry (or an entry without a page)"
    for nb in NOTEBOOKS.glob("*.py"):
        src = nb.read_text()
        assert "page.declare(CLAIMS)" in src, nb.name
        assert "claims.check(" not in src and "scale_trend" not in src, f"{nb.name} uses the old claims API"


def test_negative_excess_cannot_be_passed_by_the_kernel_alone():
    x = np.linspace(-1, 1, 1024)
    sigma = 0.02
    spike = _mixture(x, [0.0, 0.3, 0.5], [0.97, 0.02, 0.01], sigma)  # every node >= 0
    assert psp.negative_excess(x, spike, sigma) <= 1.0 + 1e-6
    neg = _mixture(x, [0.0, -0.2, 0.5], [0.97, 0.02, 0.01], sigma)  # a node well below 0
    assert psp.negative_excess(x, neg, sigma) > 5
    # the old rule (mass below -1 sigma >= 1 %) passes on the spike alone
    assert psp.negative_mass(x, spike, sigma) > 0.1


def test_bulk_rms_ignores_null_eigenvalues_and_the_kernel():
    x = np.linspace(-2, 2, 4096)
    sigma = 0.01
    centres, weights = [0.0, 0.5, -0.8], [0.9, 0.06, 0.04]
    d = _mixture(x, centres, weights, sigma)
    want = np.sqrt(0.06 * 0.25 + 0.04 * 0.64)
    assert psp.bulk_rms(x, d, sigma) == pytest.approx(want, rel=1e-3)
    d2 = _mixture(x, centres, [0.99, 0.06 * 0.1, 0.04 * 0.1], sigma)  # more null mass, the bulk's Σλ² scaled
    assert psp.bulk_rms(x, d2, sigma) == pytest.approx(want * np.sqrt(0.1), rel=1e-2)


def test_weighted_peaks_need_an_eigenvalues_weight():
    x = np.linspace(0, 10, 2048)
    dim = 1000
    d = _mixture(x, [1.0, 5.0, 8.0], [0.999, 1.0 / dim, 1e-9], 0.05)
    assert psp.peaks_near(x, d, [5.0, 8.0]) == 2  # any local maximum
    assert psp.weighted_peaks_near(x, d, [5.0, 8.0], dim=dim) == 1  # the 1e-9 bump holds no eigenvalue
    assert psp.min_peak_mass(dim) == pytest.approx(pclaims.CHI2_1_Q05 / dim)


def test_tail_fits_tell_a_power_law_from_an_exponential():
    x = np.linspace(-10, 10, 2001)
    sigma = 0.05
    ax = np.maximum(np.abs(x), 0.05)
    pl = psp.tail_fits(x, ax ** -2.7, sigma, q=0.99)
    ex = psp.tail_fits(x, np.exp(-ax), sigma, q=0.99)
    for side in ("positive", "negative"):
        assert pl[side]["slope"] == pytest.approx(-2.7, abs=0.05)
        assert pl[side]["R2"] > pl[side]["R2_exp"]
        assert ex[side]["R2_exp"] > ex[side]["R2"]
    rule = {s.claim_id: s.rule for s in pclaims.fig16_specs()}["power-law"]
    value = lambda f: {"dR2": min(f[k]["R2"] - f[k]["R2_exp"] for k in ("positive", "negative")),  # noqa: E731
                       "R2": min(f[k]["R2"] for k in ("positive", "negative"))}
    assert rule.holds(value(pl)) is True and rule.holds(value(ex)) is False


def test_log_window_mass_and_main_bulk():
    u = np.linspace(np.log(1e-5) - 1, 3, 2048)
    d = _mixture(u, [np.log(1e-5), -2.0, 1.0], [0.9, 0.09, 0.01], 0.1)
    assert psp.log_window_mass(u, d, np.exp([0.5, 1.5])) == pytest.approx(0.01 * 0.987, rel=0.05)
    mb = psp.main_bulk(u, d)
    assert mb["mode"] == pytest.approx(-2.0, abs=0.01) and mb["lo"] < -2.0 < mb["hi"]


def test_depth_trend_rule():
    rule = pclaims._trend_rule("x", quote="q", where="w")
    assert rule.holds([1.0, 2.0, 1.5, 3.0]) is True       # one decrease allowed
    assert rule.holds([1.0, 0.5, 2.0, 1.5, 3.0]) is False  # two decreases
    assert rule.holds([2.0, 3.0, 1.0]) is False           # last below first
    assert rule.margin([1.0, 2.0, 4.0]) == pytest.approx(np.log(4.0))


def test_error_group_counts_what_the_cross_knockout_removes():
    from dlspectra.papers.papyan.layer_pages import d_group_by_layer

    C = pclaims.C
    top = np.sort(np.concatenate([np.full(40, 10.0), np.full(60, 0.5), np.full(28, 0.1)]))[::-1]
    s = {"L": np.array(1), "Dko_1": top, "Dko2_1": np.sort(np.full(128, 0.6))[::-1]}
    assert d_group_by_layer(s) == [40]
    rule = {sp.claim_id: sp.rule for sp in pclaims.fig09_specs()}["cross-mnist"]
    assert rule.holds(40) is True and rule.holds(C - 1) is False


def test_dynamics_statistics_use_the_size_of_the_gap():
    from dlspectra.papers.papyan.dynamics import grid_statistics, truncated

    E, S = [1, 2, 3], [10, 20, 40]
    # the gap is negative (green below red) and grows in size with epochs, shrinks with N
    met = {(e, n): {"align": 0.1, "gr": -(e * 1.0) / (n / 10), "yr": 2.0 + 0.01 * e, "depth": 0.2}
           for e in E for n in S}
    st = grid_statistics(met, E, S)
    assert st["separate"] > 0 and st["merge"] > 0 and st["class-within-steady"] < 1
    rungs, vals = truncated(met, E, S, "separate")
    assert rungs == [2, 3] and all(v > 0 for v in vals)
    rungs, vals = truncated(met, E, S, "merge")
    assert rungs == [20, 40] and all(v > 0 for v in vals)
    # a signed gap that moves from -3.97 to -3.94 is no separation
    met2 = {(e, n): dict(met[(e, n)], gr=-3.97 + 0.015 * (e - 1)) for e in E for n in S}
    assert grid_statistics(met2, E, S)["separate"] < 0


def test_projected_cfac_has_the_same_nonzero_spectrum():
    import torch

    from dlspectra.curvature import CFACOperator
    from dlspectra.papers.papyan.layers import feature_basis

    g = torch.Generator().manual_seed(0)
    n, d_in, d_out, C = 4, 15, 4, 3  # C n = 12 < d_in: the features span a subspace
    h = torch.randn(C * n, d_in, dtype=torch.float64, generator=g)
    y = torch.arange(C).repeat_interleave(n)
    H_c = torch.stack([h[y == c].T @ h[y == c] / n for c in range(C)])
    A = torch.randn(C, d_out, d_out, dtype=torch.float64, generator=g)
    D_c = A @ A.transpose(1, 2)
    frac = torch.full((C,), 1.0 / C, dtype=torch.float64)
    U = feature_basis(h)
    assert U is not None and U.shape == (d_in, C * n)

    def dense(op):
        return np.sort(np.linalg.eigvalsh(op.matmat(torch.eye(op.dim, dtype=torch.float64)).numpy()))[::-1]

    full = dense(CFACOperator(D_c, H_c, frac))
    proj = dense(CFACOperator(D_c, torch.einsum("ia,cij,jb->cab", U, H_c, U), frac))
    k = len(proj)
    assert np.allclose(full[:k], proj, atol=1e-10) and np.allclose(full[k:], 0, atol=1e-10)


def test_decide_builds_a_ladder_only_when_the_claim_fails():
    from dlspectra.book.results import ClaimRecorder
    from dlspectra.book.rules import ClaimSpec, Rule
    from dlspectra.papers.papyan.ladders import decide, ladder_over

    rec = ClaimRecorder("papyan/fig99", "ci")
    rule = Rule.below("x", 1.0, quote="q", where="Sec. 1")
    rec.declare([ClaimSpec("a", "A", rule, ladder="width"), ClaimSpec("b", "B", rule, ladder="width")])
    calls = []

    def ladder():
        calls.append(1)
        return ladder_over(rec, "b", {"width": 64}, "width", [16, 32, 64], lambda q: 4.0 / q["width"] ** 0.5,
                           paper_setting="VGG11", paper_note="not run")

    decide(rec, "a", 0.5, ladder=ladder)
    assert not calls
    c = decide(rec, "b", 2.0, ladder=ladder)
    assert calls and c.verdict == "not reproduced" and c.ladder["moves"] == "toward the paper"
    assert [r["setting"] for r in c.ladder["rungs"]] == [16, 32, 64, "VGG11"]
