"""Two statistics of the Xie LeNet claims read on spectra (dlspectra.papers.xie.regimes): the outliers
above the fitted rank line at K (Sec. 4, item 3; App. E) and the rank-by-rank dominance of two
spectra (Sec. 4, item 4)."""

import numpy as np
import pytest

from dlspectra.papers.xie.pipeline import Run, fit_spectrum
from dlspectra.papers.xie.regimes import count_outliers, outliers_at, rank_dominance
from dlspectra.spectra import Spectrum


def _run(lam, label="r", residuals=None, k=None, tol=1e-5):
    lam = np.sort(np.asarray(lam, dtype=float))[::-1]
    res = np.zeros_like(lam) if residuals is None else np.asarray(residuals, dtype=float)
    s = Spectrum(lam, res, 2 * lam.size, residuals is None, 1.0)
    return Run(label, None, s, fit_spectrum(s, k or lam.size), tol)


def test_outliers_at_matches_count_outliers_of_the_fit_at_k():
    rng = np.random.default_rng(1)
    lam = np.sort(rng.pareto(1.5, 120) + 1.0)[::-1]
    lam[:3] *= 40.0  # three clear outliers above the rank line
    run = _run(lam, k=120)
    for k in (30, 60, 120):
        assert outliers_at(run, k) == count_outliers(fit_spectrum(run.spectrum, k), lam)
    assert outliers_at(run, 120) >= 3
    with pytest.raises(ValueError, match="holds 120"):
        outliers_at(run, 121)


def test_rank_dominance_counts_ranks_rank_by_rank():
    base = 1.0 / np.arange(1, 11)
    upper = base.copy()
    upper[5:] *= 0.5  # above-or-equal at ranks 1..5 only
    a, b = _run(base, "lower"), _run(upper, "upper")
    assert rank_dominance(a, b, 5) == 1.0
    assert rank_dominance(a, b, 10) == pytest.approx(0.5)
    assert rank_dominance(b, a, 10) == 1.0
    with pytest.raises(ValueError):
        rank_dominance(a, b, 11)
