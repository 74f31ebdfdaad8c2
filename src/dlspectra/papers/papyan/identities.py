"""The decomposition identities of Papyan's Sec. 6 / App. A, checked numerically (page ``papyan/decomp``).

:func:`synthetic_check` uses random extended vectors ``g_{i,c,c'}`` and Dirichlet probabilities
(no network); :func:`network_check` a tiny float64 MLP with BatchNorm on real images, where ``G``
comes from the Gauss-Newton operator (jvp/vjp) and the pieces from the library's decomposition.
Every entry is a relative error ``||lhs - rhs|| / ||rhs||`` (Frobenius, or over random probes).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from dlspectra.curvature import (
    ExplicitSecondMoment,
    GDecomposition,
    layer_class_structure,
    layer_samples,
    mean_decomposition,
    means_from_samples,
    per_sample_extended_gradients,
)

from .pipeline import curv_data


def _rel(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(torch.linalg.norm(a - b) / torch.linalg.norm(b))


def _lowrank(piece) -> torch.Tensor:
    V, w = piece
    return (V * w) @ V.T


def synthetic_check(C: int, n_per_class: int, dim: int, seed: int = 0) -> dict:
    """Identities on random data: errors, ranks and the spectra of the pieces."""
    g = torch.Generator().manual_seed(seed)
    n = C * n_per_class
    y = torch.arange(C).repeat_interleave(n_per_class)
    gv = torch.randn(n, C, dim, dtype=torch.float64, generator=g)
    gv += 2.0 * torch.randn(C, C, dim, dtype=torch.float64, generator=g)[y]  # cross-class structure
    gv += 4.0 * torch.randn(C, 1, dim, dtype=torch.float64, generator=g)[y]  # class structure
    p = torch.from_numpy(np.random.default_rng(seed).dirichlet(np.ones(C), size=n))
    w = p / n
    means, wcc = means_from_samples(gv, w, y, C)
    pc = mean_decomposition(means, wcc)
    G = torch.einsum("nk,nki,nkj->ij", w, gv, gv)
    dev = gv - means[y]
    within = torch.einsum("nk,nki,nkj->ij", w, dev, dev)
    parts = {"class": _lowrank(pc.class_), "cross": _lowrank(pc.cross), "same": _lowrank(pc.same), "within": within}
    gc = pc.class_means
    off = [(c, k) for c in range(C) for k in range(C) if k != c]
    printed = sum(wcc[c, k] * torch.outer(means[c, k] - gc[k], means[c, k] - gc[k]) for c, k in off)
    # Sigma_{c'} p_{c'} (p - e_{c'})(p - e_{c'})^T = diag p - p p^T, for every sample
    R = p[:, None, :] - torch.eye(C, dtype=torch.float64)[None]  # (n, C', C): R[i, k] = p_i - e_k
    lhs = torch.einsum("nk,nki,nkj->nij", p, R, R)
    rhs = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]
    rank = {k: int(torch.linalg.matrix_rank(v, rtol=1e-10)) for k, v in parts.items()}
    return {
        "errors": {
            "sum w = 1": abs(float(w.sum()) - 1.0),
            "G = class + cross + within + (c=c')": _rel(sum(parts.values()), G),
            "same, with the printed g_(c') in G_cross": _rel(parts["class"] + printed + parts["same"] + within, G),
            "class + cross + (c=c') = sum w_cc' g_cc' g_cc'^T": _rel(parts["class"] + parts["cross"] + parts["same"],
                                                                  _lowrank(pc.between)),
            "sum_c' p (p - e)(p - e)^T = diag p - p p^T": _rel(lhs, rhs),
        },
        "rank": rank,
        "bounds": {"class": C, "cross": C * (C - 2), "same": C, "within": None},
        "spectra": {k: np.sort(np.linalg.eigvalsh(v.numpy()))[::-1] for k, v in {**parts, "G": G}.items()},
    }


def class_subset(dataset: str, C: int, n_per_class: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The first ``n_per_class`` images of each of the classes ``0..C-1`` of a deterministic
    subset of ``dataset`` (``50 C`` images drawn with ``seed``), as float64 ``(X, y)``.
    Raises ``ValueError`` when a class has fewer than ``n_per_class`` images in the draw."""
    from dlspectra.data import DataSpec, load

    ds = load(DataSpec(dataset, n=C * 50, seed=seed))
    keep = ds.y < C
    X, y = ds.X[keep], ds.y[keep]
    idx = [torch.nonzero(y == c).flatten()[:n_per_class] for c in range(C)]
    short = [c for c, i in enumerate(idx) if len(i) < n_per_class]
    if short:
        raise ValueError(f"class_subset: classes {short} have fewer than {n_per_class} images among the {C * 50} "
                         f"drawn from {dataset!r}; lower n_per_class")
    idx = torch.cat(idx)
    return X[idx].double(), y[idx]


def tiny_network(in_features: int, C: int, seed: int = 0) -> nn.Module:
    """A float64 MLP ``in -> 12 -> 10 -> C`` with BatchNorm before each ReLU, no biases on the
    linear layers, random running statistics (so eval-mode BatchNorm is not the identity)."""
    torch.manual_seed(seed)
    m = nn.Sequential(nn.Flatten(), nn.Linear(in_features, 12, bias=False), nn.BatchNorm1d(12), nn.ReLU(),
                      nn.Linear(12, 10, bias=False), nn.BatchNorm1d(10), nn.ReLU(), nn.Linear(10, C, bias=False))
    m = m.double()
    with torch.no_grad():
        for bn in (m[2], m[5]):
            bn.running_mean.uniform_(-0.2, 0.2)
            bn.running_var.uniform_(0.5, 1.5)
    return m.eval()


def network_check(model: nn.Module, X: torch.Tensor, y: torch.Tensor, C: int, seed: int = 0) -> dict:
    """Identities for a (float64) network: G from the Gauss-Newton operator vs the pieces, and the
    per-layer error decomposition vs explicit per-sample errors."""
    dec = GDecomposition(model, *curv_data(X, y), C, batch_size=64)
    g, w = per_sample_extended_gradients(model, *curv_data(X, y), C)
    n, _, P = g.shape
    means = dec.structure.means
    within = ExplicitSecondMoment((g - means[y]).reshape(n * C, P), w.reshape(-1))
    full = ExplicitSecondMoment(g.reshape(n * C, P), w.reshape(-1))
    V = torch.randn(P, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    GV = dec.G.matmat(V)
    pieces = dec.class_.matmat(V) + dec.cross.matmat(V) + dec.same.matmat(V) + within.matmat(V)
    errors = {
        "G (jvp/vjp) = sum w g g^T (per-sample Jacobians)": _rel(full.matmat(V), GV),
        "G = class + cross + within + (c=c')": _rel(pieces, GV),
    }
    layers = {}
    for st in layer_class_structure(model, *curv_data(X, y), C, batch_size=64):
        h, d, p = layer_samples(model, *curv_data(X, y), C, st.name, batch_size=64)
        wl = p / n
        dm = st.delta_means
        dwithin = torch.einsum("nk,nki,nkj->ij", wl, d - dm[y], d - dm[y])
        total = st.Delta_class + st.Delta_cross + st.Delta_same + dwithin
        hc = st.h_c
        Hw = sum(((h[y == c] - hc[c]).T @ (h[y == c] - hc[c])) for c in range(C)) / n
        layers[st.name] = {"Delta": _rel(total, st.Delta), "H": _rel(st.H_class + Hw, st.H)}
    return {"errors": errors, "layers": layers, "num_params": P, "class_eigs": dec.eigenvalues("class"),
            "cross_eigs": dec.eigenvalues("cross"), "same_eigs": dec.eigenvalues("same")}
