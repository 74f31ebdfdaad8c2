"""Curvature operators on flat parameter vectors.

* :class:`HessianOperator` -- Hessian of the data-set average loss (HVPs by double backward or
  forward-over-reverse ``torch.func``),
* :class:`GGNOperator` -- generalised Gauss-Newton ``G = J^T H_loss J``,
* :class:`ResidualOperator` -- ``E = H - G`` (Papyan Sec. 5),
* :class:`GradientCovarianceOperator` -- covariance of per-sample gradients (Xie Fig. 20),
* :class:`DenseOperator` -- wraps a dense symmetric matrix,
* :func:`dense_hessian` -- exact ``(P, P)`` Hessian of a small model,
* :func:`flat_params` -- the parameter vector the operators act on,
* :func:`batch_hessian`, :func:`batch_hessian_spectra`, :func:`batch_gauss_newton` -- exact
  per-batch Hessians (float64, vmap over HVPs) and their spectra (:mod:`.exact`).

Every operator has ``dim``, ``device``, ``dtype``, ``num_matvecs``, ``matvec``, ``matmat``,
``@`` and ``to_scipy()``.  Models must be in eval mode (:func:`check_eval_mode`); every entry point
takes its data by the one contract of :mod:`dlspectra.curvature.inputs` (a DataLoader, an
iterable of ``(X, y)`` batches or one ``(X, y)`` pair), checked before any product; curvature is
that of the mean loss, eigenvalues come in descending order.
"""

from .base import (
    CurvatureOperator,
    DenseOperator,
    ProjectedOperator,
    SpectrumError,
    check_eval_mode,
    check_finite,
    flat_params,
    select_params,
)
from .inputs import as_batches, check_loss
from .operators import (
    HVP_METHODS,
    default_memory_budget,
    GGNOperator,
    GradientCovarianceOperator,
    HessianOperator,
    ResidualOperator,
    dense_hessian,
)
from .class_structure import (
    ClassStructureError,
    ExplicitSecondMoment,
    GDecomposition,
    GradientClassStructure,
    LinearCombination,
    LowRankOperator,
    ProjectionKnockout,
    check_model_and_labels,
    classification_data,
    cross_class_means,
    mean_decomposition,
    means_from_samples,
    orthonormal_basis,
    per_sample_extended_gradients,
)
from .kfac import (
    CFACOperator,
    KFACOperator,
    LayerStats,
    kfac_eigenvalues,
    layer_class_structure,
    layer_ggn_eigenvalues,
    layer_samples,
    linear_layers,
    project_out,
    project_out_rect,
)
from .logistic import (
    ccm_expected_fim,
    ccm_sample,
    class_moment_fim,
    logistic_fim,
    symmetric_probabilities,
    theorem81_eigenvalues,
    theorem81_levels,
)
from .exact import EXACT_METHODS, batch_gauss_newton, batch_hessian, batch_hessian_spectra, symmetric_eigenvalues

__all__ = [
    # Papyan's class / cross-class structure (class_structure, kfac, logistic)
    "CFACOperator", "ClassStructureError", "ExplicitSecondMoment", "GDecomposition", "GradientClassStructure",
    "KFACOperator", "LayerStats", "LinearCombination", "LowRankOperator", "ProjectionKnockout",
    "ccm_expected_fim", "ccm_sample", "check_model_and_labels", "class_moment_fim", "classification_data",
    "cross_class_means",
    "kfac_eigenvalues", "layer_class_structure", "layer_ggn_eigenvalues", "layer_samples", "linear_layers", "logistic_fim", "mean_decomposition",
    "means_from_samples", "orthonormal_basis", "per_sample_extended_gradients", "project_out", "project_out_rect",
    "symmetric_probabilities", "theorem81_eigenvalues", "theorem81_levels",
    "CurvatureOperator",
    "DenseOperator",
    "ProjectedOperator",
    "as_batches",
    "check_eval_mode",
    "check_loss",
    "default_memory_budget",
    "EXACT_METHODS",
    "GGNOperator",
    "GradientCovarianceOperator",
    "HVP_METHODS",
    "HessianOperator",
    "ResidualOperator",
    "batch_gauss_newton",
    "batch_hessian",
    "batch_hessian_spectra",
    "symmetric_eigenvalues",
    "SpectrumError",
    "check_finite",
    "dense_hessian",
    "flat_params",
    "select_params",
]
