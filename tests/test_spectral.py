"""Eigen-solvers and densities against dense eigh and closed forms."""

import math
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from dlspectra.curvature import DenseOperator, HessianOperator, dense_hessian
from dlspectra.spectral import (
    DeflatedOperator,
    hutchinson_trace,
    kernel_sigma,
    lanczos_density,
    lanczos_log_density,
    lanczos_top_k,
    power_iteration_top_k,
    slq_trace,
    subspace_iteration,
)


def _rotated(eigs, seed=0, reflections=4):
    """Q diag(eigs) Q^T with Q a product of random Householder reflections (O(n^2), dense result)."""
    rng = np.random.default_rng(seed)
    A = np.diag(np.asarray(eigs, dtype=float))
    for _ in range(reflections):
        u = rng.standard_normal(len(eigs))
        u /= np.linalg.norm(u)
        Au = A @ u
        A = A - 2 * np.outer(u, Au) - 2 * np.outer(Au, u) + 4 * (u @ Au) * np.outer(u, u)
    return torch.tensor((A + A.T) / 2)


@pytest.fixture(scope="module")
def powerlaw_matrix():
    n = 2000
    eigs = np.arange(1, n + 1, dtype=float) ** -1.0  # Xie-like power law, lambda_k = 1/k
    return _rotated(eigs), eigs


@pytest.fixture(scope="module")
def spiked_wishart():
    """Papyan Fig. 15a: Y = X + Z Z^T / 2000, X = diag(5, 4, 3, 0, ...), Z 2000x2000 N(0, 1)."""
    n = 2000
    g = torch.Generator().manual_seed(0)
    Z = torch.randn(n, n, generator=g, dtype=torch.float64)
    Y = Z @ Z.T / n
    Y[0, 0] += 5
    Y[1, 1] += 4
    Y[2, 2] += 3
    return (Y + Y.T) / 2


def test_lanczos_top50_known_spectrum(powerlaw_matrix):
    A, eigs = powerlaw_matrix
    res = lanczos_top_k(A, 50, tol=1e-10, seed=1, return_vectors=True, progress=False)
    assert res.converged and res.num_matvecs <= 300
    assert np.all(np.diff(res.eigenvalues) <= 0)
    np.testing.assert_allclose(res.eigenvalues, eigs[:50], rtol=1e-8, atol=0)
    Y = res.eigenvectors
    assert Y.shape == (2000, 50)
    R = A @ Y - Y * torch.as_tensor(res.eigenvalues)
    true_res = torch.linalg.vector_norm(R, dim=0).numpy()
    assert np.all(true_res <= 1e-9) and np.all(res.residuals <= 1e-9)
    assert torch.allclose(Y.T @ Y, torch.eye(50, dtype=torch.float64), atol=1e-10)
    # deterministic given the seed
    again = lanczos_top_k(A, 50, tol=1e-10, seed=1, progress=False)
    np.testing.assert_array_equal(again.eigenvalues, res.eigenvalues)


def test_lanczos_float32_operator_and_low_rank():
    # float32 products: converges with the float32 floor on the tolerance
    eigs = np.concatenate([np.linspace(10, 5, 10), np.zeros(290)])  # rank 10: invariant subspace
    A = _rotated(eigs, seed=2)
    res = lanczos_top_k(A, 12, seed=0, progress=False)  # needs a restart past the 10-dim Krylov space
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues[:10], eigs[:10], rtol=1e-9)
    assert np.abs(res.eigenvalues[10:]).max() < 1e-9
    res32 = lanczos_top_k(DenseOperator(A.float()), 5, seed=0, progress=False)
    assert res32.converged and res32.info["tol"] >= 5e-6
    np.testing.assert_allclose(res32.eigenvalues, eigs[:5], rtol=1e-5)
    B = _rotated(np.concatenate([[-5.0, -4.0, -3.0], np.linspace(0, 1, 297)]), seed=5)
    small = lanczos_top_k(B, 3, which="SA", tol=1e-10, progress=False)
    np.testing.assert_allclose(small.eigenvalues, [-3.0, -4.0, -5.0], rtol=1e-9)


def test_power_iteration_agrees_with_lanczos(powerlaw_matrix):
    A, eigs = powerlaw_matrix
    lan = lanczos_top_k(A, 5, tol=1e-10, progress=False)
    pw = power_iteration_top_k(A, 5, tol=1e-9, max_iter=500, progress=False)
    assert pw.converged
    np.testing.assert_allclose(pw.eigenvalues, lan.eigenvalues, rtol=1e-6)
    pyh = power_iteration_top_k(A, 3, progress=False)  # PyHessian defaults (tol 1e-3)
    np.testing.assert_allclose(pyh.eigenvalues, lan.eigenvalues[:3], rtol=1e-2)


def _small_model():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 40), nn.Tanh(), nn.Linear(40, 30), nn.Tanh(), nn.Linear(30, 5)).double().eval()
    g = torch.Generator().manual_seed(0)
    X = torch.randn(40, 16, generator=g, dtype=torch.float64)
    y = torch.randint(0, 5, (40,), generator=g)
    return model, [(X[:24], y[:24]), (X[24:], y[24:])]


def test_lanczos_on_model_hessian_equals_dense_eigvalsh():
    model, batches = _small_model()
    loss_fn = nn.CrossEntropyLoss()
    H = dense_hessian(model, loss_fn, batches, chunk_size=2065)
    assert H.shape == (2065, 2065)
    exact = torch.linalg.eigvalsh(H).numpy()[::-1]
    # on the model operator (HVPs); tol 1e-6 on residuals gives eigenvalue errors ~ tol^2 / gap
    op = HessianOperator(model, loss_fn, batches)
    res = lanczos_top_k(op, 3, tol=1e-6, progress=False)
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues, exact[:3], rtol=1e-8)
    # on the dense matrix: top-20 and bottom-5 (the Hessian is indefinite)
    top = lanczos_top_k(H, 20, tol=1e-9, num_steps=400, progress=False)
    assert top.converged
    np.testing.assert_allclose(top.eigenvalues, exact[:20], rtol=1e-8)
    bottom = lanczos_top_k(H, 5, which="SA", tol=1e-9, num_steps=400, progress=False)
    np.testing.assert_allclose(bottom.eigenvalues, exact[::-1][:5][::-1], rtol=1e-8, atol=1e-8 * exact[0])
    # power iteration (largest |lambda|) agrees where the top eigenvalues dominate in magnitude
    pw = power_iteration_top_k(H, 2, tol=1e-9, max_iter=1000, progress=False)
    assert exact[1] > abs(exact[-1])
    np.testing.assert_allclose(pw.eigenvalues, exact[:2], rtol=1e-6)


def test_papyan_fig15_spiked_wishart_density(spiked_wishart):
    Y = spiked_wishart
    top = lanczos_top_k(Y, 4, tol=1e-10, progress=False).eigenvalues
    # theory for additive spikes on MP(gamma=1): theta + theta/(theta-1) = 6.25, 5.33, 4.5; bulk edge 4
    np.testing.assert_allclose(top[:3], [6.25, 5.333, 4.5], rtol=0.03)
    M = 128
    grid, dens = lanczos_density(Y, num_steps=M, num_repeats=10, seed=0)
    assert grid.shape == dens.shape == (1024,)
    d = (grid[-1] - grid[0]) / 2
    sigma = kernel_sigma(M, 3.0) * d  # kernel width in eigenvalue units
    assert abs(kernel_sigma(128, 3.0) - 0.005312) < 1e-6 and abs(kernel_sigma(256, 3.0) - 0.002646) < 1e-6
    dx = grid[1] - grid[0]
    mass = lambda a, b: dens[(grid >= a) & (grid <= b)].sum() * dx  # noqa: E731
    assert abs(dens.sum() * dx - 1) < 0.02
    # three outliers: a local maximum within 2 sigma of each, separated from the bulk by a gap
    for lam in top[:3]:
        win = (grid > lam - 2 * sigma) & (grid < lam + 2 * sigma)
        assert win.any()
        peak = grid[win][np.argmax(dens[win])]
        assert abs(peak - lam) < 2 * sigma
        assert 0.2 / 2000 < mass(lam - 5 * sigma, lam + 5 * sigma) < 3 / 2000
    assert mass(top[3] + 5 * sigma, top[2] - 5 * sigma) < 1e-5
    # Marchenko-Pastur bulk: edges at 0 and top[3] (~ 4) within the kernel width; interior shape
    assert mass(grid[0], -5 * sigma) < 1e-4
    assert mass(top[3] - 0.1, top[3]) > 1e-3
    support = grid[(grid < top[2] - 5 * sigma) & (dens > 1e-2)]  # where the smoothed bulk lives
    assert abs(support.max() - top[3]) < 4 * sigma  # upper MP edge (exact: largest bulk eigenvalue)
    assert abs(support.min() - 0.0) < 4 * sigma  # lower MP edge 0 (gamma = 1)
    mp = lambda x: np.sqrt(np.clip((4 - x) * x, 0, None)) / (2 * np.pi * np.maximum(x, 1e-12))  # noqa: E731
    inner = (grid > 0.3) & (grid < 3.7)
    l1 = np.abs(dens[inner] - mp(grid[inner])).sum() * dx
    assert l1 < 0.1, l1


def test_deflation_and_log_density(spiked_wishart):
    Y = spiked_wishart
    sub = subspace_iteration(Y, 3, num_iters=128, progress=False)
    exact = lanczos_top_k(Y, 3, tol=1e-10, progress=False).eigenvalues
    np.testing.assert_allclose(sub.eigenvalues, exact, rtol=1e-6)
    defl = DeflatedOperator(Y, sub.eigenvectors)
    assert lanczos_top_k(defl, 1, progress=False).eigenvalues[0] < 4.1
    # log-density of a log-uniform spectrum over 4 decades: push-forward recovers its CDF
    eigs = np.logspace(-2, 2, 1500)
    A = _rotated(eigs, seed=3)
    u, p = lanczos_log_density(A, num_steps=200, num_repeats=3, epsilon=1e-8)
    du = u[1] - u[0]
    assert abs(p.sum() * du - 1) < 0.02
    cdf = np.cumsum(p) * du
    for q in (0.1, 0.25, 0.5, 0.75, 0.9):
        target = np.quantile(np.log(eigs), q)
        assert abs(np.interp(target, u, cdf) - q) < 0.07


def test_traces(powerlaw_matrix):
    A, eigs = powerlaw_matrix
    t, se = hutchinson_trace(A, 200, seed=0, return_std=True)
    assert abs(t - eigs.sum()) < 4 * se + 1e-9
    assert abs(slq_trace(A, 20, num_steps=20) - eigs.sum()) < 0.1 * eigs.sum()
    # Tr log via SLQ on a well-conditioned matrix
    B = _rotated(np.linspace(1, 3, 300), seed=4)
    est = slq_trace(B, 30, num_steps=25, fn=np.log)
    assert abs(est - np.log(np.linspace(1, 3, 300)).sum()) < 0.05 * np.log(np.linspace(1, 3, 300)).sum()


def test_nan_raises():
    A = torch.eye(5, dtype=torch.float64)

    class Bad:
        dim, device, dtype = 5, torch.device("cpu"), torch.float64

        def matvec(self, v):
            return v * float("nan")

    with pytest.raises(ValueError, match="NaN"):
        lanczos_top_k(Bad(), 2, progress=False)
    with pytest.raises(ValueError):
        lanczos_top_k(A, 6, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lanczos_top_k(A, 2, progress=False)
