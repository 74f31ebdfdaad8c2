"""Papyan's class / cross-class decomposition (dlspectra.curvature.class_structure, kfac, logistic)
against independent references: per-sample Jacobians, dense matrices, eigvalsh, closed forms."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from torch.func import functional_call, jacrev, vmap

from dlspectra.curvature import (
    CFACOperator,
    ClassStructureError,
    ExplicitSecondMoment,
    GDecomposition,
    GGNOperator,
    KFACOperator,
    LowRankOperator,
    ccm_expected_fim,
    ccm_sample,
    class_moment_fim,
    kfac_eigenvalues,
    layer_class_structure,
    layer_ggn_eigenvalues,
    layer_samples,
    logistic_fim,
    mean_decomposition,
    orthonormal_basis,
    per_sample_extended_gradients,
    project_out,
    project_out_rect,
    symmetric_probabilities,
    theorem81_eigenvalues,
    theorem81_levels,
)

C = 4


def _mlp(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    m = nn.Sequential(nn.Linear(5, 7, bias=False), nn.BatchNorm1d(7), nn.ReLU(),
                      nn.Linear(7, 6, bias=False), nn.BatchNorm1d(6), nn.ReLU(),
                      nn.Linear(6, C, bias=False)).double()
    with torch.no_grad():  # non-trivial running statistics
        for bn in (m[1], m[4]):
            bn.running_mean.uniform_(-0.3, 0.3)
            bn.running_var.uniform_(0.5, 1.5)
    return m.eval()


def _data(n_per: int = 6, seed: int = 1):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(C).repeat_interleave(n_per)
    X = torch.randn(len(y), 5, generator=g, dtype=torch.float64) + 0.8 * torch.nn.functional.one_hot(y, 5).double()
    return X, y


@pytest.fixture(scope="module")
def setup():
    model, (X, y) = _mlp(), _data()
    dec = GDecomposition(model, (X, y), C, batch_size=10)
    g, w = per_sample_extended_gradients(model, (X, y), C)
    return model, X, y, dec, g, w


def test_extended_gradients_give_G(setup):
    model, X, y, dec, g, w = setup
    n, _, P = g.shape
    G_explicit = ExplicitSecondMoment(g.reshape(n * C, P), w.reshape(-1))
    V = torch.randn(P, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(G_explicit.matmat(V), dec.G.matmat(V), atol=1e-12, rtol=1e-10)
    assert abs(float(w.sum()) - 1) < 1e-12


def test_decomposition_sums_to_G(setup):
    model, X, y, dec, g, w = setup
    n, _, P = g.shape
    means = dec.structure.means  # (C, C, P)
    # explicit means and within-cross-class covariance from the per-sample extended gradients
    wcc = torch.zeros(C, C, dtype=torch.float64).index_add_(0, y, w)
    ref_means = torch.zeros(C, C, P, dtype=torch.float64).index_add_(0, y, w[:, :, None] * g) / wcc[:, :, None]
    assert torch.allclose(means, ref_means, atol=1e-12)
    assert not means.requires_grad
    assert torch.allclose(dec.structure.weights, wcc, atol=1e-14)
    dev = g - ref_means[y]  # (n, C', P)
    within = ExplicitSecondMoment(dev.reshape(n * C, P), w.reshape(-1))
    V = torch.randn(P, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    total = dec.class_.matmat(V) + dec.cross.matmat(V) + dec.same.matmat(V) + within.matmat(V)
    GV = dec.G.matmat(V)
    assert torch.allclose(total, GV, atol=1e-12, rtol=1e-10)
    assert torch.allclose(dec.within.matmat(V), within.matmat(V), atol=1e-12)
    # between = class + cross + same
    assert torch.allclose(dec.between.matmat(V), total - within.matmat(V), atol=1e-12)


def test_printed_cross_typo_breaks_identity(setup):
    """The paper's printed g_{c'} in G_cross (instead of g_c) does not sum back (catalog 0.4)."""
    _, _, _, dec, _, _ = setup
    m, w = dec.structure.means, dec.structure.weights
    gc = dec.structure.class_means
    between = (m.reshape(C * C, -1).T * w.reshape(-1)) @ m.reshape(C * C, -1)
    ok = sum(w[c, k] * torch.outer(m[c, k] - gc[c], m[c, k] - gc[c]) for c in range(C) for k in range(C) if k != c)
    bad = sum(w[c, k] * torch.outer(m[c, k] - gc[k], m[c, k] - gc[k]) for c in range(C) for k in range(C) if k != c)
    rest = sum(dec.structure.pieces.class_weights[c] * torch.outer(gc[c], gc[c]) for c in range(C)) \
        + sum(w[c, c] * torch.outer(m[c, c], m[c, c]) for c in range(C))
    assert torch.allclose(ok + rest, between, atol=1e-13)
    assert float((bad + rest - between).abs().max()) > 1e-6 * float(between.abs().max())


def test_gram_eigenvalues_equal_dense(setup):
    _, _, _, dec, _, _ = setup
    for name, bound in (("class", C), ("cross", C * (C - 2)), ("same", C), ("between", C * C)):
        op = dec.piece(name)
        dense = op.to_dense()
        ev = np.sort(torch.linalg.eigvalsh(dense).numpy())[::-1]
        gram = dec.eigenvalues(name)
        k = len(gram)
        assert np.allclose(gram, ev[:k], atol=1e-12 * max(1, ev[0]))
        assert np.all(np.abs(ev[k:]) < 1e-12 * max(1, ev[0]))
        assert int((gram > 1e-10 * gram[0]).sum()) <= bound, name
    # eigenvectors
    vals, vecs = dec.class_.eigh()
    assert torch.allclose(dec.class_.matmat(vecs), vecs * torch.as_tensor(vals), atol=1e-12)


def test_knockouts(setup):
    _, _, _, dec, _, _ = setup
    G = dec.G.to_dense()
    A = dec.class_.to_dense()
    assert torch.allclose(dec.knockout("class").to_dense(), G - A, atol=1e-12)
    _, Q = dec.class_.eigh()
    P = torch.eye(G.shape[0], dtype=G.dtype) - Q @ Q.T
    assert torch.allclose(dec.knockout("class", "project").to_dense(), P @ G @ P, atol=1e-10)
    with pytest.raises(ValueError, match="within"):
        dec.knockout("within", "project")
    with pytest.raises(ValueError, match="how"):
        dec.knockout("class", "sideways")


def test_low_rank_and_basis():
    g = torch.Generator().manual_seed(3)
    V = torch.randn(30, 5, dtype=torch.float64, generator=g)
    V[:, 4] = V[:, 0] + V[:, 1]  # rank 4
    w = torch.rand(5, dtype=torch.float64, generator=g)
    op = LowRankOperator(V, w)
    dense = (V * w) @ V.T
    ev = np.sort(np.linalg.eigvalsh(dense.numpy()))[::-1]
    assert np.allclose(op.eigenvalues(), ev[:5], atol=1e-12)
    assert orthonormal_basis(V).shape == (30, 4)
    with pytest.raises(ValueError, match="non-negative"):
        LowRankOperator(V, -w)


def test_nan_parameter_and_missing_class():
    model, (X, y) = _mlp(), _data()
    with pytest.raises(ClassStructureError, match="missing|no sample"):
        GDecomposition(model, (X[y != 2], y[y != 2]), C)
    with pytest.raises(ClassStructureError, match="no sample"):
        layer_class_structure(model, (X[y != 0], y[y != 0]), C)
    with pytest.raises(ClassStructureError, match="labels must lie"):
        GDecomposition(model, (X, y + 1), C)
    with torch.no_grad():
        model[3].weight[0, 0] = float("nan")
    with pytest.raises(ClassStructureError, match="NaN"):
        GDecomposition(model, (X, y), C)
    with pytest.raises(ClassStructureError, match="NaN"):
        layer_class_structure(model, (X, y), C)
    model = _mlp().train()
    with pytest.raises(ValueError, match="eval mode"):
        GDecomposition(model, (X, y), C)


# ----------------------------------------------------------------------------- layers, KFAC, CFAC


def _per_sample_layer(model, X, k):
    """Independent reference: input h, and delta_{i,c'} (n, C', d) of linear layer model[k] via
    the per-sample Jacobian of the rest of the network w.r.t. the layer output."""
    head, tail = model[:k], model[k + 1:]
    with torch.no_grad():
        h = head(X)
        z = model[k](h)
        p = torch.softmax(tail(z), 1)
    K = vmap(jacrev(lambda zz: tail(zz.unsqueeze(0))[0]))(z)  # (n, C, d)
    R = p[:, None, :] - torch.eye(C, dtype=p.dtype)[None]  # (n, C', C)
    delta = torch.einsum("nkc,ncd->nkd", R, K)
    return h, delta, p


@pytest.mark.parametrize("k", [0, 3, 6])
def test_layer_structure_against_per_sample(k):
    model, (X, y) = _mlp(), _data()
    name = str(k)
    (st,) = layer_class_structure(model, (X, y), C, layers=[name], batch_size=7)
    h, delta, p = _per_sample_layer(model, X, k)
    n = len(X)
    w = p / n
    Delta = torch.einsum("nk,nki,nkj->ij", w, delta, delta)
    assert torch.allclose(st.Delta, Delta, atol=1e-12)
    assert torch.allclose(st.H, h.T @ h / n, atol=1e-12)
    wcc = torch.zeros(C, C, dtype=torch.float64).index_add_(0, y, w)
    means = torch.zeros(C, C, delta.shape[-1], dtype=torch.float64).index_add_(0, y, w[:, :, None] * delta)
    means /= wcc[:, :, None]
    assert torch.allclose(st.delta_means, means, atol=1e-12)
    dev = delta - means[y]
    within = torch.einsum("nk,nki,nkj->ij", w, dev, dev)
    total = st.Delta_class + st.Delta_cross + st.Delta_same + within
    assert torch.allclose(total, Delta, atol=1e-12)
    assert torch.allclose(st.Delta_within, within, atol=1e-12)
    hc = torch.stack([h[y == c].mean(0) for c in range(C)])
    H_within = sum(((h[y == c] - hc[c]).T @ (h[y == c] - hc[c])) for c in range(C)) / n
    assert torch.allclose(st.H_class + H_within, st.H, atol=1e-12)
    # G^l: the W block of G equals sum w (delta delta^T) ⊗ (h h^T) (row-major vec(W))
    batches = [(X, y)]
    Gl = GGNOperator(model, nn.CrossEntropyLoss(), batches, params=[model[k].weight]).to_dense()
    ref = torch.einsum("nk,nka,nkb,ni,nj->aibj", w, delta, delta, h, h).reshape(Gl.shape)
    assert torch.allclose(Gl, ref, atol=1e-12)
    # per-sample layer quantities and the exact G^l spectrum through the (nC x nC) Gram matrix
    hs, ds, ps = layer_samples(model, (X, y), C, name, batch_size=5)
    assert torch.allclose(hs, h, atol=1e-12) and torch.allclose(ds, delta, atol=1e-12)
    ev = np.sort(np.linalg.eigvalsh(Gl.numpy()))[::-1]
    gev = layer_ggn_eigenvalues(hs, ds, ps)
    m = min(len(ev), len(gev))
    assert np.allclose(gev[:m], ev[:m], atol=1e-12)
    # KFAC / CFAC products and KFAC eigenvalues
    kf = KFACOperator(st.Delta, st.H)
    assert torch.allclose(kf.to_dense(), torch.kron(st.Delta, st.H), atol=1e-13)
    assert np.allclose(kfac_eigenvalues(st.Delta, st.H),
                       np.sort(np.linalg.eigvalsh(torch.kron(st.Delta, st.H).numpy()))[::-1], atol=1e-12)
    cf = CFACOperator(st.Delta_c, st.H_c, st.frac)
    cref = sum(st.frac[c] * torch.kron(st.Delta_c[c], st.H_c[c]) for c in range(C))
    assert torch.allclose(cf.to_dense(), cref, atol=1e-13)
    # class-wise pieces average back to the layer's matrices
    assert torch.allclose(torch.einsum("c,cij->ij", st.frac, st.Delta_c), st.Delta, atol=1e-13)
    # weights: the stationary weight uses the actual-label errors
    own = delta[torch.arange(n), y]
    assert torch.allclose(st.stationary_weight(5e-4), -(own.T @ h) / n / 5e-4, atol=1e-8)


def test_projections_dense():
    g = torch.Generator().manual_seed(5)
    A = torch.randn(8, 8, dtype=torch.float64, generator=g)
    A = A @ A.T
    B = torch.randn(8, 2, dtype=torch.float64, generator=g)
    Q, _ = torch.linalg.qr(B)
    P = torch.eye(8, dtype=torch.float64) - Q @ Q.T
    assert torch.allclose(project_out(A, B), P @ A @ P, atol=1e-12)
    W = torch.randn(6, 8, dtype=torch.float64, generator=g)
    Bw = torch.randn(6, 1, dtype=torch.float64, generator=g) @ torch.randn(1, 8, dtype=torch.float64, generator=g)
    U, s, Vh = torch.linalg.svd(Bw)
    u, v = U[:, :1], Vh[:1].T
    ref = (torch.eye(6, dtype=torch.float64) - u @ u.T) @ W @ (torch.eye(8, dtype=torch.float64) - v @ v.T)
    assert torch.allclose(project_out_rect(W, Bw), ref, atol=1e-12)


def test_mean_decomposition_ranks():
    g = torch.Generator().manual_seed(2)
    m = torch.randn(5, 5, 40, dtype=torch.float64, generator=g)
    w = torch.rand(5, 5, dtype=torch.float64, generator=g)
    pc = mean_decomposition(m, w / w.sum())
    V, wt = pc.cross
    rank = torch.linalg.matrix_rank((V * wt) @ V.T).item()
    assert rank == 5 * 3  # C(C-2)


# ----------------------------------------------------------------------------- Theorem 8.1


@pytest.mark.parametrize("D,Cc,t,alpha", [(20, 4, 3.0, 0.3), (30, 5, 2.0, 0.1), (50, 10, 4.0, 0.05), (12, 3, 1.0, 0.6)])
def test_theorem81_formula_equals_numerical(D, Cc, t, alpha):
    ev = np.sort(np.linalg.eigvalsh(ccm_expected_fim(D, Cc, t, alpha)))[::-1]
    assert np.allclose(ev, theorem81_eigenvalues(D, Cc, t, alpha), atol=1e-12)


def test_theorem81_catalog_values_and_monte_carlo():
    lv = theorem81_levels(4, 3.0, 0.3)
    assert round(lv["outlier"], 3) == 0.79 and round(lv["minibulk"], 3) == 0.385 and round(lv["bulk"], 3) == 0.16
    X, y = ccm_sample(4000, 20, 4, 3.0, seed=0)
    P = symmetric_probabilities(4, 0.3)
    G = class_moment_fim(X, y, P)
    top = np.sort(np.linalg.eigvalsh(G))[::-1][:4]
    assert np.all(np.abs(top / lv["outlier"] - 1) < 0.05)
    # the general per-sample form equals the class-moment form
    Xs, ys = X[::50], y[::50]
    assert np.allclose(logistic_fim(Xs, P[ys]), class_moment_fim(Xs, ys, P), atol=1e-12)
    with pytest.raises(ValueError, match="alpha"):
        ccm_expected_fim(10, 4, 1.0, 0.9)
