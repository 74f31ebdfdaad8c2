"""The ladders of the Xie CIFAR, ResNet, FCN and eigengap claims (issue 18, item 3), on synthetic runs:
rungs computed only when a claim needs them, the page's own run reused, the paper's rung on top,
K re-reads of one spectrum, Spearman intervals, and a static check that every decision states its
convergence."""

from __future__ import annotations

import ast
import math
import tempfile
import types
from pathlib import Path

import numpy as np
import pytest

from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, NOT_RUN_SCALE, REPRODUCED, ClaimRecorder
from dlspectra.book.rules import ClaimSpec, Estimate, Rule
from dlspectra.papers.xie import cifar, ladders
from dlspectra.papers.xie.claims.cifar import s_band_rule
from dlspectra.papers.xie.pipeline import Run, fit_spectrum
from dlspectra.spectra import Spectrum

ROOT = Path(__file__).resolve().parents[1]
Q = dict(quote="words", where="Sec. 1")


def run_of(lam, residuals=None, *, converged=True, label="r", k=None) -> Run:
    lam = np.sort(np.asarray(lam, dtype=float))[::-1]
    res = np.zeros_like(lam) if residuals is None else np.asarray(residuals, dtype=float)
    spec = Spectrum(lam, res, 100, converged, 1.0)
    trained = types.SimpleNamespace(metrics={"test": {"accuracy": 0.5}, "train_seconds": 2.0}, model=None, config=None)
    return Run(label, trained, spec, fit_spectrum(spec, k or lam.size), 1e-6)


def zipf(k=50, s=1.0):
    return 1.0 / np.arange(1, k + 1) ** s


def flat(k=50, seed=0):
    return np.random.default_rng(seed).uniform(1.0, 1.2, k)


def test_lower_rungs():
    assert ladders.lower_rungs(256) == [64, 256]
    assert ladders.lower_rungs(6, (0.5,)) == [3, 6]
    assert ladders.lower_rungs(8, (0.25, 0.5)) == [2, 4, 8]
    assert ladders.lower_rungs(2, (0.1,)) == [1, 2]


def test_ladders_compute_a_rung_once_and_reuse_the_seed():
    calls = []

    def make(setting):
        calls.append(setting)
        return run_of(zipf() if setting > 10 else flat())

    page_run = run_of(zipf(), label="page")
    lad = ladders.Ladders("Hessian samples", [8, 32], 50000, "not run: cost", {"net": make}, unit="images")
    lad.seed("net", 32, page_run)
    rule = Rule.below("d_ks / d_c", 1.0, **Q)
    got = lad.climb(rule, ["net"], lambda g: g("net").fit.ratio)
    assert calls == [8]                          # the scale's own rung is the page's run
    assert lad.run("net", 32) is page_run
    lad.climb(rule, ["net"], lambda g: g("net").fit.ratio)
    assert calls == [8]                          # a second claim on the same network: no new run
    assert [r.setting for r in got.rungs] == [8, 32, 50000]
    assert got.rungs[-1].paper and got.rungs[-1].verdict == "not run: scale" and got.rungs[-1].note == "not run: cost"
    assert got.rungs[1].value == pytest.approx(page_run.fit.ratio)
    with pytest.raises(KeyError):
        lad.run("other", 8)


def test_a_rung_on_an_unconverged_spectrum_is_inconclusive():
    res = np.zeros(50)
    res[-1] = 1.0
    lad = ladders.Ladders("epochs", [3, 6], 50, "", {"net": lambda s: run_of(zipf(), res, converged=False)})
    lad.seed("net", 6, run_of(zipf()))
    got = lad.climb(Rule.below("x", 1.0, **Q), ["net"], lambda g: g("net").fit.ratio)
    assert [r.verdict for r in got.rungs] == [INCONCLUSIVE, REPRODUCED, "not run: scale"]


def test_the_statistic_sees_the_rung_setting():
    seen = []
    lad = ladders.Ladders("Hessian samples", [8, 32], 50000, "", {"net": lambda s: run_of(zipf())})
    lad.climb(Rule.above("x", 0.0, **Q), ["net"], lambda g: seen.append(g.setting) or 1.0)
    assert seen == [8, 32]


def test_decide_builds_the_ladder_only_when_the_claim_needs_it():
    rec = ClaimRecorder("xie/test", "ci")
    rec.declare([ClaimSpec("a", "A", Rule.below("x", 1.0, **Q), ladder="epochs"),
                 ClaimSpec("b", "B", Rule.below("x", 1.0, **Q), ladder="epochs"),
                 ClaimSpec("c", "C", Rule.below("x", 1.0, **Q), ladder="epochs")])
    lad = ladders.Ladders("epochs", [3, 6], 50, "", {"net": lambda s: run_of(zipf())})
    lad.seed("net", 6, run_of(zipf()))
    built = []

    def make():
        built.append(1)
        return lad.climb(rec.spec("b").rule, ["net"], lambda g: 2.0)

    assert ladders.decide(rec, "a", 0.5, converged=True, ladder=make).verdict == REPRODUCED and not built
    assert ladders.decide(rec, "b", 2.0, converged=True, ladder=make).verdict == NOT_REPRODUCED and built == [1]
    c = ladders.decide(rec, "c", 0.5, converged=False, ladder=make)   # holds, but unconverged
    assert c.verdict == INCONCLUSIVE and c.ladder is not None and built == [1, 1]
    rec.save(root=Path(tempfile.mkdtemp()))


def test_not_run_ids_keeps_the_declared_rule():
    rec = ClaimRecorder("xie/test", "ci")
    rec.declare([ClaimSpec("a", "A", Rule.below("x", 1.0, quote="the words", where="Table 9"), ladder="epochs")])
    (c,) = ladders.not_run_ids(rec, ["a"], "scale", note="one optimizer only")
    assert c.verdict == NOT_RUN_SCALE and c.declared and c.quote == "the words" and c.note == "one optimizer only"
    rec.save(root=Path(tempfile.mkdtemp()))


def test_k_reread_reaches_the_papers_k_when_the_spectrum_holds_it():
    rnd = run_of(flat(1000, seed=1), k=200)
    rule = Rule.above("d_ks / d_c", 1.0, **Q)
    lad = ladders.k_reread(rule, [rnd], [50, 100, 200, 1000], lambda fit_at: fit_at(rnd).ratio, paper_k=1000,
                           why_k="a random network has no training")
    assert lad.axis == "K re-read" and lad.why_k
    assert [r.setting for r in lad.rungs] == [50, 100, 200, 1000]
    assert lad.rungs[-1].paper and lad.rungs[-1].value == pytest.approx(fit_spectrum(rnd.spectrum, 1000).ratio)
    small = run_of(flat(50, seed=2))
    lad = ladders.k_reread(rule, [small], [12, 25, 50], lambda fit_at: fit_at(small).ratio, paper_k=1000, why_k="w")
    assert [r.setting for r in lad.rungs] == [12, 25, 50, 1000] and lad.rungs[-1].verdict == "not run: scale"
    with pytest.raises(ValueError, match="why_k"):
        ladders.k_reread(rule, [small], [12, 25, 50], lambda fit_at: 1.0, paper_k=1000, why_k="")


def test_spearman_estimate_interval():
    x = np.arange(11.0)
    e = cifar.spearman_estimate(x, x)
    assert e.value == pytest.approx(1.0) and e.lo > 0.9
    e = cifar.spearman_estimate(x, -x)
    assert e.value == pytest.approx(-1.0) and e.hi < -0.9
    e = cifar.spearman_estimate(x, np.random.default_rng(0).permutation(x))
    assert e.lo < e.value < e.hi and e.lo < 0 < e.hi
    assert math.isnan(cifar.spearman_estimate([1, 2, 3], [1, 2, 3]).value)
    # Fieller's variance: the half width in z at n = 11 is 1.96 * sqrt(1.06 / 8)
    y = np.array([0, 2, 1, 3, 5, 4, 7, 6, 9, 10, 8], dtype=float)
    e = cifar.spearman_estimate(x, y)
    half = 1.959964 * np.sqrt(1.06 / 8)
    assert e.hi == pytest.approx(np.tanh(np.arctanh(e.value) + half), rel=1e-5)
    assert e.lo == pytest.approx(np.tanh(np.arctanh(e.value) - half), rel=1e-5)


def test_interval_rule_of_a_correlation():
    from dlspectra.papers.xie.claims.cifar import rho_rule

    r = rho_rule("ρ", "words", "Fig. 17 caption")
    assert r.holds(Estimate(0.8, 0.4, 0.95)) is True
    assert r.holds(Estimate(0.3, -0.4, 0.8)) is None
    assert r.holds(Estimate(-0.8, -0.95, -0.4)) is False


def test_s_band_rule_reads_the_range():
    r = s_band_rule("x")
    assert r.holds((0.9, 1.3)) is True
    assert r.holds((0.6, 1.3)) is False and r.holds((0.9, 3.1)) is False
    assert r.holds((float("nan"), float("nan"))) is None
    assert r.margin((0.9, 1.3)) == pytest.approx(0.2) and r.margin((0.9, 3.1)) == pytest.approx(-1.6)


def test_every_decision_states_its_convergence():
    # decide(...) calls in the modules that decide the declared claims pass converged= (issue 13, item 1)
    for name in ("cifar", "fcn", "eigengaps"):
        tree = ast.parse((ROOT / "src" / "dlspectra" / "papers" / "xie" / f"{name}.py").read_text())
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                 and getattr(n.func, "id", getattr(n.func, "attr", None)) == "decide"]
        assert calls, name
        missing = [c.lineno for c in calls if "converged" not in {k.arg for k in c.keywords}]
        assert not missing, f"{name}.py: decide without converged= at lines {missing}"


def test_no_page_of_this_group_uses_the_old_api():
    pages = ["fig02", "fig12", "tab02", "fig04", "fig13", "fig18", "tab08", "tab10", "fig14", "fig15", "fig17",
             "fig19", "tab07", "tab09"]
    for pg in pages:
        text = next((ROOT / "notebooks" / "xie").glob(f"{pg}_*.py")).read_text()
        assert "page.declare(CLAIMS)" in text, pg
        assert "claims.check(" not in text and "scale_trend" not in text and "claims.not_run(" not in text, pg
    for name in ("cifar", "fcn", "eigengaps", "ladders"):
        text = (ROOT / "src" / "dlspectra" / "papers" / "xie" / f"{name}.py").read_text()
        assert ".check(" not in text, name


def test_fcn_epoch_ladders_have_three_rungs_at_the_paper_scale_and_in_a_smoke_run():
    from types import SimpleNamespace

    from dlspectra.papers.xie import fcn

    seed = {"net": SimpleNamespace(trained=None)}
    def rungs(epochs):
        lad = fcn.epoch_ladders({"lenet": {"avila": {"epochs": epochs}}}, "avila", {"net": lambda e: None}, seed,
                                paper_epochs=50)
        return sorted(set(lad.settings) | {lad.paper_setting})
    assert rungs(8) == [4, 8, 50]          # ci: a half, its own, the paper's
    assert rungs(50) == [12, 25, 50]       # paper: its own rung is the paper's, two below it
    assert rungs(1) == [1, 2, 50]          # smoke: one epoch, one rung above it


def test_lenet_epoch_rungs_at_every_scale():
    """A third, two thirds and all of the scale's epochs; a one-epoch smoke run climbs to 2 (found by
    the smoke run of xie/fig01: a ladder of 1 epoch and the paper's 50 had 2 rungs, and climb refused it)."""
    from dlspectra.papers.xie.lenet_pages import epoch_rungs

    def p(e):
        return {"lenet": {"mnist": {"epochs": e, "train_n": None}}}

    assert epoch_rungs(p(6), "mnist") == [2, 4, 6]
    assert epoch_rungs(p(50), "mnist") == [17, 33, 50]
    assert epoch_rungs(p(1), "mnist") == [1, 2]
    assert epoch_rungs(p(2), "mnist") == [1, 2]
