"""The eigengap claims (Xie Eqs. 9-10; dlspectra.papers.xie.eigengaps) decided by their rules with a
ladder over the Hessian samples, and the protein set's nested seeded subsets (its ladder rungs)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from dlspectra.book.results import ClaimRecorder
from dlspectra.fits import power_law_fit
from dlspectra.papers.xie import eigengaps as eg
from dlspectra.papers.xie import protein as xp
from dlspectra.papers.xie.pipeline import Run
from dlspectra.spectra import Spectrum


def spectrum(lam: np.ndarray, *, residuals: np.ndarray | None = None, converged: bool = True) -> Spectrum:
    lam = np.sort(np.asarray(lam, dtype=float))[::-1]
    res = np.zeros_like(lam) if residuals is None else residuals
    return Spectrum(lam, res, num_matvecs=0, converged=converged, seconds=0.0)


def pareto_spectrum(k: int, seed: int = 0) -> Spectrum:
    rng = np.random.default_rng(seed)
    return spectrum(rng.pareto(1.0, size=k) + 1.0)


def _study(s: Spectrum, dataset: str = "mnist", hessian_n: int | None = 512) -> eg.GapStudy:
    fit = power_law_fit(s.eigenvalues)
    run = Run(f"{dataset}, SGD", trained=None, spectrum=s, fit=fit, tol=1e-6)
    return eg.GapStudy(dataset, run, eg.gap_fit(s.eigenvalues), eg.gap_fit(s.eigenvalues), s.eigenvalues.size,
                       hessian_n)


def _recorder(dataset: str = "mnist") -> ClaimRecorder:
    from dlspectra.papers.xie.claims.eigengaps import gap_specs

    rec = ClaimRecorder("xie/test", "ci")
    rec.declare(gap_specs(dataset))
    return rec


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gap_claims_follow_their_rules_and_climb_the_hessian_samples(seed):
    s = pareto_spectrum(100, seed=seed)
    study = _study(s)
    low = _study(pareto_spectrum(100, seed=seed + 10), hessian_n=128)
    rec = _recorder()
    eg.gap_claims(rec, study, rungs=[low, study])
    by = {c.claim_id: c for c in rec.claims}
    holds = {"gaps-accepted": study.gaps.fit.ratio < 1,
             "gap-slope-plus-one": 0.5 <= study.slope_difference <= 1.5,
             "gaps-steeper": study.gaps.fit.s_mle > study.eig_fit.s_mle}
    for cid, h in holds.items():
        c = by[f"mnist-{cid}"]
        assert c.declared and c.quote and c.where
        assert c.verdict == ("reproduced" if h else "not reproduced")
        assert (c.ladder is None) == bool(h)
        if c.ladder is not None:
            lad = c.ladder
            assert lad["axis"] == "Hessian samples"
            assert [r["setting"] for r in lad["rungs"]] == [128, 512, eg.PAPER_HESSIAN_N]
            assert lad["rungs"][-1]["verdict"] == "not run: scale" and lad["rungs"][-1]["paper"]
            assert lad["rungs"][1]["value"] == pytest.approx(eg.GAP_STATISTICS[cid](study))
            assert lad["rungs"][0]["value"] == pytest.approx(eg.GAP_STATISTICS[cid](low))
    rec.save(root=Path(tempfile.mkdtemp()))  # every failing claim carries its ladder


def test_gap_rungs_are_computed_only_when_a_claim_needs_them():
    lam = 1.0 / np.arange(1, 1002)  # Zipf: the gaps follow k^-2, every gap claim holds
    study = _study(spectrum(lam))
    called = []
    rec = _recorder()
    eg.gap_claims(rec, study, rungs=lambda: called.append(1) or [])
    assert {c.verdict for c in rec.claims} == {"reproduced"} and not called


def test_gap_claims_unconverged_stay_inconclusive_with_a_ladder():
    lam = np.sort(np.random.default_rng(5).pareto(1.0, 100) + 1.0)[::-1]
    res = np.zeros(100)
    res[70:] = 1e3
    study = _study(spectrum(lam, residuals=res, converged=False))
    low = _study(pareto_spectrum(100, seed=4), hessian_n=128)
    rec = _recorder()
    eg.gap_claims(rec, study, rungs=[low, study])
    for c in rec.claims:
        assert c.verdict == "inconclusive"
        assert [r["verdict"] for r in c.ladder["rungs"]][1] == "inconclusive"   # the unconverged rung
        assert c.ladder["rungs"][1]["note"] == "unconverged"


def test_sample_rungs():
    assert eg.sample_rungs({"hessian": {"hessian_n": 512}}) == [128, 512]
    assert eg.sample_rungs({"hessian": {"hessian_n": 512}, "ladder_fractions": (0.25, 0.5)}) == [128, 256, 512]
    assert eg.sample_rungs({"hessian": {"hessian_n": None}}) == []


# ----------------------------------------------------------------------------- protein set ladder rungs


def test_nested_subsets_are_nested_seeded_and_complete():
    ids = [f"c{i}" for i in range(101)]
    a = xp.nested_subsets(ids, seed=0)
    assert [len(x) for x in a] == [25, 50, 101]   # round(0.25 * 101), round(0.5 * 101), all
    assert set(a[0]) <= set(a[1]) <= set(a[2]) == set(ids)
    assert all(x == sorted(x, key=ids.index) for x in a)      # kept in the set's order
    assert xp.nested_subsets(ids, seed=0) == a                 # seeded
    assert xp.nested_subsets(ids, seed=1)[0] != a[0]
    for bad in [(0.5, 0.25), (0.0, 1.0), (0.5, 1.5), ()]:
        with pytest.raises(ValueError):
            xp.nested_subsets(ids, bad)
