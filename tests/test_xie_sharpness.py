"""Fast checks of dlspectra.papers.xie.sharpness (no training, no Hessian)."""

import numpy as np
import pytest

from dlspectra.spectra import Spectrum
from dlspectra.papers.xie.sharpness import gap_fit, resolved_count, spearman


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
