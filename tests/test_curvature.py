"""Curvature operators against independent dense references (float64, tiny models)."""

import numpy as np
import pytest
import torch
from torch import nn

from cases import case, dense_reference, mlp, tabular  # noqa: F401  (case: the fixture)
from dlspectra.curvature import (
    DenseOperator,
    GGNOperator,
    GradientCovarianceOperator,
    HessianOperator,
    ResidualOperator,
    dense_hessian,
    flat_params,
)


@pytest.mark.parametrize("method", ["double_backward", "forward_over_reverse", "linearize", "auto"])
def test_hessian_ggn_residual_match_dense(case, method):
    if case.task == "regression" and method in ("forward_over_reverse", "linearize"):
        pytest.skip("torch's mse_loss backward has no forward-mode derivative ('ZeroTensors are immutable'); "
                    "'auto' uses double backward")
    model, loss_fn, batches = case.model(), case.loss_fn(), case.data()
    H, G = dense_reference(model, loss_fn, batches)
    P = H.shape[0]
    V = torch.randn(P, 4, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    hop = HessianOperator(model, loss_fn, batches, method=method)
    gop = GGNOperator(model, loss_fn, batches)
    eop = ResidualOperator(model, loss_fn, batches, method=method)
    for op, ref in ((hop, H), (gop, G), (eop, H - G)):
        assert op.dim == P and op.dtype == torch.float64
        got = op @ V
        err = (got - ref @ V).abs().max() / (ref @ V).abs().max()
        assert err < 1e-8, (type(op).__name__, float(err))
        v = V[:, 0]
        assert ((op @ v) - ref @ v).abs().max() < 1e-8 * (ref @ v).abs().max()
    assert hop.num_matvecs == 5
    with torch.no_grad():  # products work under an outer no_grad
        assert ((hop @ V[:, 1]) - H @ V[:, 1]).abs().max() < 1e-8 * (H @ V[:, 1]).abs().max()
    hop.num_matvecs -= 1
    if method == "auto":  # the default: double backward, the graphs of these tiny batches cached
        assert hop.method_used == "double_backward" and hop.cache_graph is True
        assert 0 < hop.graph_bytes["all_batches"] <= hop.graph_bytes["budget"]
    # scipy wrapper
    x = np.random.default_rng(0).standard_normal(P)
    np.testing.assert_allclose(hop.to_scipy() @ x, H.numpy() @ x, rtol=1e-9, atol=1e-9 * np.abs(H.numpy() @ x).max())


def test_default_hvp_caches_within_the_budget_and_is_bitwise_double_backward():
    model, loss_fn, batches = mlp(), nn.CrossEntropyLoss(), tabular()
    v = torch.randn(flat_params(model).numel(), dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    plain = HessianOperator(model, loss_fn, batches, method="double_backward", cache_graph=False) @ v
    auto = HessianOperator(model, loss_fn, batches)
    assert torch.equal(auto @ v, plain) and auto.cache_graph is True and len(auto._graphs) == 2
    tight = HessianOperator(model, loss_fn, batches, memory_budget=16)  # 16 bytes: nothing fits
    assert torch.equal(tight @ v, plain) and tight.cache_graph is False and not tight._graphs
    # a parameter changed in place after caching: the graph is rebuilt, the product follows the model
    with torch.no_grad():
        model[0].weight.mul_(1.5)
    moved = HessianOperator(model, loss_fn, batches, method="double_backward", cache_graph=False) @ v
    assert torch.equal(auto @ v, moved) and not torch.equal(moved, plain)


def test_cached_graph_and_dense_hessian():
    model = mlp()
    loss_fn = nn.CrossEntropyLoss()
    batches = tabular()
    H, _ = dense_reference(model, loss_fn, batches)
    op = HessianOperator(model, loss_fn, batches, method="double_backward", cache_graph=True)
    v = torch.randn(op.dim, dtype=torch.float64)
    for _ in range(2):
        assert (op @ v - H @ v).abs().max() < 1e-10 * (H @ v).abs().max()
    Hd = dense_hessian(model, loss_fn, batches, chunk_size=17)
    assert torch.allclose(Hd, Hd.T)
    assert (Hd - H).abs().max() < 1e-10 * H.abs().max()


def test_gradient_covariance_matches_explicit_per_sample_loop():
    model = mlp(d_in=4, h=5, c=3)
    loss_fn = nn.CrossEntropyLoss()
    batches = tabular(n=20, d_in=4)
    X = torch.cat([b[0] for b in batches])
    y = torch.cat([b[1] for b in batches])
    gs = []
    for i in range(len(X)):  # the explicit reference: one backward per sample
        model.zero_grad()
        loss_fn(model(X[i:i + 1]), y[i:i + 1]).backward()
        gs.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]))
    Gm = torch.stack(gs)
    C = (Gm - Gm.mean(0)).T @ (Gm - Gm.mean(0)) / len(X)
    for max_memory in (2**30, 0):  # stored and recomputed per-sample gradients
        op = GradientCovarianceOperator(model, loss_fn, batches, chunk_size=7, max_memory=max_memory)
        V = torch.randn(op.dim, 3, dtype=torch.float64)
        assert (op @ V - C @ V).abs().max() < 1e-10 * (C @ V).abs().max()
    ev = op.gram_eigenvalues()
    ref = torch.linalg.eigvalsh(C).flip(0)[: len(ev)]
    assert (ev - ref).abs().max() < 1e-10 * ref[0]
    op2 = GradientCovarianceOperator(model, loss_fn, batches, centered=False)
    v = V[:, 0]
    assert (op2 @ v - Gm.T @ (Gm @ v) / len(X)).abs().max() < 1e-10


def test_errors_and_eval_mode():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)).double()
    batches = [(torch.randn(8, 3, dtype=torch.float64), torch.randint(0, 2, (8,)))]
    with pytest.raises(ValueError, match="eval"):
        HessianOperator(model, nn.CrossEntropyLoss(), batches)
    model.eval()
    op = HessianOperator(model, nn.CrossEntropyLoss(), batches)
    v = torch.full((op.dim,), float("nan"), dtype=torch.float64)
    with pytest.raises(ValueError, match="NaN"):
        op @ v
    with pytest.raises(ValueError, match="symmetric"):
        DenseOperator(torch.triu(torch.ones(3, 3)))
    # subset of parameters, float32 model
    m32 = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).eval()
    b32 = [(torch.randn(8, 3), torch.randint(0, 2, (8,)))]
    op = HessianOperator(m32, nn.CrossEntropyLoss(), b32, params=[m32[2].weight])
    assert op.dim == 8 and op.dtype == torch.float32
    assert (op @ torch.randn(op.dim, dtype=torch.float64)).dtype == torch.float32


def test_cross_check_with_curvlinops():
    curvlinops = pytest.importorskip("curvlinops")
    model = mlp()
    loss_fn = nn.CrossEntropyLoss()
    batches = tabular()
    params = [p for p in model.parameters()]
    x = np.random.default_rng(1).standard_normal(sum(p.numel() for p in params))
    for ours, theirs in ((HessianOperator, curvlinops.HessianLinearOperator),
                         (GGNOperator, curvlinops.GGNLinearOperator)):
        ref = theirs(model, loss_fn, params, batches, check_deterministic=False).to_scipy() @ x
        got = ours(model, loss_fn, batches).to_scipy() @ x
        np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-10 * np.abs(ref).max())


def test_gradient_covariance_float32_centres_before_the_product():
    # a large mean gradient against a small spread (Xie Fig. 20's noise covariance): G^T G V / M - m (m^T V)
    # cancels in float32 (rel. error ~1e-3); centring first keeps float32 accuracy.
    torch.manual_seed(0)
    model64 = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 1)).double().eval()
    g = torch.Generator().manual_seed(2)
    X = 1.0 + 0.01 * torch.randn(64, 6, generator=g, dtype=torch.float64)  # nearly equal samples
    y = 30.0 + 0.01 * torch.randn(64, 1, generator=g, dtype=torch.float64)  # far from the outputs
    loss_fn = nn.MSELoss()
    ref = GradientCovarianceOperator(model64, loss_fn, [(X, y)])
    G = ref.per_sample_gradients()
    Gc = G - G.mean(0)
    C = Gc.T @ Gc / len(X)
    assert G.mean(0).norm() > 30 * Gc.norm(dim=1).mean()  # the mean dominates the spread
    V = torch.randn(ref.dim, 3, generator=g, dtype=torch.float64)
    model32 = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 1)).eval()
    model32.load_state_dict({k: v.float() for k, v in model64.state_dict().items()})
    for max_memory in (2**30, 0):  # stored and recomputed per-sample gradients
        op = GradientCovarianceOperator(model32, loss_fn, [(X[:40].float(), y[:40].float()),
                                                          (X[40:].float(), y[40:].float())],
                                        max_memory=max_memory)
        op.row_chunk = 16  # several row blocks
        got = (op @ V.float()).double()
        err = float((got - C @ V).norm() / (C @ V).norm())
        assert err < 2e-5, (max_memory, err)


def test_batchnorm_without_running_statistics_is_refused():
    # in eval mode such a layer still normalises with batch statistics
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4, track_running_stats=False), nn.Linear(4, 2)).double().eval()
    batches = [(torch.randn(8, 3, dtype=torch.float64), torch.randint(0, 2, (8,)))]
    for cls in (HessianOperator, GGNOperator, GradientCovarianceOperator):
        with pytest.raises(ValueError, match="running statistics"):
            cls(model, nn.CrossEntropyLoss(), batches)
    model[1] = nn.BatchNorm1d(4).double().eval()  # with running statistics: accepted
    HessianOperator(model, nn.CrossEntropyLoss(), batches)
