"""Curvature operators on flat parameter vectors.

* :class:`HessianOperator` -- Hessian of the data-set average loss (HVPs by double backward or
  forward-over-reverse ``torch.func``),
* :class:`GGNOperator` -- generalised Gauss-Newton ``G = J^T H_loss J``,
* :class:`ResidualOperator` -- ``E = H - G`` (Papyan Sec. 5),
* :class:`GradientCovarianceOperator` -- covariance of per-sample gradients (Xie Fig. 20),
* :class:`DenseOperator` -- wraps a dense symmetric matrix,
* :func:`dense_hessian` -- exact ``(P, P)`` Hessian of a small model,
* :func:`flat_params` -- the parameter vector the operators act on.

Every operator has ``dim``, ``device``, ``dtype``, ``num_matvecs``, ``matvec``, ``matmat``,
``@`` and ``to_scipy()``.  Models must be in eval mode.
"""

from .base import CurvatureOperator, DenseOperator, SpectrumError, check_finite, flat_params, select_params
from .operators import (
    HVP_METHODS,
    GGNOperator,
    GradientCovarianceOperator,
    HessianOperator,
    ResidualOperator,
    dense_hessian,
)

__all__ = [
    "CurvatureOperator",
    "DenseOperator",
    "GGNOperator",
    "GradientCovarianceOperator",
    "HVP_METHODS",
    "HessianOperator",
    "ResidualOperator",
    "SpectrumError",
    "check_finite",
    "dense_hessian",
    "flat_params",
    "select_params",
]
