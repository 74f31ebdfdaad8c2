"""Scale trends of the Xie deep-learning pages (dlspectra.papers.xie.trends): the direction rule, that
only converged K enter, the outlier and rank-dominance statistics, and the page's trend table."""

import numpy as np
import pytest

from dlspectra.book.results import TREND_MOVES, ClaimRecorder, scale_trend
from dlspectra.papers.xie.pipeline import Run, fit_spectrum
from dlspectra.papers.xie.regimes import count_outliers
from dlspectra.papers.xie.trends import (NO_TREND, common_trend_ks, converged_settings, no_trend, outliers_at,
                                         rank_dominance, statistic_trend, trend_direction, trends_sentence,
                                         trends_table)
from dlspectra.spectra import Spectrum


def _run(lam, label="r", residuals=None, k=None, tol=1e-5):
    lam = np.sort(np.asarray(lam, dtype=float))[::-1]
    res = np.zeros_like(lam) if residuals is None else np.asarray(residuals, dtype=float)
    s = Spectrum(lam, res, 2 * lam.size, residuals is None, 1.0)
    return Run(label, None, s, fit_spectrum(s, k or lam.size), tol)


def test_trend_direction_both_ways_and_ties():
    assert trend_direction([0.1, 0.2, 0.3], increases_toward_paper=True) == "toward the paper"
    assert trend_direction([0.1, 0.2, 0.3], increases_toward_paper=False) == "away from the paper"
    assert trend_direction([3, 2, 1], increases_toward_paper=False) == "toward the paper"
    assert trend_direction([3, 2, 1], increases_toward_paper=True) == "away from the paper"
    assert trend_direction([0, 0], increases_toward_paper=True) == "no clear trend"  # a tie is no trend
    assert trend_direction([1, 3, 2], increases_toward_paper=True) == "no clear trend"
    assert trend_direction([1.0], increases_toward_paper=True) == "no clear trend"
    assert trend_direction([1.0, float("nan")], increases_toward_paper=True) == "no clear trend"


def test_statistic_trend_reads_the_statistic_at_each_converged_k():
    lam = 1.0 / np.arange(1, 201) ** 1.2
    runs = [_run(lam, "a", k=200), _run(2 * lam, "b", k=200)]
    assert common_trend_ks(runs) == [50, 100, 200]
    seen = []

    def stat(k):
        seen.append(k)
        return -k  # falls with K

    tr = statistic_trend(runs, stat, holds=False, increases_toward_paper=False, name="−K")
    assert seen == [50, 100, 200] and tr["settings"] == [50, 100, 200] and tr["values"] == [-50, -100, -200]
    assert tr["moves"] == "toward the paper" and tr["moves"] in TREND_MOVES and tr["statistic"] == "−K"
    # the same numbers judged for a claim whose paper direction is up
    assert statistic_trend(runs, stat, holds=False, increases_toward_paper=True, name="−K")["moves"] == "away from the paper"
    # a claim that holds on converged spectra needs no trend
    assert statistic_trend(runs, stat, holds=True, increases_toward_paper=True, name="x") is None


def test_statistic_trend_skips_k_whose_top_k_did_not_converge():
    lam = 1.0 / np.arange(1, 201) ** 1.2
    res = np.zeros(200)
    res[120:] = 1e-2  # ranks 121.. unconverged (relative residual 1e-2 >> tol)
    good, bad = _run(lam, "good", k=200), _run(lam, "bad", residuals=res, k=100)
    assert converged_settings([50, 100, 200], [good, bad]) == [50, 100]
    seen = []
    tr = statistic_trend([good, bad], lambda k: seen.append(k) or k, holds=False, increases_toward_paper=True,
                         name="K", ks=[50, 100, 200])
    assert seen == [50, 100] and tr["settings"] == [50, 100]
    # no converged setting at all: no trend, and the statistic is never evaluated on unconverged values
    res_all = np.full(200, 1e-2)
    worst = _run(lam, "worst", residuals=res_all, k=100)
    assert converged_settings([50, 100], [worst]) == []
    assert statistic_trend([worst], lambda k: pytest.fail("evaluated"), holds=None, increases_toward_paper=True,
                           name="K", ks=[50, 100]) is None
    # an unconverged claim that "holds" still gets a trend (it is inconclusive, not reproduced)
    fitted_unconverged = _run(lam, "fit on unconverged ranks", residuals=res, k=200)
    assert not fitted_unconverged.converged
    tr = statistic_trend([good, fitted_unconverged], lambda k: 1.0, holds=True, increases_toward_paper=True,
                         name="c", ks=[50, 100, 200])
    assert tr["settings"] == [50, 100] and tr["moves"] == "no clear trend"


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


def test_trends_table_shows_every_failing_claim_with_its_trend_or_reason():
    rec = ClaimRecorder("xie/figxx", "ci")
    rec.check("ok", "holds", rule="r", holds=True, converged=True)
    rec.check("fails", "fails", rule="r", holds=False, converged=True,
              trend=scale_trend("K (top eigenvalues tested)", [25, 50], [0.5, 0.7], moves="toward the paper",
                                statistic="a margin"))
    rec.check("open", "cannot be decided", rule="r", holds=None, converged=True,
              note="single run; " + no_trend("the statistic needs two runs"))
    text = trends_table(rec.claims).text
    assert "| fails |" in text and "25: 0.5; 50: 0.7" in text and "toward the paper" in text
    assert "| open |" in text and "the statistic needs two runs" in text and NO_TREND not in text
    assert "| ok |" not in text
    sentence = trends_sentence(rec.claims)
    assert sentence.startswith("2 claims of this page are not reproduced or inconclusive")
    assert "1 moves toward the paper" in sentence and "1 has no trend" in sentence
    with pytest.raises(ValueError):
        no_trend("  ")


def test_trends_table_when_everything_holds():
    rec = ClaimRecorder("xie/figxx", "ci")
    rec.check("ok", "holds", rule="r", holds=True, converged=True)
    assert "no scale trend needed" in trends_table(rec.claims).text
    assert "none needs a scale trend" in trends_sentence(rec.claims)
