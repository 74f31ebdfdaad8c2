"""Eigen-solvers, spectral densities and traces for :mod:`dlspectra.curvature` operators.

* :func:`lanczos_top_k` -- top-k by Lanczos with full reorthogonalisation (float64 basis),
* :func:`lanczos_restarted` -- top-k by thick-restart Lanczos with locking in a basis of at most
  ``max_basis`` vectors (memory-bounded),
* :func:`power_iteration_top_k` -- PyHessian-style power iteration with deflation (Xie Fig. 11),
* :func:`subspace_iteration` -- Papyan's top-C outliers (Alg. 5),
* :func:`block_subspace_iteration` -- the top-C block with guard vectors, Rayleigh-Ritz every
  iteration, residual-based convergence and locking,
* :func:`lanczos_density`, :func:`lanczos_log_density` -- Papyan's approximate spectrum and
  log-spectrum (Algs. 2-4, App. C.7),
* :func:`hutchinson_trace`, :func:`hutchpp_trace`, :func:`slq_trace` -- Tr(A) and Tr f(A).

Every solver accepts a :class:`~dlspectra.curvature.CurvatureOperator`, any object with
``matvec``/``dim``/``device``/``dtype``, or a dense symmetric matrix (wrapped in
:class:`DenseOperator`), and returns eigenvalues in descending order. What they share (the
result type, operator coercion, start vectors, selection, the one orthogonalisation, the Lanczos
recurrence) lives in :mod:`dlspectra.spectral._base`; no solver imports another.
"""

from dlspectra.curvature.base import DenseOperator

from ._base import EigResult, as_operator, lanczos_tridiagonal, orthogonalise
from .density import DeflatedOperator, kernel_sigma, lanczos_density, lanczos_log_density, spectrum_bounds
from .lanczos import lanczos_top_k
from .power import power_iteration_top_k, subspace_iteration
from .restarted import lanczos_restarted
from .subspace import block_subspace_iteration
from .trace import hutchinson_trace, hutchpp_trace, slq_trace

__all__ = [
    "block_subspace_iteration",
    "DeflatedOperator",
    "DenseOperator",
    "EigResult",
    "as_operator",
    "hutchinson_trace",
    "hutchpp_trace",
    "kernel_sigma",
    "lanczos_density",
    "lanczos_log_density",
    "lanczos_restarted",
    "lanczos_top_k",
    "lanczos_tridiagonal",
    "orthogonalise",
    "power_iteration_top_k",
    "slq_trace",
    "spectrum_bounds",
    "subspace_iteration",
]
