"""Xie et al.'s power-law statistics of a spectrum (Section 2.3, Eqs. 1-3, 13-14; catalog-xie 0.5).

Given the top-K eigenvalues λ_1 >= ... >= λ_K of a matrix:

* MLE of the density exponent (Eq. 14), with λ_cutoff = λ_K (the paper prints "λ_k"; we read it as
  the smallest tested eigenvalue, which reproduces its tables): β̂ = 1 + K / Σ_i ln(λ_i / λ_cutoff).
* its standard error σ = (β̂ − 1)/√K (not written in the paper; it is the ``powerlaw`` package's
  value, and it reproduces the σ columns of the paper's tables).
* the rank-plot slope: ŝ_MLE = 1/(β̂ − 1) (Eq. 3; what the paper's tables report) and ŝ_OLS = minus
  the least-squares slope of log λ_k on log k (what its figures draw as the fitted line).
* the Kolmogorov-Smirnov distance between the empirical CDF and the fitted continuous power law
  F*(λ) = 1 − (λ/λ_cutoff)^(1−β̂), λ >= λ_cutoff (Eq. 13), in the paper's convention: the paper
  computes it with the ``powerlaw`` package (Section 2.3, App. A), which compares F* with the
  empirical CDF at one point per sample, F_emp(λ_(i)) = (fraction of samples < λ_(i)), i.e.
  d_ks = max_i |F*(λ_(i)) − (i−1)/K| (:func:`ks_distance_paper`). The textbook two-sided statistic
  sup_λ |F_emp − F*| (:func:`ks_distance`) also looks just after each jump; it is never smaller and
  at most 1/K larger (exactly 1/K larger in about half of Pareto samples). ``PowerLawFit.d_ks`` and
  its verdict use the paper's convention; ``PowerLawFit.d_ks_textbook`` keeps the other beside it.
* the critical value d_c = 1.36/√K (Massey 1951 at α = 0.05; Table 5).
* the verdict: power law **accepted when d_ks < d_c**. The paper also states the opposite direction
  (Section 2.3, App. A); its tables, Table 5's caption and App. D.4 use this one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .errors import SpectrumError

KS_COEFFICIENT_05 = 1.36
"""Massey's (1951) asymptotic α = 0.05 coefficient: d_c = 1.36 / √K (Xie Table 5)."""


def ks_critical_value(k: int, coefficient: float = KS_COEFFICIENT_05) -> float:
    """d_c = coefficient / √K (asymptotic formula, K > 35)."""
    if k < 1:
        raise ValueError(f"K must be positive, got {k}")
    return coefficient / float(np.sqrt(k))


def top_k_descending(eigenvalues: np.ndarray, k: int | None = None) -> np.ndarray:
    """The ``k`` largest values, sorted descending, as float64; rejects NaN / inf and non-positive values."""
    lam = np.asarray(eigenvalues, dtype=np.float64).ravel()
    if not np.all(np.isfinite(lam)):
        raise SpectrumError(f"spectrum has {int((~np.isfinite(lam)).sum())} NaN or infinite values")
    lam = np.sort(lam)[::-1]
    if k is not None:
        if k > lam.size:
            raise SpectrumError(f"asked for the top {k} eigenvalues of a spectrum of {lam.size}")
        lam = lam[:k]
    if lam.size < 2:
        raise SpectrumError("a power-law fit needs at least two eigenvalues")
    if lam[-1] <= 0:
        raise SpectrumError(f"the top-{lam.size} eigenvalues include non-positive values (smallest {lam[-1]:.3g}); "
                            "fit a smaller K")
    return lam


@dataclass(frozen=True)
class PowerLawFit:
    """Result of :func:`power_law_fit` (all floats; ``accepted`` is d_ks < d_c).

    ``d_ks``: the paper's (``powerlaw`` package's) KS distance, which decides ``accepted``;
    ``d_ks_textbook``: the textbook two-sided sup distance of the same fit (>= d_ks, by at most 1/K).
    """

    k: int
    beta: float
    sigma: float
    s_mle: float
    s_ols: float
    d_ks: float
    d_c: float
    lambda_max: float
    lambda_cutoff: float
    d_ks_textbook: float = math.nan

    @property
    def accepted(self) -> bool:
        """The paper's verdict: power law accepted when d_ks < d_c (d_ks in the paper's convention)."""
        return self.d_ks < self.d_c

    @property
    def accepted_textbook(self) -> bool:
        """The verdict with the textbook statistic, d_ks_textbook < d_c (shown beside, never deciding)."""
        return self.d_ks_textbook < self.d_c

    @property
    def ratio(self) -> float:
        """d_ks / d_c (Xie Tables 12/13: < 1 means accepted)."""
        return self.d_ks / self.d_c

    def as_dict(self) -> dict:
        return dict(asdict(self), accepted=self.accepted, accepted_textbook=self.accepted_textbook, ratio=self.ratio)


def mle_beta(lam_desc: np.ndarray) -> float:
    """Eq. (14) with λ_cutoff = the smallest value of ``lam_desc``."""
    logs = np.log(lam_desc / lam_desc[-1])
    total = logs.sum()
    if total <= 0:
        raise SpectrumError("all tested eigenvalues are equal: the power-law exponent is undefined")
    return 1.0 + lam_desc.size / total


def _fitted_cdf(x: np.ndarray, beta: float | np.ndarray, cutoff: float | np.ndarray) -> np.ndarray:
    """F*(x) = 1 − (x/cutoff)^(1−β) of the continuous power law (Eq. 13); broadcasts."""
    return 1.0 - (x / cutoff) ** (1.0 - beta)


def ks_distance(lam: np.ndarray, beta: float, cutoff: float) -> float:
    """Textbook two-sided KS distance sup_λ |F_emp − F*| for the power law ``beta`` above ``cutoff``.

    ``lam``: shape (K,), any order. Both sides of every jump of the empirical CDF count:
    max_i max(i/K − F*(λ_(i)), F*(λ_(i)) − (i−1)/K), λ_(1) <= ... <= λ_(K). Not the paper's
    statistic (see :func:`ks_distance_paper`); shown beside it.
    """
    x = np.sort(np.asarray(lam, dtype=np.float64))
    k = x.size
    fitted = _fitted_cdf(x, beta, cutoff)
    upper = np.arange(1, k + 1) / k - fitted
    lower = fitted - np.arange(k) / k
    return float(max(upper.max(), lower.max()))


def ks_distance_paper(lam: np.ndarray, beta: float, cutoff: float) -> float:
    """The paper's KS distance (the ``powerlaw`` package's ``D``): max_i |F*(λ_(i)) − F_<(λ_(i))|.

    ``lam``: shape (K,), any order; F_<(λ) = (number of samples < λ)/K, evaluated once at each
    sample (ties share one point), as ``powerlaw.Distribution.KS`` does. Never larger than
    :func:`ks_distance`, and at most 1/K smaller.
    """
    x = np.sort(np.asarray(lam, dtype=np.float64))
    below = np.searchsorted(x, x, side="left") / x.size
    return float(np.abs(_fitted_cdf(x, beta, cutoff) - below).max())


def rank_slope(lam_desc: np.ndarray, skip_top: int = 0) -> float:
    """ŝ_OLS: minus the least-squares slope of log λ_k on log k, k = skip_top+1 .. K."""
    k = np.arange(1, lam_desc.size + 1)[skip_top:]
    return float(-np.polyfit(np.log(k), np.log(lam_desc[skip_top:]), 1)[0])


def power_law_fit(eigenvalues: np.ndarray, k: int | None = None) -> PowerLawFit:
    """Xie's power-law statistics of the top ``k`` values of ``eigenvalues`` (all of them if None).

    ``eigenvalues``: any order, shape (n,). Raises :class:`~dlspectra.errors.SpectrumError` on NaN,
    too few values or non-positive values among the top k.
    """
    lam = top_k_descending(eigenvalues, k)
    beta = mle_beta(lam)
    kk = lam.size
    return PowerLawFit(k=kk, beta=float(beta), sigma=float((beta - 1.0) / np.sqrt(kk)), s_mle=float(1.0 / (beta - 1.0)),
                       s_ols=rank_slope(lam), d_ks=ks_distance_paper(lam, beta, lam[-1]),
                       d_c=ks_critical_value(kk), lambda_max=float(lam[0]), lambda_cutoff=float(lam[-1]),
                       d_ks_textbook=ks_distance(lam, beta, lam[-1]))


def eigengaps(eigenvalues: np.ndarray, k: int) -> np.ndarray:
    """δ_j = λ_j − λ_{j+1}, j = 1..k, from the top k+1 eigenvalues (Xie Eq. 9, Fig. 2). Shape (k,)."""
    lam = np.sort(np.asarray(eigenvalues, dtype=np.float64))[::-1][:k + 1]
    if lam.size < k + 1:
        raise SpectrumError(f"{k} gaps need {k + 1} eigenvalues, got {lam.size}")
    return lam[:-1] - lam[1:]


def powerlaw_package_fit(eigenvalues: np.ndarray, k: int | None = None) -> dict:
    """Cross-check with the ``powerlaw`` package (Alstott et al.), the library the paper used.

    xmin is fixed to λ_K (no xmin search, which is slow and would change the tested set) and the
    exponent range widened to [1, 10] (powerlaw 2.x restricts alpha to [0, 3] by default).
    Returns ``{"beta", "sigma", "d_ks"}``.
    """
    import warnings

    import powerlaw

    lam = top_k_descending(eigenvalues, k)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        fit = powerlaw.Fit(lam, xmin=float(lam[-1]), discrete=False, verbose=False,
                           parameter_ranges={"alpha": [1.0, 10.0]})
        return {"beta": float(fit.power_law.alpha), "sigma": float(fit.power_law.sigma),
                "d_ks": float(fit.power_law.D)}


def powerlaw_xmin_search(eigenvalues: np.ndarray, k: int | None = None) -> dict:
    """The ``powerlaw`` package's xmin search beside Xie et al.'s fixed cutoff (Sec. 2.2 fixes
    xmin = λ_K; Clauset, Shalizi & Newman 2009, Sec. 3.3, choose the xmin that minimises the KS
    distance of the fitted tail).

    Parameters
    ----------
    eigenvalues : numpy.ndarray
        A spectrum, any order; its top ``k`` (all when ``k`` is None) are searched.
    k : int, optional
        How many of the largest eigenvalues to search over.

    Returns
    -------
    dict
        ``xmin`` (the chosen cutoff), ``k_tail`` (eigenvalues at or above it), ``beta``, ``sigma``
        and ``d_ks`` of the power law fitted above it.

    Raises
    ------
    SpectrumError
        Fewer than ``k`` eigenvalues, or non-finite ones.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> lam = np.concatenate([rng.pareto(1.5, 2000) + 1.0, rng.uniform(0.1, 1.0, 2000)])
    >>> r = powerlaw_xmin_search(lam)
    >>> 0.8 < r["xmin"] < 1.6 and 2.2 < r["beta"] < 2.8
    True
    """
    import warnings

    import powerlaw

    lam = top_k_descending(eigenvalues, k)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        fit = powerlaw.Fit(lam, discrete=False, verbose=False, parameter_ranges={"alpha": [1.0, 10.0]})
        xmin = float(fit.xmin)
        return {"xmin": xmin, "k_tail": int(np.count_nonzero(lam >= xmin)), "beta": float(fit.power_law.alpha),
                "sigma": float(fit.power_law.sigma), "d_ks": float(fit.power_law.D)}


def kolmogorov_coefficient(alpha: float) -> float:
    """Asymptotic KS coefficient c(α) with P(√K·D > c) = α (Kolmogorov distribution; 1.358 for α = 0.05)."""
    from scipy.special import kolmogi

    return float(kolmogi(alpha))


def exact_critical_value(k: int, alpha: float) -> float:
    """Finite-K critical value of the one-sample KS statistic for a fully specified CDF (scipy ``kstwo``)."""
    from scipy.stats import kstwo

    return float(kstwo.ppf(1.0 - alpha, k))


def simulated_critical_value(k: int, alpha: float = 0.05, *, beta: float = 2.0, num_samples: int = 2000,
                             seed: int = 0, convention: str = "paper") -> float:
    """(1−α) quantile of d_ks when β̂ and λ_cutoff are fitted on the same K values (Lilliefors effect).

    Draws ``num_samples`` sets of K i.i.d. Pareto values with exponent ``beta`` (x_min = 1), fits each
    exactly as :func:`power_law_fit` does (λ_cutoff = the smallest value, MLE β̂) and returns the
    quantile of the resulting d_ks (``convention="paper"``: :func:`ks_distance_paper`, as
    ``PowerLawFit.d_ks``; ``"textbook"``: :func:`ks_distance`). Vectorised over the sets. Smaller than
    d_c = 1.36/√K: with a fitted exponent, Massey's value makes the test lenient.
    """
    if convention not in ("paper", "textbook"):
        raise ValueError(f"convention must be 'paper' or 'textbook', got {convention!r}")
    rng = np.random.default_rng(seed)
    u = rng.random((num_samples, k))
    x = np.sort((1.0 - u) ** (-1.0 / (beta - 1.0)), axis=1)  # ascending
    cutoff = x[:, :1]
    b = 1.0 + k / np.log(x / cutoff).sum(axis=1, keepdims=True)
    fitted = _fitted_cdf(x, b, cutoff)
    below = np.arange(k) / k  # continuous draws: no ties
    lower = (fitted - below).max(axis=1)
    upper = (below + (1.0 / k if convention == "textbook" else 0.0) - fitted).max(axis=1)
    return float(np.quantile(np.maximum(upper, lower), 1.0 - alpha))


LR_ALTERNATIVES = ("lognormal", "exponential", "truncated_power_law")
"""The alternatives of :func:`likelihood_ratio_tests` (Clauset, Shalizi & Newman 2009, Sec. 5)."""


def likelihood_ratio_tests(eigenvalues: np.ndarray, k: int | None = None,
                           alternatives: tuple[str, ...] = LR_ALTERNATIVES) -> dict[str, dict]:
    """The likelihood-ratio comparison of the power law with other heavy-tailed laws on the top ``k``
    eigenvalues (Clauset, Shalizi & Newman 2009; the ``powerlaw`` package's ``Fit.distribution_compare``).

    xmin is fixed to λ_K, as in :func:`powerlaw_package_fit` (the tested set is the paper's). For
    each alternative: ``R``, the log-likelihood ratio (> 0 favours the power law; normalised by its
    standard deviation for the non-nested lognormal and exponential, raw for the nested truncated
    power law), ``p``, its
    significance (Vuong's test; for the nested truncated power law the package's nested test),
    ``favours``: ``"power law"`` or the alternative when p < 0.1, else ``"neither"``.
    Evidence beside the paper's KS test, not its verdict.

    Examples
    --------
    >>> lam = 1.0 / np.arange(1, 201)
    >>> out = likelihood_ratio_tests(lam)
    >>> sorted(out) == sorted(LR_ALTERNATIVES)
    True
    """
    import warnings

    import powerlaw

    lam = top_k_descending(eigenvalues, k)
    out: dict[str, dict] = {}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        fit = powerlaw.Fit(lam, xmin=float(lam[-1]), discrete=False, verbose=False,
                           parameter_ranges={"alpha": [1.0, 10.0]})
        for alt in alternatives:
            r, p = fit.distribution_compare("power_law", alt, normalized_ratio=alt != "truncated_power_law")
            r, p = float(r), float(p)
            favours = "neither" if not p < 0.1 else ("power law" if r > 0 else alt.replace("_", " "))
            out[alt] = {"R": r, "p": p, "favours": favours}
    return out
