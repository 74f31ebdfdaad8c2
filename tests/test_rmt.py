"""RMT statistics against closed forms (GOE, Poisson)."""

import math

import numpy as np
import pytest
from scipy import integrate

from dlspectra import rmt


@pytest.fixture(scope="module")
def goe_eigs():
    return np.linalg.eigvalsh(rmt.sample_goe(1000, seed=0))


def test_constants_and_densities_normalised():
    assert abs(rmt.POISSON_MEAN_R_TILDE - 0.3863) < 1e-4
    assert abs(rmt.GOE_SURMISE_MEAN_R_TILDE - 0.5359) < 1e-4
    assert rmt.GOE_MEAN_R_TILDE == 0.5307
    for f in (rmt.wigner_surmise, rmt.poisson_spacing_density, rmt.goe_ratio_density, rmt.poisson_ratio_density):
        assert abs(integrate.quad(f, 0, np.inf)[0] - 1) < 1e-8
    assert abs(integrate.quad(lambda s: s * rmt.wigner_surmise(s), 0, np.inf)[0] - 1) < 1e-8
    assert abs(integrate.quad(rmt.goe_ratio_density, 0, 10)[0] - 0.9848) < 1e-3
    # <r~> of the surmise: E[min(r, 1/r)] = 4 - 2 sqrt(3)
    m = integrate.quad(lambda r: min(r, 1 / r) * rmt.goe_ratio_density(r), 0, np.inf, limit=200)[0]
    assert abs(m - rmt.GOE_SURMISE_MEAN_R_TILDE) < 1e-6
    assert abs(integrate.quad(lambda x: rmt.semicircle_density(x, 2.0), -2, 2)[0] - 1) < 1e-8


def test_goe_mean_r_tilde_and_ratio_histogram(goe_eigs):
    assert abs(rmt.mean_r_tilde(goe_eigs) - rmt.GOE_MEAN_R_TILDE) < 0.01
    r = rmt.spacing_ratios(goe_eigs)
    assert len(r) == 998 and np.all(r >= 0)
    rt = rmt.min_max_ratios(goe_eigs)
    np.testing.assert_allclose(rt, np.minimum(r, 1 / r))
    # histogram of r on [0, 4] against the surmise
    hist, edges = np.histogram(r, bins=16, range=(0, 4))
    centres = (edges[1:] + edges[:-1]) / 2
    expected = rmt.goe_ratio_density(centres) * len(r) * (edges[1] - edges[0])
    assert np.abs(hist - expected).sum() / len(r) < 0.12


def test_goe_unfolded_spacings_follow_wigner(goe_eigs):
    n = 1000
    x = rmt.unfold_with_counting_function(goe_eigs, lambda lam: rmt.goe_counting_function(lam, n))
    x = x[100:-100]  # the bulk, away from the soft edges
    s = rmt.nearest_neighbour_spacings(x)
    assert abs(s.mean() - 1) < 0.05
    assert abs(s.var() - (4 / np.pi - 1)) < 0.05
    assert np.mean(s < 0.1) < 0.03  # level repulsion (Poisson: 0.095)
    hist, edges = np.histogram(s, bins=12, range=(0, 3), density=True)
    centres = (edges[1:] + edges[:-1]) / 2
    assert np.abs(hist - rmt.wigner_surmise(centres)).max() < 0.15
    # ensemble unfolding of 30 GOE(200) spectra
    spectra = [np.linalg.eigvalsh(rmt.sample_goe(200, seed=k)) for k in range(30)]
    unf = rmt.unfold_ensemble(spectra, holdout_fraction=1 / 3, seed=0)
    assert len(unf) == 10
    s2 = rmt.nearest_neighbour_spacings([u[20:-20] for u in unf])
    assert abs(s2.mean() - 1) < 0.05
    hist, _ = np.histogram(s2, bins=12, range=(0, 3), density=True)
    assert np.abs(hist - rmt.wigner_surmise(centres)).max() < 0.2
    assert rmt.unfold_ensemble(spectra, seed=None)[0] is not None  # the authors' "first third"


def test_poisson_levels():
    levels = rmt.sample_poisson_levels(20000, seed=1)
    assert abs(rmt.mean_r_tilde(levels) - rmt.POISSON_MEAN_R_TILDE) < 0.01
    s = rmt.nearest_neighbour_spacings(levels)
    assert abs(s.mean() - 1) < 0.03
    assert abs(np.mean(s < 0.1) - (1 - math.exp(-0.1))) < 0.01


def test_gp_hessian_model_eq14():
    n, kp, kpp = 60, 1.5, 0.3
    mats = np.stack([rmt.gp_hessian_model(n, kp, kpp, seed=k) for k in range(400)])
    off = mats[:, 0, 1]
    assert abs(off.var() - kpp) < 0.1 * kpp
    d = mats[:, np.arange(n), np.arange(n)]
    assert abs(d[:, 0].var() - (kp**2 + 2 * kpp)) < 0.15 * (kp**2 + 2 * kpp)
    assert abs(np.cov(d[:, 0], d[:, 1])[0, 1] - kp**2) < 0.2 * kp**2
    assert np.allclose(mats[0], mats[0].T)
    spectra = rmt.gp_hessian_spectra(100, 1.0, 1.0, num_samples=20, seed=0)
    assert all(np.all(np.diff(e) <= 0) for e in spectra)  # descending, as every spectrum of the library
    up = rmt.gp_hessian_spectra(100, 1.0, 1.0, num_samples=20, seed=0, order="ascending")
    assert all(np.array_equal(a, b[::-1]) for a, b in zip(up, spectra))
    assert abs(rmt.mean_r_tilde(spectra) - rmt.GOE_MEAN_R_TILDE) < 0.02
    deg = rmt.gp_hessian_model(50, 1.0, 1e-3, degeneracy=10, outliers=3, seed=0)
    assert deg.shape == (60, 60) and np.all(deg[50:] == 0)
    ev = rmt.gp_hessian_spectra(50, 1.0, 1e-3, num_samples=2, degeneracy=10, seed=0)[0]
    assert np.sum(np.abs(ev) < 1e-12) == 10


def test_errors():
    with pytest.raises(ValueError, match="NaN"):
        rmt.spacing_ratios(np.array([0.0, np.nan, 1.0, 2.0]))
    with pytest.raises(ValueError):
        rmt.unfold_ensemble([np.arange(5.0)])
    assert len(rmt.spacing_ratios(np.array([0.0, 1e-30, 1.0, 2.0, 4.0]), cutoff=1e-20)) == 1


# ----------------------------------------------------------------------------- <r~> and its interval
def test_r_tilde_bootstrap_goe_and_poisson():
    goe = [np.linalg.eigvalsh(rmt.sample_goe(300, seed=s)) for s in range(20)]
    est = rmt.r_tilde_bootstrap(goe, seed=0)
    assert est.resampled == "blocks of 7 ratios" and est.n_spectra == 20
    assert est.lo < est.mean < est.hi
    assert abs(est.mean - rmt.GOE_MEAN_R_TILDE) < 0.01 and est.closer_to == "GOE"
    assert est.hi - est.lo < 0.02
    poi = rmt.r_tilde_bootstrap(rmt.sample_poisson_levels(20000, seed=3), seed=0)
    assert abs(poi.mean - rmt.POISSON_MEAN_R_TILDE) < 0.01 and poi.closer_to == "Poisson"
    assert poi.covers(rmt.POISSON_MEAN_R_TILDE) and not poi.covers(rmt.GOE_MEAN_R_TILDE)
    # seeded: same interval twice
    assert rmt.r_tilde_bootstrap(goe, seed=1) == rmt.r_tilde_bootstrap(goe, seed=1)


def _goe_levels(n: int, rng) -> np.ndarray:
    """Eigenvalues of an n x n GOE matrix from its tridiagonal model (Dumitriu & Edelman 2002), O(n^2)."""
    from scipy.linalg import eigvalsh_tridiagonal

    return eigvalsh_tridiagonal(rng.standard_normal(n), np.sqrt(rng.chisquare(np.arange(n - 1, 0, -1)) / 2))


def test_r_tilde_bootstrap_covers_the_true_mean_95_percent_of_the_time():
    """Coverage of the nominal 95 % interval, measured: one GOE spectrum of 400 levels (300 draws)
    and two pooled spectra of 200 (200 draws), against the mean over independent draws. Resampling
    single ratios (one spectrum) or whole spectra (several) covered 90 % and 48 % here (neighbouring
    ratios share a spacing: lag-1 correlation 0.24; two spectra gave just the two means); blocks
    of ratios cover 95 % and 89 %."""
    rng = np.random.default_rng(0)
    truth = {n: np.mean([rmt.min_max_ratios(_goe_levels(n, rng)).mean() for _ in range(600)]) for n in (400, 200)}
    one = np.mean([rmt.r_tilde_bootstrap(_goe_levels(400, rng), seed=i).covers(truth[400]) for i in range(300)])
    two = np.mean([rmt.r_tilde_bootstrap([_goe_levels(200, rng), _goe_levels(200, rng)], seed=i).covers(truth[200])
                   for i in range(200)])
    assert 0.91 <= one <= 0.98, one
    assert 0.88 <= two <= 0.98, two


def test_ks_spacings_against_known_samples():
    rng = np.random.default_rng(0)
    # exact Wigner-surmise sample by inverse CDF: s = sqrt(-4 ln(1-u) / pi)
    s_w = np.sqrt(-4 * np.log1p(-rng.random(20000)) / np.pi)
    k = rmt.ks_spacings(s_w)
    assert k.ks_wigner < 0.015 and k.ks_poisson > 0.1 and k.closer_to == "Wigner"
    assert abs(k.var - (4 / np.pi - 1)) < 0.02
    e = rmt.ks_spacings(rng.exponential(size=20000))
    assert e.ks_poisson < 0.015 and e.ks_wigner > 0.1 and e.closer_to == "Poisson"
    # GOE ensemble-unfolded spacings are Wigner, Poisson levels are Poisson
    goe = [np.linalg.eigvalsh(rmt.sample_goe(200, seed=s)) for s in range(30)]
    s = rmt.nearest_neighbour_spacings(rmt.unfold_ensemble(goe, 1 / 3, seed=0))
    assert rmt.ks_spacings(s).closer_to == "Wigner"
    si = rmt.nearest_neighbour_spacings(rmt.unfold_ensemble(goe, 1 / 3, seed=0, interpolate=True))
    assert abs(si.mean() - 1) < 0.01
    assert rmt.ks_spacings(si).ks_wigner < rmt.ks_spacings(s).ks_wigner  # no 1/m_pool lattice
    with pytest.raises(ValueError):
        rmt.ks_spacings(np.array([1.0, np.nan, 2.0]))


def test_numerical_rank_on_known_rank_matrix():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((300, 37))
    H = A @ A.T  # PSD, rank 37
    e = np.linalg.eigvalsh(H)
    assert rmt.numerical_rank(e) == 37
    assert rmt.nonzero_eigenvalues(e).size == 37
    # indefinite, rank 2*20
    B = rng.standard_normal((200, 20))
    C = rng.standard_normal((200, 20))
    M = B @ C.T + C @ B.T
    assert rmt.numerical_rank(np.linalg.eigvalsh(M)) == 40
    assert rmt.numerical_rank(np.zeros(5)) == 0
    # float32 round-off is larger: the dtype rule must see it
    e32 = np.linalg.eigvalsh(H.astype(np.float32)).astype(np.float64)
    assert rmt.numerical_rank(e32, dtype=np.float32) == 37


def test_cutoff_sweep_fractions():
    spectra = [np.array([0.0, 0.0, 1e-30, 1e-12, 1.0, 2.0, 3.5]), np.array([0.0, 1e-15, 1.0, 2.5, 3.0, 4.2])]
    sw = rmt.cutoff_sweep(spectra, [0.0, 1e-20, 1e-10])
    assert np.allclose(sw["frac_mean"], [(2 / 7 + 1 / 6) / 2, (3 / 7 + 1 / 6) / 2, (4 / 7 + 2 / 6) / 2])
    assert np.allclose(sw["frac_min"], [1 / 6, 1 / 6, 2 / 6])
    assert np.all(np.isfinite(sw["mean_r_tilde"]))
    rel = rmt.cutoff_sweep(spectra, [1e-11], relative=True)
    assert rel["frac_max"][0] == pytest.approx(4 / 7)
