"""Per-layer class structure of features ``H^l``, back-propagated errors ``Delta^l`` and weights
``W^l``, and the KFAC / class-wise CFAC approximations of each layer's ``G^l`` (Papyan Sec. 7).

For a linear layer ``z = W h`` (``W`` of shape ``(d_out, d_in)``, no bias assumed by the Kronecker
identity) inside a classifier, with ``h_{i}`` its input (the previous layer's feature, ``d_in``)
and ``delta_{i,c'} = d loss(f(x_i), c') / d z_i = K_i^T (p_i - e_{c'})`` (``d_out``):

* ``H = Ave_i h h^T = H_class + H_within``, ``H_class = sum_c (n_c/n) h_c h_c^T``, ``H_c = Ave_{i in c} h h^T``;
* ``Delta = sum_{i,c'} w_{i,c'} delta delta^T`` (``w = p/n``), with the same class / cross / within /
  c=c' pieces as ``G`` (:func:`~dlspectra.curvature.class_structure.mean_decomposition`) and
  ``Delta_c = (1/n_c) sum_{i in c, c'} p_{i,c'} delta delta^T`` (so ``Delta = sum_c (n_c/n) Delta_c``);
* ``G^l`` = the ``W`` block of ``G``: ``sum_{i,c'} w (delta delta^T) ⊗ (h h^T)`` in the row-major
  flattening of ``W`` (``W.reshape(-1)``), the order :class:`GGNOperator` uses;
* ``KFAC = Delta ⊗ H`` (product ``V -> Delta V H``; eigenvalues all products ``lambda_a(Delta) lambda_b(H)``),
  ``CFAC = sum_c (n_c/n) Delta_c ⊗ H_c`` (``V -> sum_c (n_c/n) Delta_c V H_c``);
* ``W_class = -(1/eta) sum_c (n_c/n) delta_{c,c} h_c^T`` with actual-label error means
  ``delta_{c,c} = Ave_{i in c} delta_{i,c,c}`` (Sec. 7.13; ``eta`` = weight decay).

Errors for all ``C`` cross-classes come from one backward pass per batch with
``is_grads_batched=True`` (``vmap`` over ``c'``); features and errors are accumulated batch by
batch, so memory is ``O(C d^2)`` per layer, independent of ``n``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import torch
from torch import nn

from .base import CurvatureOperator, check_finite
from dlspectra.errors import UsageError

from .class_structure import ClassStructureError, MeanPieces, classification_data, mean_decomposition

__all__ = ["LayerStats", "layer_class_structure", "layer_samples", "layer_ggn_eigenvalues", "KFACOperator", "CFACOperator",
           "kfac_eigenvalues", "project_out", "project_out_rect", "linear_layers"]


def linear_layers(model: nn.Module) -> list[tuple[str, nn.Linear]]:
    """Every ``nn.Linear`` of ``model`` (name, module), in forward-registration order."""
    return [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Linear)]


@dataclass
class LayerStats:
    """Class structure of one linear layer (all matrices float64 on CPU).

    ``H`` ``(d_in, d_in)``, ``H_c`` ``(C, d_in, d_in)``, ``h_c`` ``(C, d_in)``; ``Delta``
    ``(d_out, d_out)``, ``Delta_c`` ``(C, d_out, d_out)``, ``delta_means`` ``(C, C, d_out)``
    (``delta_{c,c'}``), ``w`` ``(C, C)``; ``delta_same`` ``(C, d_out)`` (``delta_{c,c}``, uniform);
    ``grad_weight_mean`` ``(d_out, d_in)`` = ``Ave_i delta_{i,y_i} h_i^T`` (the loss gradient);
    ``counts`` ``(C,)``; ``weight`` the layer's ``W`` ``(d_out, d_in)``.
    """

    name: str
    H: torch.Tensor
    H_c: torch.Tensor
    h_c: torch.Tensor
    Delta: torch.Tensor
    Delta_c: torch.Tensor
    delta_means: torch.Tensor
    w: torch.Tensor
    delta_same: torch.Tensor
    grad_weight_mean: torch.Tensor
    counts: torch.Tensor
    weight: torch.Tensor
    pieces: MeanPieces = field(init=False)

    def __post_init__(self) -> None:
        self.pieces = mean_decomposition(self.delta_means, self.w)

    @property
    def frac(self) -> torch.Tensor:
        """Class fractions ``n_c / n`` ``(C,)``."""
        return self.counts.to(torch.float64) / self.counts.sum()

    @property
    def h_global(self) -> torch.Tensor:
        """``h_G = sum_c (n_c/n) h_c`` ``(d_in,)``."""
        return self.frac @ self.h_c

    @property
    def H_class(self) -> torch.Tensor:
        """``sum_c (n_c/n) h_c h_c^T`` (uncentred, rank <= C)."""
        return (self.h_c.T * self.frac) @ self.h_c

    @property
    def H_within(self) -> torch.Tensor:
        return self.H - self.H_class

    def _lowrank(self, piece: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        V, wt = piece
        return (V * wt) @ V.T

    @property
    def Delta_class(self) -> torch.Tensor:
        return self._lowrank(self.pieces.class_)

    @property
    def Delta_cross(self) -> torch.Tensor:
        return self._lowrank(self.pieces.cross)

    @property
    def Delta_same(self) -> torch.Tensor:
        return self._lowrank(self.pieces.same)

    @property
    def Delta_within(self) -> torch.Tensor:
        return self.Delta - self._lowrank(self.pieces.between)

    def weight_class(self, eta: float) -> torch.Tensor:
        """``W_class = -(1/eta) sum_c (n_c/n) delta_{c,c} h_c^T`` ``(d_out, d_in)``."""
        if eta <= 0:
            raise ValueError(f"eta (weight decay) must be > 0, got {eta}")
        return -(self.delta_same.T * self.frac) @ self.h_c / eta

    def stationary_weight(self, eta: float) -> torch.Tensor:
        """``-(1/eta) Ave_i delta_{i,y_i} h_i^T``: ``W`` at a stationary point of loss + (eta/2)||W||^2."""
        return -self.grad_weight_mean / eta


def _accumulators(C: int, d_in: int, d_out: int) -> dict[str, torch.Tensor]:
    z = lambda *s: torch.zeros(*s, dtype=torch.float64)  # noqa: E731
    return {"H_c": z(C, d_in, d_in), "hsum": z(C, d_in), "Delta_c": z(C, d_out, d_out),
            "dnum": z(C, C, d_out), "w": z(C, C), "dsame": z(C, d_out), "gW": z(d_out, d_in)}


def layer_class_structure(
    model: nn.Module, data, num_classes: int | None = None, *,
    layers: Sequence[str] | None = None, batch_size: int = 256, progress: bool = False,
) -> list[LayerStats]:
    """:class:`LayerStats` of the linear layers named in ``layers`` (default: all ``nn.Linear``).

    Parameters
    ----------
    model : torch.nn.Module
        A classifier in eval mode.
    data : DataLoader, iterable of (X, y) batches, or one (X, y) pair
        The samples (:mod:`dlspectra.curvature.inputs`); integer labels covering every class.
    num_classes : int, optional
        ``C`` (default: the model's output width).
    layers : sequence of str, optional
        Names of ``nn.Linear`` modules.
    batch_size : int
        Samples per backward pass.
    progress : bool
        A bar over the batches.

    Returns
    -------
    list of LayerStats

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(4, 5, bias=False), nn.ReLU(), nn.Linear(5, 3, bias=False)).eval()
    >>> stats = layer_class_structure(model, (torch.randn(30, 4), torch.arange(30) % 3))
    >>> [(st.name, tuple(st.H.shape), tuple(st.Delta.shape)) for st in stats]
    [('0', (4, 4), (5, 5)), ('2', (5, 5), (3, 3))]

    Raises
    ------
    dlspectra.errors.UsageError, ClassStructureError
        As :func:`~dlspectra.curvature.classification_data`, or a name that is not a linear layer.
    """
    X, y, C = classification_data(model, data, num_classes)
    counts = torch.bincount(y.long().cpu(), minlength=C)
    named = dict(linear_layers(model))
    names = list(named) if layers is None else list(layers)
    for n in names:
        if n not in named:
            raise UsageError(f"{n!r} is not a linear layer of the model; linear layers: {list(named)}")
    dev = X.device
    n_all = len(X)
    acc = {n: _accumulators(C, named[n].in_features, named[n].out_features) for n in names}
    eye = torch.eye(C, device=dev)
    starts = range(0, n_all, batch_size)
    if progress:
        from ..progress import tqdm
        starts = tqdm(starts, desc="layer class structure", unit="batch", leave=False)
    for s in starts:
        Xb, yb = X[s:s + batch_size], y[s:s + batch_size]
        ins, grads, p = _layer_batch(model, Xb, names, named, eye)
        pd = p.to(torch.float64).cpu()
        ycpu = yb.cpu()
        for n, D, hin in zip(names, grads, ins):
            a = acc[n]
            h = hin.reshape(len(Xb), -1).to(torch.float64).cpu()
            D = D.to(torch.float64).cpu()  # (C', nb, d_out)
            check_finite(D, f"back-propagated errors of layer {n}")
            Dw = D * pd.T[:, :, None].sqrt()
            own = D[ycpu, torch.arange(len(Xb))]  # (nb, d_out): delta_{i,y_i}
            a["gW"] += own.T @ h
            for c in torch.unique(ycpu).tolist():
                m = ycpu == c
                hc = h[m]
                a["H_c"][c] += hc.T @ hc
                a["hsum"][c] += hc.sum(0)
                Dc = Dw[:, m].reshape(-1, D.shape[-1])
                a["Delta_c"][c] += Dc.T @ Dc
                a["dnum"][c] += torch.einsum("kn,knd->kd", pd[m].T, D[:, m])
                a["w"][c] += pd[m].sum(0)
                a["dsame"][c] += D[c, m].sum(0)
    out = []
    cnt = counts.to(torch.float64)
    for n in names:
        a = acc[n]
        if bool((a["w"] <= 0).any()):
            raise ClassStructureError(f"layer {n}: a cross-class weight w_(c,c') is zero")
        H_c = a["H_c"] / cnt[:, None, None]
        Delta_c = a["Delta_c"] / cnt[:, None, None]
        frac = cnt / cnt.sum()
        out.append(LayerStats(
            name=n, H=torch.einsum("c,cij->ij", frac, H_c), H_c=H_c, h_c=a["hsum"] / cnt[:, None],
            Delta=torch.einsum("c,cij->ij", frac, Delta_c), Delta_c=Delta_c,
            delta_means=a["dnum"] / a["w"][:, :, None], w=a["w"] / n_all,
            delta_same=a["dsame"] / cnt[:, None], grad_weight_mean=a["gW"] / n_all, counts=counts.clone(),
            weight=named[n].weight.detach().to(torch.float64).cpu().clone()))
    return out



def _layer_batch(model, Xb, names, named, eye):
    """Inputs ``h`` of the named linear layers, errors ``delta`` ``(C', nb, d_out)`` for every
    cross-class (one batched backward pass) and probabilities ``(nb, C)``."""
    ins, outs = {}, {}

    def hook(module, inputs, output, n):
        ins[n], outs[n] = inputs[0].detach(), output  # returns None: the output is unchanged

    hooks = [named[n].register_forward_hook(lambda m, i, o, n=n: hook(m, i, o, n)) for n in names]
    try:
        with torch.enable_grad():
            logits = model(Xb)
            check_finite(logits, "model outputs (logits)")
            p = torch.softmax(logits.detach(), 1)
            U = p[None] - eye[:, None, :].to(p.dtype)  # (C', nb, C)
            grads = torch.autograd.grad(logits, [outs[n] for n in names], grad_outputs=U,
                                        is_grads_batched=True)
    finally:
        for h in hooks:
            h.remove()
    return [ins[n] for n in names], grads, p


def layer_samples(model: nn.Module, data, num_classes: int | None, layer: str, *,
                  batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-sample input features ``h`` ``(n, d_in)``, errors ``delta`` ``(n, C', d_out)`` and
    probabilities ``p`` ``(n, C)`` of one linear layer (float64, CPU).  Memory ``n C d_out``.
    Arguments as :func:`layer_class_structure` (``layer``: one ``nn.Linear``'s name)."""
    X, _, num_classes = classification_data(model, data, num_classes)
    named = dict(linear_layers(model))
    if layer not in named:
        raise UsageError(f"{layer!r} is not a linear layer of the model; linear layers: {list(named)}")
    dev = X.device
    eye = torch.eye(num_classes, device=dev)
    hs, ds, ps = [], [], []
    for s in range(0, len(X), batch_size):
        (h,), (D,), p = _layer_batch(model, X[s:s + batch_size].to(dev), [layer], named, eye)
        hs.append(h.reshape(len(h), -1).to(torch.float64).cpu())
        ds.append(D.transpose(0, 1).to(torch.float64).cpu())
        ps.append(p.to(torch.float64).cpu())
    return torch.cat(hs), torch.cat(ds), torch.cat(ps)


def layer_ggn_eigenvalues(h: torch.Tensor, delta: torch.Tensor, p: torch.Tensor) -> np.ndarray:
    """Exact non-zero spectrum of a layer's ``G^l = sum_{i,c'} (p_{i,c'}/n) (delta delta^T) ⊗ (h h^T)``
    from the ``(nC, nC)`` Gram matrix ``sqrt(w_a w_b) (delta_a . delta_b)(h_a . h_b)``; descending."""
    n, C, _ = delta.shape
    D = delta.reshape(n * C, -1)
    Hh = h.repeat_interleave(C, dim=0)
    sw = (p.reshape(-1) / n).sqrt()
    gram = (D @ D.T) * (Hh @ Hh.T) * sw[:, None] * sw[None, :]
    return np.sort(torch.linalg.eigvalsh(gram).clamp_min(0).numpy())[::-1]

class KFACOperator(CurvatureOperator):
    """KFAC's approximation ``Delta ⊗ H`` of a linear layer's ``G^l`` (Papyan 2020, Sec. 7.4).

    Acts on ``vec(W)`` (row-major, ``(d_out, d_in)``): ``V -> Delta V H``.

    Parameters
    ----------
    Delta : torch.Tensor
        ``(d_out, d_out)``, the second moment of the back-propagated errors (``LayerStats.Delta``).
    H : torch.Tensor
        ``(d_in, d_in)``, the second moment of the layer's inputs (``LayerStats.H``).

    Raises
    ------
    dlspectra.errors.SpectrumError
        NaN or infinite entries.

    Examples
    --------
    >>> import torch
    >>> K = KFACOperator(torch.diag(torch.tensor([2.0, 1.0])), torch.eye(3))
    >>> K.dim, K.matvec(torch.ones(6)).tolist()
    (6, [2.0, 2.0, 2.0, 1.0, 1.0, 1.0])
    """

    def __init__(self, Delta: torch.Tensor, H: torch.Tensor) -> None:
        check_finite(Delta, "Delta")
        check_finite(H, "H")
        super().__init__(Delta.shape[0] * H.shape[0], Delta.device, Delta.dtype)
        self.Delta, self.H = Delta, H.to(Delta.dtype)

    def _matmat(self, X: torch.Tensor) -> torch.Tensor:
        do, di = self.Delta.shape[0], self.H.shape[0]
        V = X.T.reshape(-1, do, di)
        return (self.Delta @ V @ self.H).reshape(-1, do * di).T

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return self._matmat(v[:, None])[:, 0]


class CFACOperator(CurvatureOperator):
    """The class-wise approximation ``sum_c f_c Delta_c ⊗ H_c`` of a layer's ``G^l`` (Papyan 2020, Sec. 7.4).

    Acts on ``vec(W)`` (row-major): ``V -> sum_c f_c Delta_c V H_c``.

    Parameters
    ----------
    Delta_c : torch.Tensor
        ``(C, d_out, d_out)``, per-class error second moments (``LayerStats.Delta_c``).
    H_c : torch.Tensor
        ``(C, d_in, d_in)``, per-class feature second moments (``LayerStats.H_c``).
    frac : torch.Tensor
        ``(C,)`` class fractions ``n_c / n``.

    Raises
    ------
    dlspectra.errors.SpectrumError
        NaN or infinite entries.

    Examples
    --------
    >>> import torch
    >>> op = CFACOperator(torch.eye(2).repeat(3, 1, 1), torch.eye(2).repeat(3, 1, 1), torch.full((3,), 1 / 3))
    >>> op.matvec(torch.ones(4)).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    def __init__(self, Delta_c: torch.Tensor, H_c: torch.Tensor, frac: torch.Tensor) -> None:
        check_finite(Delta_c, "Delta_c")
        check_finite(H_c, "H_c")
        super().__init__(Delta_c.shape[1] * H_c.shape[1], Delta_c.device, Delta_c.dtype)
        self.Delta_c, self.H_c = Delta_c, H_c.to(Delta_c.dtype)
        self.frac = frac.to(Delta_c.dtype)

    def _matmat(self, X: torch.Tensor) -> torch.Tensor:
        do, di = self.Delta_c.shape[1], self.H_c.shape[1]
        V = X.T.reshape(-1, 1, do, di)  # (m, 1, do, di)
        out = torch.einsum("c,mcij->mij", self.frac, self.Delta_c[None] @ V @ self.H_c[None])
        return out.reshape(-1, do * di).T

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return self._matmat(v[:, None])[:, 0]


def kfac_eigenvalues(Delta: torch.Tensor, H: torch.Tensor) -> np.ndarray:
    """All ``d_out d_in`` eigenvalues of ``Delta ⊗ H``, descending (products of the factors' eigenvalues)."""
    a = torch.linalg.eigvalsh(Delta.to(torch.float64)).cpu().numpy()
    b = torch.linalg.eigvalsh(H.to(torch.float64)).cpu().numpy()
    return np.sort(np.outer(a, b).ravel())[::-1]


def project_out(A: torch.Tensor, vectors: torch.Tensor, rtol: float = 1e-10) -> torch.Tensor:
    """``(I - Q Q^T) A (I - Q Q^T)``, ``Q`` an orthonormal basis of the columns of ``vectors`` ``(d, k)``."""
    from .class_structure import orthonormal_basis

    Q = orthonormal_basis(vectors.to(A.dtype), rtol)
    P = torch.eye(A.shape[0], dtype=A.dtype, device=A.device) - Q @ Q.T
    return P @ A @ P


def project_out_rect(W: torch.Tensor, B: torch.Tensor, rtol: float = 1e-10) -> torch.Tensor:
    """Non-square projection knockout ``(I - U U^T) W (I - V V^T)``, ``U``, ``V`` the left/right
    singular vectors of ``B`` with singular values above ``rtol * s_max``."""
    U, s, Vh = torch.linalg.svd(B.to(W.dtype), full_matrices=False)
    keep = s > rtol * s[0] if len(s) and float(s[0]) > 0 else s > 0
    U, V = U[:, keep], Vh[keep].T
    return (W - U @ (U.T @ W)) - (W - U @ (U.T @ W)) @ V @ V.T
