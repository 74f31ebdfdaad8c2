"""Exact batch Hessians (dlspectra.curvature.exact) against torch.func.hessian and closed forms."""

import numpy as np
import pytest
import torch
from torch import nn
from torch.func import functional_call, hessian

from dlspectra.curvature import batch_gauss_newton, batch_hessian, batch_hessian_spectra, dense_hessian
from dlspectra.errors import SpectrumError


def _net(out: int = 3, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, out)).double().eval()


def _reference(model, loss_fn, X, y, scale=1.0):
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]
    numels = [p.numel() for _, p in model.named_parameters()]
    theta = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

    def f(v):
        d = {n: t.view(s) for n, t, s in zip(names, torch.split(v, numels), shapes)}
        return loss_fn(functional_call(model, d, (X,)), y) * scale

    return torch.autograd.functional.hessian(f, theta)


@pytest.mark.parametrize("method", ["auto", "forward_over_reverse", "reverse_over_reverse"])
def test_cross_entropy_matches_torch_hessian(method):
    m = _net()
    X = torch.randn(16, 4, dtype=torch.float64)
    y = torch.randint(0, 3, (16,))
    ref = _reference(m, nn.CrossEntropyLoss(), X, y, scale=16.0)
    H = batch_hessian(m, nn.CrossEntropyLoss(), X, y, method=method, chunk_size=7)
    assert H.dtype == torch.float64 and H.shape == ref.shape
    assert torch.allclose(H, ref, atol=1e-10, rtol=1e-8)
    Hm = batch_hessian(m, nn.CrossEntropyLoss(), X, y, reduction="mean", method=method)
    assert torch.allclose(Hm * 16, H, atol=1e-10)


def test_torch_func_hessian_and_mse():
    m = _net(out=1)
    X = torch.randn(10, 4, dtype=torch.float64)
    y = torch.randn(10, 1, dtype=torch.float64)
    names = [n for n, _ in m.named_parameters()]
    params = {n: p.detach() for n, p in m.named_parameters()}

    def f(p):
        return nn.functional.mse_loss(functional_call(m, p, (X,)), y)

    Hd = hessian(f)(params)  # nested dict
    ref = torch.cat([torch.cat([Hd[a][b].reshape(params[a].numel(), params[b].numel()) for b in names], 1)
                     for a in names], 0)
    H = batch_hessian(m, nn.MSELoss(), X, y, reduction="mean")  # forward-over-reverse may fail on MSELoss
    assert torch.allclose(H, ref, atol=1e-10)
    # dense_hessian (operators.py) also handles MSELoss now (issue 14 item 13)
    Hd2 = dense_hessian(m, nn.MSELoss(), [(X, y)])
    assert torch.allclose(Hd2, ref, atol=1e-10)


def test_float32_model_gets_float64_hessian_and_spectra():
    m = _net().float()
    X = torch.randn(8, 4)
    y = torch.randint(0, 3, (8,))
    E = batch_hessian_spectra(m, nn.CrossEntropyLoss(), [(X[:4], y[:4]), (X[4:], y[4:])])
    assert E.shape == (2, sum(p.numel() for p in m.parameters())) and E.dtype == np.float64
    assert np.all(np.diff(E, axis=1) >= 0)
    H0 = batch_hessian(m, nn.CrossEntropyLoss(), X[:4], y[:4])
    assert np.allclose(E[0], torch.linalg.eigvalsh(H0).numpy())
    assert next(m.parameters()).dtype == torch.float32  # the model itself is untouched


def test_nan_inputs_and_parameters_raise_clearly():
    m = _net()
    X = torch.randn(6, 4, dtype=torch.float64)
    y = torch.randint(0, 3, (6,))
    Xb = X.clone()
    Xb[2, 1] = float("nan")
    with pytest.raises(SpectrumError, match="batch 1: the inputs contain NaN"):
        batch_hessian_spectra(m, nn.CrossEntropyLoss(), [(X, y), (Xb, y)])
    with pytest.raises(SpectrumError, match="NaN"):
        batch_hessian(m, nn.CrossEntropyLoss(), Xb, y)
    with torch.no_grad():
        next(m.parameters())[0, 0] = float("inf")
    with pytest.raises(SpectrumError, match="parameter"):
        batch_hessian(m, nn.CrossEntropyLoss(), X, y)
    with pytest.raises(ValueError, match="method"):
        batch_hessian(_net(), nn.CrossEntropyLoss(), X, y, method="bogus")


def test_gauss_newton_rank_and_gram():
    m = _net(out=1)
    X = torch.randn(7, 4, dtype=torch.float64)
    G, K = batch_gauss_newton(m, X)
    P = sum(p.numel() for p in m.parameters())
    assert G.shape == (P, P) and K.shape == (7, 7)
    eg = torch.linalg.eigvalsh(G)
    ek = torch.linalg.eigvalsh(K)
    assert torch.allclose(eg[-7:], ek, atol=1e-10)
    assert int((eg.abs() > 1e-10 * eg.abs().max()).sum()) == 7
    # for a linear model the MSE Hessian (mean loss) is exactly 2 G
    lin = nn.Linear(4, 1).double().eval()
    G1, _ = batch_gauss_newton(lin, X)
    H1 = batch_hessian(lin, nn.MSELoss(), X, torch.randn(7, 1, dtype=torch.float64), reduction="mean")
    assert torch.allclose(H1, 2 * G1, atol=1e-12)
