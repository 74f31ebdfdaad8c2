"""Xie's power-law estimators against closed forms, the catalog's sanity values and the powerlaw package."""

import numpy as np
import pytest

from dlspectra.errors import SpectrumError
from dlspectra.fits import (eigengaps, exact_critical_value, kolmogorov_coefficient, ks_critical_value, ks_distance,
                            ks_distance_paper, power_law_fit, powerlaw_package_fit, simulated_critical_value)


def test_exact_zipf_matches_catalog_sanity_values():
    f = power_law_fit(1.0 / np.arange(1, 1001))
    assert f.beta == pytest.approx(2.0044, abs=1e-4)
    assert f.sigma == pytest.approx(0.0318, abs=1e-4)
    assert f.s_mle == pytest.approx(0.9956, abs=1e-4)
    assert f.s_ols == pytest.approx(1.0, abs=1e-9)
    assert f.d_ks == pytest.approx(0.0016, abs=1e-4)
    assert f.d_c == pytest.approx(0.0430, abs=1e-4)
    assert f.accepted
    f50 = power_law_fit(1.0 / np.arange(1, 51))
    assert (f50.beta, f50.s_mle, f50.d_ks) == pytest.approx((2.061, 0.9425, 0.0218), abs=1e-3)


@pytest.mark.parametrize("s", [0.8, 1.0, 1.3])
def test_rank_exponent_recovered(s):
    lam = 3.0 * np.arange(1, 1001, dtype=float) ** (-s)
    f = power_law_fit(np.random.default_rng(0).permutation(lam))  # input order must not matter
    assert f.s_ols == pytest.approx(s, abs=0.05)
    assert f.s_mle == pytest.approx(s, abs=0.05)
    assert f.accepted


def test_pareto_sample_accepted_and_exponential_rejected():
    x = (1 - np.random.default_rng(0).random(1000)) ** -1.0
    f = power_law_fit(x)
    assert f.beta == pytest.approx(1.967, abs=1e-3) and f.d_ks == pytest.approx(0.028, abs=1e-3) and f.accepted
    g = power_law_fit(np.exp(-np.arange(1, 1001) / 200))
    assert g.beta == pytest.approx(1.400, abs=1e-3)
    assert g.d_ks > g.d_c and not g.accepted


def test_outliers_plus_flat_bulk_rejected():
    lam = np.concatenate([np.linspace(50, 10, 10), np.linspace(1.0, 0.5, 990)])
    assert not power_law_fit(lam).accepted


def test_agrees_with_powerlaw_package():
    x = (1 - np.random.default_rng(3).random(400)) ** (-1 / 1.2)
    ours, ref = power_law_fit(x), powerlaw_package_fit(x)
    assert ours.beta == pytest.approx(ref["beta"], rel=1e-6)
    assert ours.sigma == pytest.approx(ref["sigma"], rel=1e-6)
    assert ours.d_ks == pytest.approx(ref["d_ks"], abs=1e-6)


def _pareto(rng, k, beta):
    return (1 - rng.random(k)) ** (-1 / (beta - 1))


def test_paper_ks_agrees_with_powerlaw_package_over_many_samples():
    """d_ks is the package's D (the paper's tool) on 120 seeded samples: K 20..400, β 1.3..3.5, some with ties."""
    rng = np.random.default_rng(2024)
    worst = 0.0
    for i in range(120):
        k = int(rng.choice([20, 50, 100, 400]))
        x = _pareto(rng, k, rng.uniform(1.3, 3.5)) * rng.uniform(0.01, 100)
        if i % 4 == 0:
            x[: k // 4] = x[k // 4: 2 * (k // 4)]  # ties
            x[-1] = x.min()  # a tie at the cutoff
        ours, ref = power_law_fit(x), powerlaw_package_fit(x)
        assert ours.beta == pytest.approx(ref["beta"], rel=1e-9)
        worst = max(worst, abs(ours.d_ks - ref["d_ks"]))
    assert worst < 1e-9


def test_textbook_ks_is_scipys_and_at_most_one_over_k_larger():
    from scipy.stats import kstest

    rng = np.random.default_rng(7)
    k, n, exact = 50, 200, 0
    for _ in range(n):
        x = _pareto(rng, k, 2.0)
        f = power_law_fit(x)
        cdf = lambda t, f=f: 1.0 - (t / f.lambda_cutoff) ** (1.0 - f.beta)  # noqa: E731
        assert f.d_ks_textbook == pytest.approx(kstest(x, cdf).statistic, abs=1e-12)
        diff = f.d_ks_textbook - f.d_ks
        assert -1e-12 <= diff <= 1 / k + 1e-12
        exact += abs(diff - 1 / k) < 1e-12
        assert f.accepted == (f.d_ks < f.d_c) and f.accepted_textbook == (f.d_ks_textbook < f.d_c)
    assert 0.3 < exact / n < 0.7  # "larger by exactly 1/K in about half of random Pareto samples"


def test_ks_conventions_on_a_hand_example():
    # x = 1, 2, 4 with β = 2, cutoff 1: F* = 0, 1/2, 3/4; below = 0, 1/3, 2/3; at-or-below = 1/3, 2/3, 1
    x = np.array([4.0, 1.0, 2.0])
    assert ks_distance_paper(x, 2.0, 1.0) == pytest.approx(1 / 6)
    assert ks_distance(x, 2.0, 1.0) == pytest.approx(1 / 3)
    assert ks_distance_paper(np.array([1.0, 2.0, 2.0]), 2.0, 1.0) == pytest.approx(1 / 2 - 1 / 3)  # one point per tie


def test_simulated_critical_value_conventions():
    paper = simulated_critical_value(50, num_samples=400, seed=1)
    textbook = simulated_critical_value(50, num_samples=400, seed=1, convention="textbook")
    assert paper < textbook <= paper + 1 / 50 + 1e-12
    with pytest.raises(ValueError, match="convention"):
        simulated_critical_value(50, convention="scipy")


def test_bad_spectra_raise_clear_errors():
    with pytest.raises(SpectrumError, match="NaN"):
        power_law_fit(np.array([3.0, np.nan, 1.0]))
    with pytest.raises(SpectrumError, match="top 10"):
        power_law_fit(np.ones(5), k=10)
    with pytest.raises(SpectrumError, match="non-positive"):
        power_law_fit(np.array([2.0, 1.0, -1.0]))


def test_eigengaps_and_critical_values():
    np.testing.assert_allclose(eigengaps(np.array([1.0, 4.0, 2.0, 0.5]), 3), [2.0, 1.0, 0.5])
    assert ks_critical_value(50) == pytest.approx(0.192, abs=5e-4)
    assert kolmogorov_coefficient(0.05) == pytest.approx(1.358, abs=1e-3)
    assert exact_critical_value(1000, 0.05) == pytest.approx(1.358 / np.sqrt(1000), rel=0.02)
    # fitting the exponent on the same sample makes Massey's value lenient (Lilliefors effect)
    assert simulated_critical_value(100, num_samples=500) < ks_critical_value(100)


def test_xmin_search_finds_the_tail_of_a_power_law_above_a_flat_body():
    from dlspectra.fits import powerlaw_xmin_search

    rng = np.random.default_rng(1)
    tail = rng.pareto(1.5, 3000) + 1.0          # density ∝ x^-2.5 above x = 1
    body = rng.uniform(0.05, 1.0, 3000)         # not a power law below it
    r = powerlaw_xmin_search(np.concatenate([tail, body]))
    assert 0.8 < r["xmin"] < 1.6
    assert abs(r["beta"] - 2.5) < 0.2
    assert abs(r["k_tail"] - np.count_nonzero(tail >= r["xmin"])) <= 0.1 * r["k_tail"] + 50
    fixed = powerlaw_xmin_search(tail, k=500)   # searching only the top 500: xmin at or above λ_500
    assert fixed["xmin"] >= np.sort(tail)[-500]
