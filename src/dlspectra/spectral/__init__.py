"""Eigen-solvers and spectral densities for :mod:`dlspectra.curvature` operators.

* :func:`lanczos_top_k` -- top-k by Lanczos with full reorthogonalisation (float64 basis),
* :func:`lanczos_restarted` -- top-k by thick-restart Lanczos with locking in a basis of at most
  ``max_basis`` vectors (memory-bounded; ``lanczos_top_k(..., max_basis=...)`` delegates to it),
* :func:`power_iteration_top_k` -- PyHessian-style power iteration with deflation (Xie Fig. 11),
* :func:`subspace_iteration` -- Papyan's top-C outliers (Alg. 5),
* :func:`block_subspace_iteration` -- the top-C block with guard vectors, Rayleigh-Ritz every
  iteration, residual-based convergence and locking,
* :func:`lanczos_density`, :func:`lanczos_log_density` -- Papyan's approximate spectrum and
  log-spectrum (Algs. 2-4, App. C.7),
* :func:`hutchinson_trace`, :func:`slq_trace` -- Tr(A) and Tr f(A).

Every solver accepts a :class:`~dlspectra.curvature.CurvatureOperator`, any object with
``matvec``/``dim``/``device``/``dtype``, or a dense symmetric matrix (wrapped in
:class:`DenseOperator`).
"""

from dlspectra.curvature.base import DenseOperator

from .density import DeflatedOperator, kernel_sigma, lanczos_density, lanczos_log_density, spectrum_bounds
from .lanczos import EigResult, as_operator, lanczos_top_k, lanczos_tridiagonal
from .power import power_iteration_top_k, subspace_iteration
from .restarted import lanczos_restarted
from .subspace import block_subspace_iteration
from .trace import hutchinson_trace, slq_trace

__all__ = [
    "block_subspace_iteration",
    "DeflatedOperator",
    "DenseOperator",
    "EigResult",
    "as_operator",
    "hutchinson_trace",
    "kernel_sigma",
    "lanczos_density",
    "lanczos_log_density",
    "lanczos_restarted",
    "lanczos_top_k",
    "lanczos_tridiagonal",
    "power_iteration_top_k",
    "slq_trace",
    "spectrum_bounds",
    "subspace_iteration",
]
