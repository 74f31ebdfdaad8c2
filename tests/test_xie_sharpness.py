"""Fast checks of dlspectra.papers.xie.sharpness and .eigengaps (no training, no Hessian)."""

import numpy as np
import pytest

from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, REPRODUCED, ClaimRecorder
from dlspectra.spectra import Spectrum
from dlspectra.papers.xie.eigengaps import GapStudy, gap_claims, gap_fit, gap_numbers, resolved_count
from dlspectra.papers.xie.pipeline import Run, fit_spectrum
from dlspectra.papers.xie.sharpness import spearman


def test_gap_fit_of_zipf_has_slope_plus_one():
    lam = 1.0 / np.arange(1, 1002)  # λ_k = 1/k, s = 1 -> δ_k ≈ k^-2 (Eq. 10)
    g = gap_fit(lam)
    assert g.gaps.size == 1000 and g.num_dropped == 0
    assert np.allclose(g.gaps[:3], [0.5, 1 / 6, 1 / 12])
    assert 1.8 < g.fit.s_mle < 2.2
    assert g.fit.accepted


def test_gap_fit_drops_non_positive_gaps():
    g = gap_fit(np.array([4.0, 2.0, 2.0, 1.0, 0.5, 0.25]))
    assert g.num_dropped == 1 and g.fit.k == 4


def test_resolved_count_stops_at_first_failure():
    spec = Spectrum(np.array([10.0, 5.0, 2.0, 1.0]), np.array([0.0, 1e-6, 1e-3, 0.0]), 10, False, 0.0)
    assert resolved_count(spec, 1e-5) == 2
    spec_ok = Spectrum(np.array([10.0, 5.0]), np.array([0.0, 0.0]), 10, True, 0.0)
    assert resolved_count(spec_ok, 1e-5) == 2


def test_spearman():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        spearman([1, 2], [1, 2])


def _study(residuals) -> GapStudy:
    lam = 1.0 / np.arange(1, 101)  # s = 1: the gaps' slope is about 2, one more (Eq. 10)
    spec = Spectrum(lam, np.asarray(residuals, dtype=float), 300, False, 1.0)
    run = Run("mnist, SGD", None, spec, fit_spectrum(spec, 100), 1e-5)
    n_res = resolved_count(spec, 1e-5)
    return GapStudy("mnist", run, gap_fit(lam), gap_fit(lam[:n_res]), n_res)


def test_gap_claims_decided_on_converged_spectra_only():
    from dlspectra.papers.xie.claims.eigengaps import gap_specs

    rec = ClaimRecorder("xie/test", "ci")
    rec.declare(gap_specs("mnist"))
    s = _study(np.zeros(100))
    assert s.converged and str(s.ref["gap"].s) == "1.817"
    gap_claims(rec, s, rungs=[s, s])
    v = {c.claim_id: c.verdict for c in rec.claims}
    assert v["mnist-gaps-steeper"] == REPRODUCED and v["mnist-gap-slope-plus-one"] == REPRODUCED
    assert v["mnist-gaps-accepted"] in (REPRODUCED, NOT_REPRODUCED)
    res = np.zeros(100)
    res[-5:] = 1e-2  # the tail did not converge: no gap claim is decided
    rec = ClaimRecorder("xie/test", "ci")
    rec.declare(gap_specs("mnist"))
    gap_claims(rec, _study(res), rungs=[s, s])
    assert {c.verdict for c in rec.claims} == {INCONCLUSIVE}
    text = gap_numbers([s])
    assert "1.817" in text and "d_ks textbook" in text and "resolved only" in text
