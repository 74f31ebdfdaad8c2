"""Scale trends of the Xie pages (dlspectra.papers.xie.tables): K sub-fits of one spectrum, the
direction rule, and when a claim gets a trend."""

import numpy as np
import pytest

from dlspectra.book.results import TREND_MOVES
from dlspectra.fits import power_law_fit
from dlspectra.papers.xie.pipeline import Run, fit_spectrum
from dlspectra.papers.xie.tables import claim_trend, k_fits, k_trend, ordering_trend, trend_ks, trend_moves
from dlspectra.spectra import Spectrum


def _run(lam, label="r", residuals=None, k=None):
    lam = np.sort(np.asarray(lam, dtype=float))[::-1]
    res = np.zeros_like(lam) if residuals is None else np.asarray(residuals, dtype=float)
    s = Spectrum(lam, res, 2 * lam.size, residuals is None, 1.0)
    return Run(label, None, s, fit_spectrum(s, k or lam.size), 1e-5)


def test_trend_moves_follows_the_paper_direction():
    assert trend_moves([1.4, 1.1, 0.9], paper_accepts=True) == "toward the paper"
    assert trend_moves([1.4, 1.1, 0.9], paper_accepts=False) == "away from the paper"
    assert trend_moves([0.5, 0.8, 1.2], paper_accepts=False) == "toward the paper"
    assert trend_moves([0.5, 0.8, 0.7], paper_accepts=False) == "no clear trend"
    assert trend_moves([0.5], paper_accepts=False) == "no clear trend"


def test_k_fits_are_fits_of_the_top_k():
    rng = np.random.default_rng(0)
    lam = np.sort(rng.pareto(1.0, 400) + 1.0)[::-1]
    run = _run(lam)
    for k, f in zip([100, 200, 400], k_fits(run, [100, 200, 400])):
        ref = power_law_fit(lam, k)
        assert f.k == k and f.d_ks == pytest.approx(ref.d_ks) and f.beta == pytest.approx(ref.beta)
    with pytest.raises(ValueError, match="needs that many"):
        k_fits(run, [500])


def test_an_exponential_spectrum_moves_away_from_a_power_law_with_k():
    # λ_k = exp(-k/40): not a power law; the KS test rejects it ever more clearly as K grows
    lam = np.exp(-np.arange(1, 401) / 40.0)
    tr = k_trend(_run(lam, "exp"), [100, 200, 400], paper_accepts=False)
    assert tr["moves"] == "toward the paper" and tr["moves"] in TREND_MOVES
    assert tr["settings"] == [100, 200, 400] and tr["values"][-1] > 1


def test_claim_trend_only_where_a_claim_does_not_hold():
    lam = 1.0 / np.arange(1, 201) ** 1.0
    run = _run(lam)
    assert trend_ks(run) == [50, 100, 200]
    assert claim_trend(run, paper_accepts=True, holds=True) is None
    assert claim_trend(run, paper_accepts=True, holds=False)["settings"] == [50, 100, 200]
    assert claim_trend(run, paper_accepts=True, holds=None) is not None
    res = np.zeros(200)
    res[-1] = 1.0  # unconverged tail: a holding claim still gets its trend
    unconv = _run(lam, residuals=res)
    assert claim_trend(unconv, paper_accepts=True, holds=True) is not None


def test_ordering_trend():
    a = _run(np.exp(-np.arange(1, 201) / 30.0), "exp")
    b = _run(1.0 / np.arange(1, 201), "pow")
    assert ordering_trend(a, b, holds=True) is None
    tr = ordering_trend(a, b, holds=False)
    assert tr["settings"] == [50, 100, 200] and tr["moves"] in TREND_MOVES


def test_fits_trend_on_a_statistic_of_several_runs():
    from dlspectra.papers.xie.tables import fits_trend

    runs = {"a": _run(1.0 / np.arange(1, 201) ** 1.0, "a"), "b": _run(np.exp(-np.arange(1, 201) / 30.0), "b")}
    stat = lambda f: f["b"].d_ks - f["a"].d_ks  # noqa: E731
    assert fits_trend(runs, stat, holds=True, increases_toward_paper=True, name="x") is None
    tr = fits_trend(runs, stat, holds=False, increases_toward_paper=True, name="x")
    assert tr["settings"] == [50, 100, 200] and len(tr["values"]) == 3
    flipped = fits_trend(runs, stat, holds=False, increases_toward_paper=False, name="x")
    assert {tr["moves"], flipped["moves"]} <= set(TREND_MOVES)
    if tr["moves"] != "no clear trend":
        assert tr["moves"] != flipped["moves"]


def test_trend_reaches_the_whole_computed_top():
    lam = 1.0 / np.arange(1, 1001) ** 1.0
    run = _run(lam, k=200)  # a top-1000 spectrum tested at K = 200
    assert trend_ks(run) == [50, 100, 200, 1000]


def test_trend_stops_at_the_positive_part():
    lam = np.concatenate([1.0 / np.arange(1, 100) ** 1.0, [-1e-3]])  # 99 positive, one negative
    run = _run(lam)
    assert run.fit.k == 99 and trend_ks(run) == [24, 49, 99]


def test_trends_read_only_converged_settings():
    lam = 1.0 / np.arange(1, 201) ** 1.0
    res = np.zeros(200)
    res[150:] = 1.0  # the top 150 converged, the tail did not
    run = _run(lam, residuals=res, k=100)
    assert trend_ks(run) == [25, 50, 100, 200]
    tr = k_trend(run, [50, 100, 200], paper_accepts=True)
    assert tr["settings"] == [50, 100]  # K = 200 rests on unconverged Ritz values: left out
