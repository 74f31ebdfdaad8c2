"""Exact batch Hessians (dlspectra.curvature.exact) against the shared dense reference and closed forms."""

import numpy as np
import pytest
import torch
from torch import nn

from cases import case, dense_reference, mlp  # noqa: F401  (case: the fixture)
from dlspectra.curvature import batch_gauss_newton, batch_hessian, batch_hessian_spectra, dense_hessian
from dlspectra.errors import SpectrumError, UsageError


@pytest.mark.parametrize("method", ["auto", "forward_over_reverse", "reverse_over_reverse"])
def test_batch_hessian_matches_the_dense_reference(case, method):
    model, loss_fn, batches = case.model(), case.loss_fn(), case.data()
    if case.task == "regression" and method == "forward_over_reverse":
        pytest.skip("torch's mse_loss backward has no forward-mode derivative")
    X, y = batches[0]
    ref, _ = dense_reference(model, loss_fn, [(X, y)])
    H = batch_hessian(model, loss_fn, X, y, method=method, chunk_size=7)  # the mean loss, by default
    assert H.dtype == torch.float64 and H.shape == ref.shape
    assert torch.allclose(H, ref, atol=1e-10, rtol=1e-8)
    Hs = batch_hessian(model, loss_fn, (X, y), reduction="sum", method=method)  # one (X, y) pair
    assert torch.allclose(Hs, len(X) * H, atol=1e-10)


def test_spectra_follow_the_operators_conventions():
    """Mean loss and descending eigenvalues, as HessianOperator and the solvers (order= for the other)."""
    m = mlp().float()
    X = torch.randn(8, 5)
    y = torch.arange(8) % 3
    E = batch_hessian_spectra(m, nn.CrossEntropyLoss(), [(X[:4], y[:4]), (X[4:], y[4:])], progress=False)
    assert E.shape == (2, sum(p.numel() for p in m.parameters())) and E.dtype == np.float64
    assert np.all(np.diff(E, axis=1) <= 0)
    H0 = batch_hessian(m, nn.CrossEntropyLoss(), X[:4], y[:4])
    assert np.allclose(E[0], torch.linalg.eigvalsh(H0).numpy()[::-1])
    up = batch_hessian_spectra(m, nn.CrossEntropyLoss(), [(X[:4], y[:4])], order="ascending", progress=False)
    assert np.array_equal(up[0], E[0][::-1])
    assert next(m.parameters()).dtype == torch.float32  # the model itself is untouched
    with pytest.raises(UsageError, match="order"):
        batch_hessian_spectra(m, nn.CrossEntropyLoss(), (X, y), order="up")


def test_dense_hessian_handles_mse():
    m = mlp(c=1)
    X = torch.randn(10, 5, dtype=torch.float64)
    y = torch.randn(10, 1, dtype=torch.float64)
    ref, _ = dense_reference(m, nn.MSELoss(), [(X, y)])
    assert torch.allclose(batch_hessian(m, nn.MSELoss(), X, y), ref, atol=1e-10)
    assert torch.allclose(dense_hessian(m, nn.MSELoss(), (X, y)), ref, atol=1e-10)  # falls back to double backward


def test_nan_inputs_and_parameters_raise_clearly():
    m = mlp()
    X = torch.randn(6, 5, dtype=torch.float64)
    y = torch.arange(6) % 3
    Xb = X.clone()
    Xb[2, 1] = float("nan")
    with pytest.raises(UsageError, match="inputs of batch 1 contain 1 NaN"):
        batch_hessian_spectra(m, nn.CrossEntropyLoss(), [(X, y), (Xb, y)])
    with pytest.raises(UsageError, match="NaN"):
        batch_hessian(m, nn.CrossEntropyLoss(), Xb, y)
    with torch.no_grad():
        next(m.parameters())[0, 0] = float("inf")
    with pytest.raises(SpectrumError, match="parameter"):
        batch_hessian(m, nn.CrossEntropyLoss(), X, y)
    with pytest.raises(ValueError, match="method"):
        batch_hessian(mlp(), nn.CrossEntropyLoss(), X, y, method="bogus")
    with pytest.raises(UsageError, match="one batch"):
        batch_hessian(mlp(), nn.CrossEntropyLoss(), [(X, y), (X, y)])


def test_gauss_newton_rank_and_gram():
    m = mlp(c=1)
    X = torch.randn(7, 5, dtype=torch.float64)
    G, K = batch_gauss_newton(m, X)
    P = sum(p.numel() for p in m.parameters())
    assert G.shape == (P, P) and K.shape == (7, 7)
    eg = torch.linalg.eigvalsh(G)
    ek = torch.linalg.eigvalsh(K)
    assert torch.allclose(eg[-7:], ek, atol=1e-10)
    assert int((eg.abs() > 1e-10 * eg.abs().max()).sum()) == 7
    # for a linear model the MSE Hessian (mean loss) is exactly 2 G
    lin = nn.Linear(5, 1).double().eval()
    G1, _ = batch_gauss_newton(lin, X)
    H1 = batch_hessian(lin, nn.MSELoss(), X, torch.randn(7, 1, dtype=torch.float64))
    assert torch.allclose(H1, 2 * G1, atol=1e-12)
