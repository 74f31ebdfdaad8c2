"""Honest flags, progress, Hutch++, per-layer curvature and the content-cached siblings.

Each solver defect that once reported success falsely has its failing case here, checked against
dense references (the coverage of the <r~> interval is measured in test_rmt.py)."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from cases import dense_reference, mlp, rotated, tabular
from dlspectra.curvature import GDecomposition, HessianOperator, orthonormal_basis
from dlspectra.errors import SolverWarning
from dlspectra.spectral import (
    block_subspace_iteration,
    hutchinson_trace,
    hutchpp_trace,
    lanczos_restarted,
    lanczos_top_k,
    power_iteration_top_k,
)

# -- 1. orthonormal_basis: the rank threshold did not depend on dim --------------------------------


def test_orthonormal_basis_keeps_every_direction_of_long_float32_columns():
    """dim = 2.1M float32 columns with singular values 1, 0.5, 0.1: the old ``max(dim, k) eps``
    threshold (0.25 s_max here) kept 2 of 3 directions, and none beyond dim = 8.4M."""
    dim = 2_100_000
    g = torch.Generator().manual_seed(0)
    Q = torch.linalg.qr(torch.randn(dim, 3, generator=g))[0]
    V = Q * torch.tensor([1.0, 0.5, 0.1])
    B = orthonormal_basis(V)
    assert B.shape == (dim, 3) and B.dtype == torch.float32
    Bd = B.double()  # the Gram in float64: a float32 Gram over 2.1M rows carries ~1e-3 of its own rounding
    assert float((Bd.T @ Bd - torch.eye(3, dtype=torch.float64)).abs().max()) < 1e-6
    dep = torch.cat([V, V[:, :1] + V[:, 1:2]], 1)  # a dependent fourth column, rounded in float32
    assert orthonormal_basis(dep).shape[1] == 3


def test_projection_knockout_removes_the_class_means():
    model = mlp()
    X, y = torch.cat([b[0] for b in tabular()]), torch.cat([b[1] for b in tabular()])
    dec = GDecomposition(model, (X, y), 3)
    K = dec.knockout("class", "project")
    _, vecs = dec.class_.eigh()
    assert float((K.matmat(vecs)).abs().max()) < 1e-12  # the class means' span is projected out


# -- 2. block_subspace_iteration: the default shift returned the bottom, converged=True ------------


def test_block_subspace_iteration_default_finds_the_top_of_an_indefinite_spectrum():
    eigs = np.concatenate([[3.0, 2.5, 2.0], np.linspace(1.0, -1.0, 294), [-6.0, -7.0, -8.0]])
    A = rotated(eigs, seed=11)
    res = block_subspace_iteration(A, 3, tol=1e-9, max_iters=3000, progress=False)
    assert res.converged and res.info["shift"] < -8.0
    np.testing.assert_allclose(res.eigenvalues, [3.0, 2.5, 2.0], rtol=1e-8)
    # an explicit shift of 0 (the old default) favours |lambda|: the block holds 3, 2.5 and -6, and the
    # pairs (3, 2.5, -6) were reported converged; the check finds 2.0 above -6
    with pytest.warns(SolverWarning, match="below the top"):
        bottom = block_subspace_iteration(A, 3, shift=0.0, tol=1e-9, progress=False)
    assert not bottom.converged and bottom.eigenvalues.min() < 0
    assert abs(bottom.info["missed_eigenvalue"] - 2.0) < 1e-6
    # a positive semi-definite operator keeps the shift 0
    psd = block_subspace_iteration(rotated(np.abs(eigs), seed=11), 3, tol=1e-9, progress=False)
    assert psd.converged and psd.info["shift"] == 0.0


# -- 3. power iteration: converged was the Rayleigh-quotient test ----------------------------------


def test_power_iteration_converged_is_the_residual_test():
    """10, 9.9, 9.8, 9.7 over a bulk: PyHessian's stopping rule (Rayleigh quotient change < 1e-3)
    stops with relative residuals near 1e-2; ``converged`` says so."""
    A = rotated(np.concatenate([[10.0, 9.9, 9.8, 9.7], np.linspace(1.0, 0.0, 196)]), seed=5)
    res = power_iteration_top_k(A, 4, return_vectors=True, progress=False)  # PyHessian's defaults
    Y = res.eigenvectors
    true = torch.linalg.vector_norm(A @ Y - Y * torch.as_tensor(res.eigenvalues), dim=0).numpy()
    np.testing.assert_allclose(res.residuals, true, rtol=1e-8)
    assert res.info["rq_converged"] and res.info["max_relative_residual"] > 1e-3
    assert not res.converged
    tight = power_iteration_top_k(A, 1, tol=1e-3, residual_tol=0.05, progress=False)
    assert tight.converged


# -- 5. single-vector Lanczos misses copies of a repeated eigenvalue: warn -------------------------


@pytest.mark.parametrize("solver", ["lanczos_top_k", "lanczos_restarted"])
def test_lanczos_warns_when_a_copy_of_a_repeated_eigenvalue_is_missed(solver):
    eigs = np.concatenate([[5.0, 5.0, 5.0, 4.0, 3.0], np.linspace(1.0, 0.0, 295)])
    A = rotated(eigs, seed=4)
    run = {"lanczos_top_k": lanczos_top_k, "lanczos_restarted": lanczos_restarted}[solver]
    with pytest.warns(SolverWarning, match="outside the Krylov space"):
        res = run(A, 3, tol=1e-10, progress=False)
    np.testing.assert_allclose(res.eigenvalues, [5.0, 4.0, 3.0], rtol=1e-8)  # eigenpairs, not the top 3
    assert not res.converged and abs(res.info["missed_eigenvalue"] - 5.0) < 0.1
    with warnings.catch_warnings():  # distinct eigenvalues: no warning, converged
        warnings.simplefilter("error")
        ok = run(rotated(np.concatenate([[5.0, 4.5, 4.0], np.linspace(1.0, 0.0, 297)]), seed=4), 3, tol=1e-10,
                 progress=False)
    assert ok.converged and ok.info["missed_eigenvalue"] is None and ok.info["miss_check"] == 8


# -- progress -----------------------------------------------------------------------------------------


class _Bar:
    made: list = []

    def __init__(self, *args, total=None, disable=False, **kw):
        self.total, self.n, self.kw = total, 0, kw
        _Bar.made.append(self)

    def update(self, k=1):
        self.n += k

    def set_postfix(self, *a, **kw):
        pass

    def refresh(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __iter__(self):
        return iter(())


def test_lanczos_bar_counts_converged_pairs_not_steps(monkeypatch):
    import dlspectra.progress as progress

    monkeypatch.setenv("DLSPECTRA_PROGRESS", "1")
    monkeypatch.setattr(progress, "_tqdm", _Bar)
    _Bar.made = []
    A = rotated(np.arange(1, 301, dtype=float) ** -1.0, seed=1)
    res = lanczos_top_k(A, 10, tol=1e-8)
    (bar,) = _Bar.made
    assert bar.total == 10 and bar.n == 10 and res.num_matvecs > 10
    _Bar.made = []
    hutchinson_trace(A, 3)  # long work shows a bar by default (after a second)
    assert len(_Bar.made) == 1 and _Bar.made[0].total == 3 and _Bar.made[0].kw.get("delay", 0) > 0


def test_no_futurewarning_on_the_first_forward_over_reverse_product():
    code = ("import torch, warnings; from torch import nn; from dlspectra.curvature import HessianOperator\n"
            "m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).eval()\n"
            "op = HessianOperator(m, nn.CrossEntropyLoss(), (torch.randn(8, 3), torch.arange(8) % 2), "
            "method='forward_over_reverse')\n"
            "op @ torch.ones(op.dim)\n")
    out = subprocess.run([sys.executable, "-W", "error::FutureWarning", "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


# -- Hutch++ against exact traces -------------------------------------------------------------------


def test_hutchpp_is_exact_on_low_rank_and_beats_hutchinson_on_decaying_spectra():
    low = rotated(np.concatenate([[5.0, 3.0, 2.0, 1.0], np.zeros(196)]), seed=2)
    assert abs(hutchpp_trace(low, 12, progress=False) - 11.0) < 1e-10
    eigs = np.arange(1, 401, dtype=float) ** -1.5  # a power law: the trace is in the top
    A = rotated(eigs, seed=3)
    exact = eigs.sum()
    err_pp = np.mean([abs(hutchpp_trace(A, 60, s, progress=False) - exact) for s in range(10)])
    err_h = np.mean([abs(hutchinson_trace(A, 60, s, progress=False) - exact) for s in range(10)])
    assert err_pp < 0.2 * err_h, (err_pp, err_h)
    est, se = hutchpp_trace(A, 60, 0, return_std=True, progress=False)
    assert abs(est - exact) < 5 * se + 1e-12


# -- per-layer spectra and traces against dense blocks -----------------------------------------------


def test_layer_spectra_and_traces_are_those_of_the_dense_blocks():
    from dlspectra.spectra import layer_spectra, layer_traces, parameter_blocks

    model, loss_fn, batches = mlp(), nn.CrossEntropyLoss(), tabular()
    H, _ = dense_reference(model, loss_fn, batches)
    blocks = parameter_blocks(model)
    assert list(blocks) == ["0", "2", "4"]
    spectra = layer_spectra(model, loss_fn, batches, k=3, progress=False)
    traces = layer_traces(model, loss_fn, batches, num_matvecs=30, progress=False)
    start = 0
    for label, names in blocks.items():
        size = sum(dict(model.named_parameters())[n].numel() for n in names)
        Hll = H[start:start + size, start:start + size]
        start += size
        ref = np.sort(torch.linalg.eigvalsh(Hll).numpy())[::-1]
        np.testing.assert_allclose(spectra[label].eigenvalues, ref[:3], rtol=1e-6, atol=1e-10)
        tr, se = traces[label]
        if size <= 30:
            assert se == 0.0 and abs(tr - float(torch.trace(Hll))) < 1e-10
        else:
            assert abs(tr - float(torch.trace(Hll))) < 5 * se + 1e-8


# -- any nn.Module with its data, cached by content ---------------------------------------------------


def test_model_spectrum_and_train_module_are_cached_by_content(tmp_path):
    from dlspectra.cache import Cache
    from dlspectra.spectra import SpectrumSpec, model_spectrum
    from dlspectra.train import FitConfig, train_module

    cache = Cache(tmp_path)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))
    X, y = torch.randn(60, 5), torch.arange(60) % 3
    cfg = FitConfig(lr=0.1, epochs=2, batch_size=20)
    init = {k: v.clone() for k, v in model.state_dict().items()}
    t1 = train_module(model, (X, y), config=cfg, progress=False, cache=cache)
    w1 = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(init)
    t2 = train_module(model, (X, y), config=cfg, progress=False, cache=cache)  # loaded, not trained
    assert all(torch.equal(w1[k], v) for k, v in model.state_dict().items())
    assert t2.history == t1.history and t2.metrics == t1.metrics
    spec = SpectrumSpec(k=4, batch_size=None)
    s1 = model_spectrum(model, nn.CrossEntropyLoss(), (X, y), spec, progress=False, cache=cache)
    dense = np.sort(torch.linalg.eigvalsh(HessianOperator(model, nn.CrossEntropyLoss(), (X, y)).to_dense()
                                          .double()).numpy())[::-1]
    np.testing.assert_allclose(s1.eigenvalues, dense[:4], rtol=1e-4)
    s2 = model_spectrum(model, nn.CrossEntropyLoss(), (X, y), spec, progress=False, cache=cache)
    assert np.array_equal(s1.eigenvalues, s2.eigenvalues) and s2.seconds == s1.seconds  # from the cache
    with torch.no_grad():
        model[0].weight.mul_(2.0)
    s3 = model_spectrum(model, nn.CrossEntropyLoss(), (X, y), spec, progress=False, cache=cache)
    assert not np.allclose(s3.eigenvalues, s1.eigenvalues)  # other weights, another entry
