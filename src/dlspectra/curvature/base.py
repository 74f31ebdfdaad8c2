"""Base class of the curvature operators, the dense wrapper, and small helpers.

Every operator acts on *flat* parameter vectors of length ``dim`` (the number of selected
parameters).  Products are done in the operator's ``dtype`` on its ``device``; inputs of another
dtype or device are converted first, so a float64 Lanczos basis can be fed to a float32 model.
"""

from __future__ import annotations

import time
import warnings
from contextlib import contextmanager
from typing import Iterable, Sequence

import numpy as np
import torch
from torch import nn

from dlspectra import budget
from dlspectra.errors import SpectrumError, UsageError

__all__ = [
    "CurvatureOperator",
    "DenseOperator",
    "ProjectedOperator",
    "SpectrumError",
    "check_eval_mode",
    "check_finite",
    "flat_params",
    "quiet_torch_func",
    "select_params",
]


@contextmanager
def quiet_torch_func():
    """Silence torch's own deprecation notice of ``torch.jit.script``, which ``torch.func`` prints
    (as a ``FutureWarning``) the first time a forward-mode derivative is traced in a process."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*torch\.jit\.script.*", category=FutureWarning)
        yield


_STOCHASTIC_MODULES = (nn.modules.batchnorm._BatchNorm, nn.modules.dropout._DropoutNd, nn.Dropout)


def check_eval_mode(model: nn.Module) -> None:
    """Refuse a model whose curvature would not be a fixed matrix.

    Curvature is that of the model in eval mode: BatchNorm uses its running statistics and Dropout
    is off (Papyan 2020, App. D.3), so every product is the same deterministic matrix.

    Parameters
    ----------
    model : torch.nn.Module
        The model to check.

    Returns
    -------
    None

    Raises
    ------
    dlspectra.errors.UsageError
        A BatchNorm or Dropout module is in training mode (the fix: ``model.eval()``), or a
        BatchNorm layer has no running statistics (``track_running_stats=False``: it normalises
        with each batch's own statistics even in eval mode).

    Warns
    -----
    UserWarning
        The model is in training mode but has no such module (the curvature is unaffected).

    Examples
    --------
    >>> from torch import nn
    >>> check_eval_mode(nn.Sequential(nn.Linear(2, 2), nn.Dropout()).eval())
    """
    bad = [n or type(m).__name__ for n, m in model.named_modules()
           if isinstance(m, _STOCHASTIC_MODULES) and m.training]
    if bad:
        raise UsageError(
            "curvature needs the model in eval mode (BatchNorm uses running statistics, Dropout off); "
            f"modules in training mode: {bad[:5]}. Call model.eval() first.")
    no_stats = [n or type(m).__name__ for n, m in model.named_modules()
                if isinstance(m, nn.modules.batchnorm._BatchNorm)
                and (not m.track_running_stats or m.running_mean is None or m.running_var is None)]
    if no_stats:
        raise UsageError(
            "curvature needs BatchNorm layers with running statistics: in eval mode a "
            "BatchNorm built with track_running_stats=False normalises with each batch's own "
            f"statistics, so the products would depend on the batching; such layers: {no_stats[:5]}. "
            "Use running statistics (track_running_stats=True, estimated on the training data) or "
            "a per-sample normalisation (LayerNorm, GroupNorm).")
    if model.training:
        warnings.warn("model is in training mode; call model.eval() (no BatchNorm/Dropout found, "
                      "so the curvature is unaffected)", stacklevel=3)


def check_finite(x: torch.Tensor | np.ndarray, what: str) -> None:
    """Raise :class:`SpectrumError` (a ``ValueError``) naming ``what`` if ``x`` has NaN or Inf."""
    ok = bool(torch.isfinite(x).all()) if isinstance(x, torch.Tensor) else bool(np.isfinite(x).all())
    if not ok:
        raise SpectrumError(f"{what} contains NaN or infinite values")


class CurvatureOperator:
    """A symmetric linear operator on flat parameter vectors: the base of every curvature matrix.

    Parameters
    ----------
    dim : int
        Size of the (square) operator, i.e. the number of parameters.
    device : torch.device or str
        Where the products are computed; results live there.
    dtype : torch.dtype
        The dtype in which products are computed and returned.

    Attributes
    ----------
    num_matvecs : int
        Number of operator-vector products done so far (a matmat with ``m`` columns counts ``m``).

    Notes
    -----
    Subclasses implement ``_matvec`` (one vector in ``self.dtype`` on ``self.device``) and may
    override ``_matmat``. Inputs of another dtype or device are converted; a NaN or infinite input
    or product raises :class:`~dlspectra.errors.SpectrumError`.

    Examples
    --------
    >>> import torch
    >>> class Twice(CurvatureOperator):
    ...     def _matvec(self, v):
    ...         return 2 * v
    >>> op = Twice(3, "cpu", torch.float64)
    >>> (op @ torch.ones(3)).tolist(), op.num_matvecs
    ([2.0, 2.0, 2.0], 1)
    """

    dim: int
    device: torch.device
    dtype: torch.dtype
    num_matvecs: int

    def __init__(self, dim: int, device: torch.device | str, dtype: torch.dtype) -> None:
        self.dim = int(dim)
        self.device = torch.device(device)
        self.dtype = dtype
        self.num_matvecs = 0

    # -- to implement -------------------------------------------------------------------------
    def _matvec(self, v: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def _matmat(self, V: torch.Tensor) -> torch.Tensor:
        return torch.stack([self._matvec(V[:, j]) for j in range(V.shape[1])], dim=1)

    # -- public API ---------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        """``(dim, dim)``."""
        return (self.dim, self.dim)

    def _prepare(self, x: torch.Tensor, ndim: int) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            x = torch.as_tensor(np.asarray(x))
        if x.ndim != ndim or x.shape[0] != self.dim:
            want = "(dim,)" if ndim == 1 else "(dim, m)"
            raise UsageError(
                f"{type(self).__name__}: expected a tensor of shape {want} with dim={self.dim}, "
                f"got {tuple(x.shape)}"
            )
        x = x.to(device=self.device, dtype=self.dtype)
        check_finite(x, f"input vector of {type(self).__name__}")
        return x

    def matvec(self, v: torch.Tensor) -> torch.Tensor:
        """Return ``A @ v``; ``v`` of shape ``(dim,)`` -> ``(dim,)`` in ``self.dtype`` on ``self.device``."""
        v = self._prepare(v, 1)
        t0 = time.perf_counter()
        with torch.enable_grad(), quiet_torch_func():  # model operators differentiate, even under no_grad
            out = self._matvec(v).detach()
        self.num_matvecs += 1
        budget.record_products(type(self).__name__, 1, time.perf_counter() - t0, dim=self.dim,
                               samples=getattr(self, "num_data", None), operator_id=id(self))
        check_finite(out, f"product of {type(self).__name__} with a vector")
        return out

    def matmat(self, V: torch.Tensor) -> torch.Tensor:
        """Return ``A @ V``; ``V`` of shape ``(dim, m)`` -> ``(dim, m)``."""
        V = self._prepare(V, 2)
        t0 = time.perf_counter()
        with torch.enable_grad(), quiet_torch_func():
            out = self._matmat(V).detach()
        self.num_matvecs += V.shape[1]
        budget.record_products(type(self).__name__, V.shape[1], time.perf_counter() - t0, dim=self.dim,
                               samples=getattr(self, "num_data", None), operator_id=id(self))
        check_finite(out, f"product of {type(self).__name__} with a matrix")
        return out

    def __matmul__(self, x: torch.Tensor) -> torch.Tensor:
        return self.matvec(x) if x.ndim == 1 else self.matmat(x)

    def to_scipy(self):
        """A ``scipy.sparse.linalg.LinearOperator`` (float64 numpy in and out) wrapping this operator."""
        from scipy.sparse.linalg import LinearOperator

        def mv(x: np.ndarray) -> np.ndarray:
            x = np.asarray(x, dtype=np.float64).reshape(-1)
            return self.matvec(torch.from_numpy(x)).detach().to("cpu", torch.float64).numpy()

        def mm(X: np.ndarray) -> np.ndarray:
            X = np.asarray(X, dtype=np.float64)
            return self.matmat(torch.from_numpy(X)).detach().to("cpu", torch.float64).numpy()

        return LinearOperator(
            shape=self.shape, dtype=np.float64, matvec=mv, rmatvec=mv, matmat=mm, rmatmat=mm
        )

    def to_dense(self, chunk_size: int = 256) -> torch.Tensor:
        """The full ``(dim, dim)`` matrix, column block by column block (for small operators only)."""
        cols = []
        for start in range(0, self.dim, chunk_size):
            stop = min(start + chunk_size, self.dim)
            E = torch.zeros(self.dim, stop - start, device=self.device, dtype=self.dtype)
            E[torch.arange(start, stop), torch.arange(stop - start)] = 1
            cols.append(self.matmat(E))
        return torch.cat(cols, dim=1)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self.dim}, device={self.device}, dtype={self.dtype})"


class DenseOperator(CurvatureOperator):
    """Wrap a dense symmetric matrix as a :class:`CurvatureOperator`.

    Products are done in the matrix's dtype on its device; an integer or boolean matrix is
    converted to float64 first (products in its own dtype would truncate every vector to integers).

    Parameters
    ----------
    matrix : torch.Tensor or numpy.ndarray
        Square ``(n, n)``, real, symmetric.
    check_symmetric : bool
        Refuse a matrix with ``max |A - A^T| > 1e-6 max |A|``.

    Raises
    ------
    TypeError
        A complex matrix.
    dlspectra.errors.UsageError
        Not square, or not symmetric.
    dlspectra.errors.SpectrumError
        NaN or infinite entries.

    Examples
    --------
    >>> import torch
    >>> DenseOperator(torch.diag(torch.tensor([1.0, 2.0]))).matvec(torch.ones(2)).tolist()
    [1.0, 2.0]
    """

    def __init__(self, matrix: torch.Tensor | np.ndarray, *, check_symmetric: bool = True) -> None:
        if not isinstance(matrix, torch.Tensor):
            matrix = torch.as_tensor(np.asarray(matrix))
        if matrix.is_complex():
            raise TypeError(f"DenseOperator needs a real symmetric matrix, got dtype {matrix.dtype}")
        if not matrix.is_floating_point():  # int / bool: compute in float64
            matrix = matrix.to(torch.float64)
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise UsageError(f"DenseOperator needs a square matrix, got shape {tuple(matrix.shape)}")
        check_finite(matrix, "matrix given to DenseOperator")
        if check_symmetric:
            scale = float(matrix.abs().max()) or 1.0
            asym = float((matrix - matrix.T).abs().max())
            if asym > 1e-6 * scale:
                raise UsageError(f"DenseOperator: matrix is not symmetric (max |A - A^T| = {asym:.3g})")
        super().__init__(matrix.shape[0], matrix.device, matrix.dtype)
        self.matrix = matrix

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return self.matrix @ v

    def _matmat(self, V: torch.Tensor) -> torch.Tensor:
        return self.matrix @ V


class ProjectedOperator(CurvatureOperator):
    """``(I - Q Q^T) A (I - Q Q^T)`` for an orthonormal block ``Q`` ``(dim, r)``.

    Papyan's projection knock-out ``A ⦀ B`` (Sec. 3; ``Q`` an orthonormal basis of ``B``'s column
    space) and the deflation of the top-C outliers before a bulk density (Fig. 17).

    Parameters
    ----------
    op : CurvatureOperator, object with matvec/dim/device/dtype, or a dense symmetric matrix
        The operator ``A``.
    Q : torch.Tensor
        ``(dim, r)`` with orthonormal columns (cast to ``op``'s dtype and device).

    Raises
    ------
    dlspectra.errors.UsageError
        ``Q`` is not ``(dim, r)``.

    Examples
    --------
    >>> import torch
    >>> P = ProjectedOperator(torch.diag(torch.tensor([3.0, 2.0, 1.0])), torch.eye(3)[:, :1])
    >>> P.matvec(torch.ones(3)).tolist()
    [0.0, 2.0, 1.0]
    """

    def __init__(self, op, Q: torch.Tensor) -> None:
        if isinstance(op, (torch.Tensor, np.ndarray)):
            op = DenseOperator(op)
        if Q.ndim != 2 or Q.shape[0] != op.dim:
            raise UsageError(f"Q must be (dim={op.dim}, r), got {tuple(Q.shape)}")
        super().__init__(op.dim, op.device, op.dtype)
        self.op = op
        self.Q = Q.to(device=op.device, dtype=op.dtype)

    def _project(self, x: torch.Tensor) -> torch.Tensor:
        return x - self.Q @ (self.Q.T @ x)

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return self._project(self.op.matvec(self._project(v)).to(self.dtype))

    def _matmat(self, X: torch.Tensor) -> torch.Tensor:
        if not hasattr(self.op, "matmat"):
            return super()._matmat(X)
        return self._project(self.op.matmat(self._project(X)).to(self.dtype))


def select_params(
    model: nn.Module, params: Iterable[torch.Tensor] | Iterable[str] | None = None
) -> tuple[list[str], list[torch.Tensor]]:
    """Names and tensors of the parameters an operator acts on (a parameter block).

    Parameters
    ----------
    model : torch.nn.Module
        The model.
    params : iterable of tensors or str, optional
        Parameters of ``model`` (tensors) or their names (``model.named_parameters()``); default every
        parameter with ``requires_grad``.

    Returns
    -------
    tuple
        ``(names, tensors)`` in the model's order, without repeats.

    Raises
    ------
    dlspectra.errors.UsageError
        An unknown name, a tensor that is not a parameter of ``model``, or an empty selection.

    Examples
    --------
    >>> from torch import nn
    >>> names, _ = select_params(nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)), ["1.weight"])
    >>> names
    ['1.weight']
    """
    named = list(model.named_parameters())
    if params is None:
        sel = [(n, p) for n, p in named if p.requires_grad]
    else:
        params = list(params)
        by_id = {id(p): n for n, p in named}
        by_name = dict(named)
        sel = []
        for p in params:
            if isinstance(p, str):
                if p not in by_name:
                    raise UsageError(f"model has no parameter named {p!r}")
                sel.append((p, by_name[p]))
            elif id(p) in by_id:
                sel.append((by_id[id(p)], p))
            else:
                raise UsageError("params must be parameters of the model (or their names)")
        order = {n: i for i, (n, _) in enumerate(named)}
        sel = sorted(dict(sel).items(), key=lambda item: order[item[0]])  # model order, no repeats
    if not sel:
        raise UsageError("no parameters selected (none requires grad?)")
    return [n for n, _ in sel], [p for _, p in sel]


def flat_params(model: nn.Module, params: Sequence[torch.Tensor] | Sequence[str] | None = None) -> torch.Tensor:
    """The selected parameters concatenated into one detached flat vector of shape ``(dim,)``.

    The order is that of ``model.named_parameters()`` restricted to the selection (the order every
    operator of :mod:`dlspectra.curvature` uses).

    Parameters
    ----------
    model : torch.nn.Module
        The model.
    params : sequence of tensors or str, optional
        As :func:`select_params`.

    Returns
    -------
    torch.Tensor
        ``(dim,)``, on the parameters' device.

    Raises
    ------
    dlspectra.errors.UsageError
        As :func:`select_params`.

    Examples
    --------
    >>> from torch import nn
    >>> flat_params(nn.Linear(3, 2)).shape
    torch.Size([8])
    """
    _, ps = select_params(model, params)
    return torch.cat([p.detach().reshape(-1) for p in ps])
