"""Eigen-solvers and densities against dense eigh and closed forms."""

import math
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from cases import random_batches, rotated, tanh_mlp
from dlspectra.curvature import DenseOperator, HessianOperator, dense_hessian
from dlspectra.spectral import (
    DeflatedOperator,
    block_subspace_iteration,
    hutchinson_trace,
    kernel_sigma,
    lanczos_density,
    lanczos_log_density,
    lanczos_restarted,
    lanczos_top_k,
    power_iteration_top_k,
    slq_trace,
    subspace_iteration,
)


_rotated = rotated  # the shared dense reference matrix (tests/cases.py)


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
    pw = power_iteration_top_k(A, 5, tol=1e-9, residual_tol=1e-4, max_iter=500, progress=False)
    assert pw.converged and pw.info["max_relative_residual"] <= 1e-4
    np.testing.assert_allclose(pw.eigenvalues, lan.eigenvalues, rtol=1e-6)
    pyh = power_iteration_top_k(A, 3, progress=False)  # PyHessian defaults (tol 1e-3)
    np.testing.assert_allclose(pyh.eigenvalues, lan.eigenvalues[:3], rtol=1e-2)


def _small_model():
    return tanh_mlp([16, 40, 30, 5], seed=0), random_batches(40, 16, 5, 24, seed=0)


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


# -- regression tests: integer matrices, null spaces, residuals of the returned pairs ---------------


def test_integer_matrix_is_computed_in_floating_point():
    A = np.diag(np.arange(1, 101))  # int64: vectors cast to int would be all zeros
    lan = lanczos_top_k(A, 3, tol=1e-10, progress=False)
    assert lan.converged
    np.testing.assert_allclose(lan.eigenvalues, [100.0, 99.0, 98.0], rtol=1e-10)
    pw = power_iteration_top_k(A, 2, tol=1e-10, max_iter=2000, progress=False)
    np.testing.assert_allclose(pw.eigenvalues, [100.0, 99.0], rtol=1e-4)
    sub = subspace_iteration(torch.as_tensor(A), 2, num_iters=400, progress=False)
    np.testing.assert_allclose(sub.eigenvalues, [100.0, 99.0], rtol=1e-4)
    assert DenseOperator(A).dtype == torch.float64

    class IntOp:  # a user operator that computes in integers is refused, not silently truncated
        dim, device, dtype = 4, torch.device("cpu"), torch.int64

        def matvec(self, v):
            return v

    with pytest.raises(TypeError, match="floating-point"):
        lanczos_top_k(IntOp(), 1, progress=False)


def test_lanczos_low_rank_stops_after_breakdown():
    # rank-19 covariance: the Krylov space is invariant after 19 steps; every later step restarts
    # in the null space. check_every=10 puts no regular check between step 10 and the breakdown.
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((20, 300))
    Z -= Z.mean(0)
    C = Z.T @ Z / 20
    exact = np.linalg.eigvalsh(C)[::-1]
    res = lanczos_top_k(C, 5, tol=1e-12, check_every=10, progress=False)
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues, exact[:5], rtol=1e-10)
    assert res.info["num_steps"] <= 25, res.info  # was max_steps = 205
    assert res.info["miss_check"] <= 2  # the complement is a null space: the check stops at once


def test_power_iteration_residual_is_that_of_the_returned_pair():
    A = _rotated(np.linspace(1.0, 0.9, 200), seed=6)  # small gap: 5 iterations are far from enough
    pw = power_iteration_top_k(A, 2, max_iter=5, tol=1e-12, return_vectors=True, progress=False)
    assert not pw.converged
    Y = pw.eigenvectors
    true = torch.linalg.vector_norm(A @ Y - Y * torch.as_tensor(pw.eigenvalues), dim=0).numpy()
    np.testing.assert_allclose(pw.residuals, true, rtol=1e-10)


def test_subspace_iteration_converged_is_a_residual_test():
    A = _rotated(np.concatenate([[5.0, 4.0, 3.0], np.linspace(2.9, 0, 297)]), seed=7)
    few = subspace_iteration(A, 3, num_iters=2, progress=False)  # ratio 2.9/3: not converged
    assert not few.converged and few.info["max_relative_residual"] > 1e-3
    Y = few.eigenvectors
    true = torch.linalg.vector_norm(A @ Y - Y * torch.as_tensor(few.eigenvalues), dim=0).numpy()
    np.testing.assert_allclose(few.residuals, true, rtol=1e-8)
    B = _rotated(np.concatenate([[5.0, 4.0, 3.0], np.linspace(1.0, 0, 297)]), seed=7)
    many = subspace_iteration(B, 3, num_iters=60, progress=False)
    assert many.converged and many.residuals.max() <= 1e-6 * 5
    early = subspace_iteration(B, 3, num_iters=200, tol=1e-8, progress=False)
    assert early.converged and early.info["iterations"] < 200 and early.residuals.max() <= 1e-8 * 5.0 * 1.01
    np.testing.assert_allclose(early.eigenvalues, [5.0, 4.0, 3.0], rtol=1e-12)


# -- thick-restart Lanczos ----------------------------------------------------------------------------


def _true_residuals(A, res):
    Y = res.eigenvectors.to(torch.float64)
    return torch.linalg.vector_norm(A @ Y - Y * torch.as_tensor(res.eigenvalues), dim=0).numpy()


def test_restarted_lanczos_equals_unrestarted_and_dense(powerlaw_matrix):
    A, eigs = powerlaw_matrix
    full = lanczos_top_k(A, 20, tol=1e-10, seed=1, progress=False)
    for mb in (30, 40):
        rs = lanczos_restarted(A, 20, max_basis=mb, tol=1e-10, seed=1, return_vectors=True, progress=False)
        assert rs.converged and rs.info["restarts"] >= 1  # the bound was active
        assert rs.info["peak_basis"] <= mb < rs.num_matvecs
        np.testing.assert_allclose(rs.eigenvalues, eigs[:20], rtol=1e-9)
        np.testing.assert_allclose(rs.eigenvalues, full.eigenvalues, rtol=1e-9)
        true = _true_residuals(A, rs)
        assert np.all(true <= 1e-10 * eigs[0] * 1.01)  # the reported tolerance holds for the vectors
        # the Lanczos-relation residuals are those of the vectors, to rounding (~1e-11 ||A||)
        np.testing.assert_allclose(rs.residuals, true, rtol=0.1, atol=2e-11 * eigs[0])
        Y = rs.eigenvectors
        assert torch.allclose(Y.T @ Y, torch.eye(20, dtype=torch.float64), atol=1e-10)
    # deterministic given the seed
    via = lanczos_restarted(A, 20, max_basis=40, tol=1e-10, seed=1, progress=False)
    again = lanczos_restarted(A, 20, max_basis=40, tol=1e-10, seed=1, progress=False)
    np.testing.assert_array_equal(again.eigenvalues, via.eigenvalues)


@pytest.mark.parametrize("case", ["clustered", "low_rank", "smallest", "float32"])
def test_restarted_lanczos_hard_spectra(case):
    n = 600
    if case == "clustered":  # five eigenvalues within 4e-4, then a bulk
        eigs = np.concatenate([1 + 1e-4 * np.arange(5), np.linspace(0.9, 0, n - 5)])
    elif case == "low_rank":  # rank 19: invariant Krylov space, then the null space
        eigs = np.concatenate([np.linspace(3, 1, 19), np.zeros(n - 19)])
    elif case == "smallest":
        eigs = np.concatenate([[-5.0, -4.0, -3.0], np.linspace(0, 1, n - 3)])
    else:
        eigs = np.concatenate([np.linspace(10, 5, 10), np.linspace(1, 0, n - 10)])
    A = _rotated(eigs, seed=8)
    exact = np.sort(eigs)[::-1]
    if case == "smallest":
        rs = lanczos_restarted(A, 3, max_basis=12, which="SA", tol=1e-10, progress=False)
        np.testing.assert_allclose(rs.eigenvalues, [-3.0, -4.0, -5.0], rtol=1e-9)
        assert rs.info["peak_basis"] <= 12
        return
    if case == "float32":
        rs = lanczos_restarted(DenseOperator(A.float()), 5, max_basis=15, progress=False)
        assert rs.converged and rs.info["tol"] >= 5e-6
        np.testing.assert_allclose(rs.eigenvalues, exact[:5], rtol=1e-5)
        return
    k = 5
    rs = lanczos_restarted(A, k, max_basis=3 * k, tol=1e-10, return_vectors=True, progress=False)
    assert rs.converged and rs.info["peak_basis"] <= 3 * k
    np.testing.assert_allclose(rs.eigenvalues, exact[:k], rtol=1e-9, atol=1e-12)
    assert np.all(_true_residuals(A, rs) <= 1e-10 * exact[0] * 1.01)
    if case == "low_rank":  # past the rank: the null space is found too, and the run stops
        past = lanczos_restarted(A, 21, max_basis=40, tol=1e-10, progress=False)
        assert past.converged and past.num_matvecs <= 30
        np.testing.assert_allclose(past.eigenvalues[:19], exact[:19], rtol=1e-9)
        assert np.abs(past.eigenvalues[19:]).max() < 1e-9


def test_restarted_lanczos_on_model_hessian():
    model, batches = tanh_mlp([8, 20, 12, 4], seed=1), random_batches(30, 8, 4, 18, seed=1)
    loss_fn = nn.CrossEntropyLoss()
    H = dense_hessian(model, loss_fn, batches, chunk_size=512)
    exact = torch.linalg.eigvalsh(H).numpy()[::-1]
    op = HessianOperator(model, loss_fn, batches, method="double_backward")
    k = 8
    rs = lanczos_restarted(op, k, max_basis=3 * k, tol=1e-9, progress=False)
    full = lanczos_top_k(op, k, tol=1e-9, progress=False)
    assert rs.converged and full.converged and rs.info["peak_basis"] <= 3 * k
    np.testing.assert_allclose(rs.eigenvalues, exact[:k], rtol=1e-8, atol=1e-10 * exact[0])
    np.testing.assert_allclose(rs.eigenvalues, full.eigenvalues, rtol=1e-8, atol=1e-10 * exact[0])


def test_restarted_lanczos_errors_and_budget():
    A = _rotated(np.linspace(1, 0, 300), seed=9)
    with pytest.raises(ValueError, match="max_basis"):
        lanczos_restarted(A, 5, max_basis=5, progress=False)
    with pytest.raises(ValueError, match="keep"):
        lanczos_restarted(A, 5, max_basis=12, keep=12, progress=False)
    with pytest.warns(UserWarning, match="not converged"):
        short = lanczos_restarted(A, 5, max_basis=10, max_matvecs=30, tol=1e-12, progress=False)
    assert not short.converged and short.num_matvecs == 30


# -- block subspace iteration (the top-C block) ---------------------------------------------------


def test_block_subspace_iteration_top_c_outliers():
    # C = 10 outliers well above a bulk, as G's class means (Papyan)
    rng = np.random.default_rng(10)
    eigs = np.concatenate([np.sort(rng.uniform(4, 10, 10))[::-1], np.linspace(1.0, 0, 590)])
    A = _rotated(eigs, seed=10)
    exact = np.sort(eigs)[::-1]
    res = block_subspace_iteration(A, 10, tol=1e-10, progress=False)
    assert res.converged and res.info["locked"] == 10
    np.testing.assert_allclose(res.eigenvalues, exact[:10], rtol=1e-12)
    Y = res.eigenvectors
    true = torch.linalg.vector_norm(A @ Y - Y * torch.as_tensor(res.eigenvalues), dim=0).numpy()
    assert np.all(true <= 1e-10 * exact[0] * 1.01)
    np.testing.assert_allclose(res.residuals, true, rtol=1e-6, atol=1e-13)
    assert torch.allclose(Y.T @ Y, torch.eye(10, dtype=torch.float64), atol=1e-12)
    # guard vectors: fewer iterations than the guard-less block (rate 1/4 vs 1/4.x at the 10th)
    bare = block_subspace_iteration(A, 10, block_size=10, tol=1e-10, progress=False)
    assert bare.converged and res.info["iterations"] <= bare.info["iterations"]
    # not converged: said so, with the residuals of the returned pairs
    with pytest.warns(UserWarning, match="not converged"):
        few = block_subspace_iteration(A, 10, max_iters=2, tol=1e-10, progress=False)
    assert not few.converged and few.num_matvecs <= 2 * 15 + 32  # 32: the probe
    Yf = few.eigenvectors
    truef = torch.linalg.vector_norm(A @ Yf - Yf * torch.as_tensor(few.eigenvalues), dim=0).numpy()
    np.testing.assert_allclose(few.residuals, truef, rtol=1e-6, atol=1e-13)
    # agrees with Lanczos
    lan = lanczos_top_k(A, 10, tol=1e-10, progress=False)
    np.testing.assert_allclose(res.eigenvalues, lan.eigenvalues, rtol=1e-10)


def test_block_subspace_iteration_indefinite_needs_shift():
    eigs = np.concatenate([[3.0, 2.5, 2.0], np.linspace(1.0, -1.0, 294), [-6.0, -7.0, -8.0]])
    A = _rotated(eigs, seed=11)
    lm = block_subspace_iteration(A, 3, which="LM", tol=1e-9, progress=False)  # largest |lambda|
    assert lm.converged
    np.testing.assert_allclose(lm.eigenvalues, [-6.0, -7.0, -8.0], rtol=1e-9)
    la = block_subspace_iteration(A, 3, which="LA", shift=-8.5, tol=1e-9, max_iters=2000, progress=False)
    assert la.converged
    np.testing.assert_allclose(la.eigenvalues, [3.0, 2.5, 2.0], rtol=1e-9)
    with pytest.raises(ValueError, match="block_size"):
        block_subspace_iteration(A, 3, block_size=2, progress=False)


class _StorageCounter:
    """Wraps an operator; at every 8th product counts the float64 vectors of length ``dim`` held
    by live tensors created since the wrapper (distinct storages, via the garbage collector),
    independently of the solver."""

    def __init__(self, op):
        self.op, self.dim, self.device, self.dtype = op, op.dim, op.device, op.dtype
        import gc

        # storages alive before the solve (other tests' fixtures, the matrix) are not counted; they
        # are held here so that their addresses cannot be reused by the solver's allocations
        with warnings.catch_warnings():  # isinstance on every object touches deprecated torch names
            warnings.simplefilter("ignore")
            self._held = [o.untyped_storage() for o in gc.get_objects() if isinstance(o, torch.Tensor)]
        self._held.append(op.matrix.untyped_storage())
        self.skip = {st.data_ptr() for st in self._held}
        self.peak = 0
        self.calls = 0

    def matvec(self, v):
        import gc

        self.calls += 1
        if self.calls % 8:  # scanning the heap is slow: every 8th product
            return self.op.matvec(v)
        storages = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tensors = [o for o in gc.get_objects() if isinstance(o, torch.Tensor)]
        for obj in tensors:
            if obj.dtype == torch.float64 and obj.numel() >= self.dim:
                s = obj.untyped_storage()
                if s.data_ptr() not in self.skip:
                    storages[s.data_ptr()] = s.nbytes()
        self.peak = max(self.peak, sum(storages.values()) // (8 * self.dim))
        return self.op.matvec(v)


def test_restarted_lanczos_basis_bound_counted_independently():
    A = _rotated(np.linspace(1, 0, 400), seed=12)
    full = _StorageCounter(DenseOperator(A))
    with pytest.warns(UserWarning, match="not converged"):
        ref = lanczos_top_k(full, 10, tol=1e-8, num_steps=80, progress=False)
    assert full.peak >= 72  # the counter sees the unrestarted basis (80 rows, last count at 72)
    bounded = _StorageCounter(DenseOperator(A))
    rs = lanczos_restarted(bounded, 10, max_basis=30, tol=1e-8, max_matvecs=2000, progress=False)
    assert rs.converged and rs.num_matvecs > 100
    assert bounded.peak <= 30 + 3, bounded.peak  # the basis plus a few working vectors
    np.testing.assert_allclose(rs.eigenvalues, np.linspace(1, 0, 400)[:10], rtol=1e-9)


def test_reorthogonalise_second_pass_only_on_cancellation():
    """DGKS: one Gram-Schmidt pass for a vector far from the span, two for one nearly inside it;
    either way the result is orthogonal to working precision (checked against a dense QR basis)."""
    from dlspectra.spectral.lanczos import _reorthogonalise

    g = torch.Generator().manual_seed(3)
    basis = torch.linalg.qr(torch.randn(500, 40, generator=g, dtype=torch.float64))[0].T  # (40, 500) orthonormal rows
    far = torch.randn(500, generator=g, dtype=torch.float64)
    near = basis.T @ torch.randn(40, generator=g, dtype=torch.float64) + 1e-9 * far  # almost in the span
    w_far, second_far = _reorthogonalise(far, basis)
    w_near, second_near = _reorthogonalise(near, basis)
    assert (second_far, second_near) == (0, 1)
    for w in (w_far, w_near):
        assert float((basis @ w).abs().max() / torch.linalg.vector_norm(w)) < 1e-13


def test_lanczos_reports_second_passes(powerlaw_matrix):
    """The count of second passes is recorded and bounded by the steps; the eigenvalues stay dense ones."""
    A, eigs = powerlaw_matrix
    res = lanczos_top_k(DenseOperator(A), 10, tol=1e-10, progress=False)
    assert 0 <= res.info["second_passes"] <= res.num_matvecs
    np.testing.assert_allclose(res.eigenvalues, np.sort(eigs)[::-1][:10], rtol=1e-8)
