"""Per-layer spectra of the MLP pages (figs 2, 7-13), computed once per network (cache namespace
``papyan-layers``).

Layer ``l = 1..L`` (hidden layers): features ``H^l`` = second moment of the input of linear layer
``l + 1`` (post-ReLU output of hidden layer ``l``); errors ``Delta^l`` at the pre-activation of
linear layer ``l`` (before BatchNorm); weights ``W^l`` of linear layer ``l``.  Knockouts by projection:
``H ⦀ H_class`` (span of the class means ``h_c``), ``H ⦀ h_G h_G^T``, ``Delta ⦀ Delta_class`` (span of
``delta_c``), ``Delta ⦀ (Delta_class + Delta_cross)`` (span of ``delta_c`` and ``delta_{c,c'} - delta_c``),
``W ⦀ W_class`` (left/right singular vectors of ``W_class``).

KFAC / CFAC (figs 11, 12) on a class-balanced subset of ``gram_n`` images per class: ``G^l``'s
exact non-zero spectrum from the ``(nC, nC)`` Gram matrix, ``KFAC`` exactly (products of the
factors' eigenvalues), ``CFAC``'s top eigenvalues by Lanczos.
"""

from __future__ import annotations

import numpy as np
import torch

from dlspectra.cache import cached
from dlspectra.curvature import (
    CFACOperator,
    kfac_eigenvalues,
    layer_class_structure,
    layer_ggn_eigenvalues,
    layer_samples,
    project_out,
    project_out_rect,
)
from dlspectra.spectral import lanczos_top_k

from .pipeline import Network, curv_data, eigh_desc, layer_stats

ETA = 5e-4
"""Weight decay of the paper's training (App. D.1), the eta of Sec. 7.13."""


def _svals(W: torch.Tensor) -> np.ndarray:
    return torch.linalg.svdvals(W).numpy()


def layer_spectra(p: dict, net: Network) -> dict:
    """Eigenvalues / singular values per hidden layer (keys ``<what>_<l>``, descending). Cached."""
    key = {"net": net.trained.config.key_config(), "what": "layers", "version": 1}

    def compute() -> dict:
        st = layer_stats(net)
        L = len(st) - 1
        out: dict[str, np.ndarray] = {"L": np.array(L)}
        for l in range(1, L + 1):
            f, e = st[l], st[l - 1]  # features = input of linear l+1; errors = output of linear l
            out[f"H_{l}"] = eigh_desc(f.H)
            out[f"Hko_{l}"] = eigh_desc(project_out(f.H, f.h_c.T))
            out[f"HkoG_{l}"] = eigh_desc(project_out(f.H, f.h_global[:, None]))
            out[f"Hclass_{l}"] = eigh_desc(f.H_class)[:10]
            out[f"D_{l}"] = eigh_desc(e.Delta)
            cls_vecs = e.pieces.class_[0]
            cross_vecs = e.pieces.cross[0]
            out[f"Dko_{l}"] = eigh_desc(project_out(e.Delta, cls_vecs))
            out[f"Dko2_{l}"] = eigh_desc(project_out(e.Delta, torch.cat([cls_vecs, cross_vecs], 1)))
            out[f"Dclass_{l}"] = eigh_desc(e.Delta_class)[:10]
            out[f"Dcc_{l}"] = eigh_desc(e.Delta_class + e.Delta_cross)[:100]
            W, Wc = e.weight, e.weight_class(ETA)
            out[f"W_{l}"] = _svals(W)
            out[f"Wko_{l}"] = _svals(project_out_rect(W, Wc))
            out[f"Wclass_{l}"] = _svals(Wc)[:10]
            out[f"Wstat_{l}"] = np.array(float(torch.linalg.norm(W - e.stationary_weight(ETA)) / torch.linalg.norm(W)))
            out[f"Wclassrel_{l}"] = np.array(float(torch.linalg.norm(W - Wc) / torch.linalg.norm(W)))
        return out

    return cached("papyan-layers", key, compute)


def subset(net: Network, n_per_class: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The first ``n_per_class`` training images of each class (deterministic)."""
    y = net.train.y
    idx = torch.cat([torch.nonzero(y == c).flatten()[:n_per_class] for c in range(10)])
    return net.train.X[idx], y[idx]


def feature_basis(h: torch.Tensor, rtol: float = 1e-10) -> torch.Tensor | None:
    """An orthonormal basis ``(d_in, r)`` of the span of the feature rows ``h`` ``(n, d_in)``, or
    None when they span the whole space (``r = d_in``): every ``H_c`` of the subset lives in it."""
    U, s, _ = torch.linalg.svd(h.T.to(torch.float64), full_matrices=False)
    r = int((s > rtol * s[0]).sum()) if len(s) and float(s[0]) > 0 else 0
    return U[:, :r] if r < h.shape[1] else None


def kfac_spectra(p: dict, net: Network, *, top: int = 120) -> dict:
    """Per linear layer ``l = first..L+1`` (``p["kfac_first_layer"]``, default 1) on ``gram_n`` images
    per class: exact non-zero eigenvalues of ``G^l`` (Gram), KFAC's (all products, top ``top`` kept)
    and CFAC's top ``top`` (Lanczos). Cached.

    CFAC on a subset: ``G^l_CFAC = sum_c f_c H_c ⊗ Δ_c`` with every ``H_c`` in the span ``U`` of the
    subset's features (``r <= n`` directions), so ``sum_c f_c (U^T H_c U) ⊗ Δ_c`` has the same
    non-zero eigenvalues (``U ⊗ I`` has orthonormal columns) at ``(r / d_in)^2`` of the cost; used
    when ``r < d_in`` (the first layer: 784 or 3072 inputs).
    """
    first = int(p.get("kfac_first_layer", 1))
    key = {"net": net.trained.config.key_config(), "what": "kfac", "gram_n": p["gram_n"], "top": top,
           "first": first, "version": 2}

    def compute() -> dict:
        X, y = subset(net, int(p["gram_n"]))
        stats = layer_class_structure(net.model, *curv_data(X, y), 10, batch_size=256)
        out: dict[str, np.ndarray] = {"L": np.array(len(stats))}
        out["first"] = np.array(first)
        for l, st in enumerate(stats, start=1):
            if l < first:
                continue
            h, d, pr = layer_samples(net.model, *curv_data(X, y), 10, st.name, batch_size=256)
            out[f"G_{l}"] = layer_ggn_eigenvalues(h, d, pr)[:top]
            out[f"KFAC_{l}"] = kfac_eigenvalues(st.Delta, st.H)[:top]
            U = feature_basis(h)
            H_c = st.H_c if U is None else torch.einsum("ia,cij,jb->cab", U.to(st.H_c.dtype), st.H_c, U.to(st.H_c.dtype))
            op = CFACOperator(st.Delta_c, H_c, st.frac)
            k = min(top, op.dim - 1)
            r = lanczos_top_k(op, k, num_steps=min(op.dim, 2 * k + 40), tol=1e-5, progress=False)
            out[f"CFAC_{l}"] = r.eigenvalues
            out[f"CFACconv_{l}"] = np.array(bool(r.converged))
            out[f"dims_{l}"] = np.array([st.Delta.shape[0], st.H.shape[0], st.H.shape[0] if U is None else U.shape[1]])
        return out

    return cached("papyan-layers", key, compute)


def log_error(exact: np.ndarray, approx: np.ndarray, k: int) -> float:
    """Mean ``|log lambda_i(exact) - log lambda_i(approx)|`` over the top ``k`` (both descending)."""
    a = np.sort(exact)[::-1][:k]
    b = np.sort(approx)[::-1][:k]
    m = min(len(a), len(b))
    f = 1e-12 * a[0]
    return float(np.mean(np.abs(np.log(np.maximum(a[:m], f)) - np.log(np.maximum(b[:m], f)))))


def kronecker_check(net: Network, *, batch_size: int = 512) -> dict:
    """Sec. 7.12 / Fig. 2: exact layer gradient means ``g^l_c``, ``g^l_{c,c'}`` (as ``(d_out, d_in)``
    matrices) against ``delta_c h_c^T`` and ``delta_{c,c'} h_c^T`` (uniform feature class means).

    Returns per linear layer the mean cosine similarity over classes (and over ``c' != c``), and for
    the last hidden layer the matrices of classes 0-2 for the diagram.
    """
    from dlspectra.curvature import cross_class_means, mean_decomposition
    from dlspectra.curvature.kfac import linear_layers

    stats = layer_stats(net, batch_size=batch_size)
    layers = dict(linear_layers(net.model))
    out: dict[str, object] = {"cos_class": [], "cos_cross": []}
    for st in stats:
        W = layers[st.name].weight
        means, w, _ = cross_class_means(net.model, *curv_data(net.train.X, net.train.y), 10, params=[W], batch_size=batch_size)
        means = means.to(torch.float64).cpu()
        gc = mean_decomposition(means, w.to(torch.float64).cpu()).class_means.reshape(10, *W.shape)
        dc = st.pieces.class_means  # (C, d_out): delta_c
        approx_c = torch.einsum("ci,cj->cij", dc, st.h_c)
        approx_cc = torch.einsum("cki,cj->ckij", st.delta_means, st.h_c)
        exact_cc = means.reshape(10, 10, *W.shape)

        def cos(a, b):
            a, b = a.reshape(a.shape[0], -1) if a.ndim == 3 else a.reshape(-1, a.shape[-2] * a.shape[-1]), \
                b.reshape(b.shape[0], -1) if b.ndim == 3 else b.reshape(-1, b.shape[-2] * b.shape[-1])
            return float(torch.nn.functional.cosine_similarity(a, b, dim=1).mean())

        off = ~torch.eye(10, dtype=torch.bool)
        out["cos_class"].append(cos(gc, approx_c))
        out["cos_cross"].append(cos(exact_cc[off], approx_cc[off]))
        if st is stats[-2]:  # last hidden layer's weight (input = last hidden features)
            out["example"] = {"h_c": st.h_c[:3].numpy(), "delta_c": dc[:3].numpy(), "g_c": gc[:3].numpy(),
                              "approx": approx_c[:3].numpy(), "name": st.name}
    return out
