"""Spectra the Papyan pages share, computed once per network and settings (``dlspectra.cache``, namespace
``papyan-spectra``): the G decomposition's knockouts (figs 5, 6, tab01) and the Hessian / G / E
spectra with and without rank-C deflation (figs 3, 4, 14, 16, 17); and the readings of those
spectra that the claims' rules use (mass below −3σ, bulk RMS, weighted peaks, tail fits).

All spectra follow App. D.2 with the preset's sizes: Normalization (M0, tau), LanczosApproxSpec
(M, K = 1024, kappa), the log variant (push-forward of the Ritz values, epsilon = 1e-5), and the
top eigenvalues by Lanczos with full reorthogonalisation (:func:`dlspectra.spectral.lanczos_top_k`;
the page reports whether they converged) in place of the paper's 128 subspace iterations.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from dlspectra.cache import cached
from dlspectra.spectral import kernel_sigma, lanczos_density, lanczos_log_density, lanczos_restarted, lanczos_top_k
from dlspectra.spectral.density import DeflatedOperator

from .pipeline import Network, decompose, operators

EPSILON = 1e-5
"""log(G + 1e-5 I), Fig. 6 caption (the paper gives no value for Fig. 5)."""

KNOCKOUTS = ("G", "class", "cross", "same")
"""G and G minus each low-rank piece (G minus G_within = the rank-C^2 'between' matrix: exact)."""

VARIANTS = ("top", "defl", "full")
"""What :func:`hessian_spectra` computes per operator: the top C (Lanczos), the density of the
rank-C-deflated operator, the undeflated density."""


def top_eigs(op, k: int, p: dict, *, return_vectors: bool = False, which: str = "LA", tol: float = 1e-4):
    """Top-``k`` eigenpairs with the preset's solver: ``"full"`` (Lanczos with full
    reorthogonalisation, at most ``top_k_steps`` basis vectors) or ``"restarted"`` (thick-restart
    Lanczos in a basis of ``3 k`` vectors, for paper-scale networks; at most ``4 top_k_steps`` products)."""
    if p.get("solver", "full") == "restarted":
        return lanczos_restarted(op, k, max_basis=max(3 * k, k + 20), max_matvecs=4 * int(p["top_k_steps"]), tol=tol,
                                 return_vectors=return_vectors, which=which, progress=False)
    return lanczos_top_k(op, k, num_steps=p["top_k_steps"], tol=tol, return_vectors=return_vectors, which=which,
                         progress=False)


def _solver_key(p: dict) -> dict:
    return {} if p.get("solver", "full") == "full" else {"solver": p["solver"]}


def _top(op, k: int, p: dict) -> tuple[np.ndarray, bool, int]:
    r = top_eigs(op, k, p)
    return r.eigenvalues, bool(r.converged), int(r.num_matvecs)


def g_knockout_spectra(p: dict, net: Network, *, top_k: int = 40) -> dict:
    """Top ``top_k`` eigenvalues and log densities (``p["log_steps"]`` Lanczos steps) of ``G`` and
    ``G ⊖ piece`` (class, cross, c=c'), the exact eigenvalues of the pieces (Gram matrices) and of
    ``G ⊖ G_within``. Cached."""
    key = {"net": net.trained.config.key_config(), "what": "g-knockouts", "top_k": top_k,
           "log_steps": p["log_steps"], "top_k_steps": p["top_k_steps"], "normalization_steps": p["normalization_steps"],
           "epsilon": EPSILON, "version": 1, **_solver_key(p)}

    def compute() -> dict:
        dec = decompose(net)
        out: dict[str, np.ndarray] = {}
        for name in ("class", "cross", "same", "between"):
            out[f"exact_{name}"] = dec.eigenvalues(name)
        for name in KNOCKOUTS:
            op = dec.G if name == "G" else dec.knockout(name)
            ev, conv, mv = _top(op, top_k, p)
            u, d = lanczos_log_density(op, num_steps=p["log_steps"], epsilon=EPSILON,
                                       normalization_steps=p["normalization_steps"], seed=0)
            out[f"top_{name}"], out[f"conv_{name}"], out[f"mv_{name}"] = ev, np.array(conv), np.array(mv)
            out[f"u_{name}"], out[f"dens_{name}"] = u, d
        out["wc"] = dec.structure.pieces.class_weights.cpu().numpy()
        out["wcc"] = dec.structure.weights.cpu().numpy()
        return out

    return cached("papyan-spectra", key, compute)


def _density_kw(p: dict) -> dict:
    return dict(num_steps=p["num_steps"], kappa=p["kappa"], normalization_steps=p["normalization_steps"],
                margin=p["margin"], seed=0)


def hessian_spectra(p: dict, net: Network, split: str, want: dict[str, tuple[str, ...]], *, C: int = 10) -> dict:
    """``{op: {...}}`` for the operators in ``want`` (``"hess"``, ``"G"``, ``"E"``) on the ``split``
    data, each with the :data:`VARIANTS` asked for:

    * ``"top"``: ``top`` (the top C by Lanczos; E: largest ``|λ|``), ``converged``, ``matvecs``;
    * ``"defl"``: ``x_defl``, ``dens_defl`` (density of the operator with its top-C eigenvectors
      projected out; needs ``"top"``, computed with it);
    * ``"full"``: ``x``, ``dens`` (undeflated density).

    Each (operator, variant) is cached separately, so pages share what they have in common.
    """
    out: dict[str, dict] = {}
    base = {"net": net.trained.config.key_config(), "what": "hessian", "split": split, "C": C,
            "normalization_steps": p["normalization_steps"], "version": 2, **_solver_key(p)}
    for name, variants in want.items():
        bad = set(variants) - set(VARIANTS)
        if bad:
            raise ValueError(f"hessian_spectra: unknown variants {sorted(bad)}; valid: {VARIANTS}")
        res: dict = {"dim": np.array(net.num_params)}
        if "top" in variants or "defl" in variants:
            key = dict(base, op=name, variant="top+defl", top_k_steps=p["top_k_steps"], num_steps=p["num_steps"],
                       kappa=p["kappa"], margin=p["margin"])

            def compute_top(name=name) -> dict:
                op = operators(net, split)[name]
                r = top_eigs(op, C, p, return_vectors=True, which="LA" if name != "E" else "LM")
                d = {"top": r.eigenvalues, "converged": np.array(bool(r.converged)), "matvecs": np.array(r.num_matvecs)}
                if name != "E":  # E has no outliers to deflate (Sec. 5.1): only its undeflated density is read
                    d["x_defl"], d["dens_defl"] = lanczos_density(DeflatedOperator(op, r.eigenvectors), **_density_kw(p))
                return d

            res.update(cached("papyan-spectra", key, compute_top))
        if "full" in variants:
            key = dict(base, op=name, variant="full", num_steps=p["num_steps"], kappa=p["kappa"], margin=p["margin"])

            def compute_full(name=name) -> dict:
                x, d = lanczos_density(operators(net, split)[name], **_density_kw(p))
                return {"x": x, "dens": d}

            res.update(cached("papyan-spectra", key, compute_full))
        out[name] = res
    return out


# ----------------------------------------------------------------------------- reading densities


def kernel_width(x: np.ndarray, num_steps: int, kappa: float) -> float:
    """The Gaussian kernel's std in the operator's units for a density on the grid ``x`` (Alg. 3):
    ``kernel_sigma(M, kappa)`` times the half-width ``d`` of the normalised range the grid spans."""
    return kernel_sigma(num_steps, kappa) * (x[-1] - x[0]) / 2


def _mass(x: np.ndarray, dens: np.ndarray, mask: np.ndarray) -> float:
    dx = x[1] - x[0]
    return float(dens[mask].sum() * dx / max(dens.sum() * dx, 1e-300))


def negative_mass(x: np.ndarray, dens: np.ndarray, sigma_units: float = 0.0) -> float:
    """Probability mass of a density below ``-sigma_units`` (e.g. 3 kernel widths)."""
    return _mass(x, dens, x < -abs(sigma_units))


def negative_excess(x: np.ndarray, dens: np.ndarray, sigma: float) -> float:
    """Mass below ``-3 sigma`` divided by Φ(−3) (fig03 "negative eigenvalues").

    The density is ``sum_m w_m g_sigma(x - theta_m)`` with ``sum w = 1``. A Ritz value ``theta >= 0``
    puts at most ``w Φ(−3)`` below ``-3 sigma``; so a ratio above 1 proves a Ritz value below 0,
    and Ritz values are never below the smallest eigenvalue: the operator has a negative eigenvalue.
    The kernel's smoothing of the null-space spike alone gives at most 1 (a ratio, not a threshold of ours).
    """
    return negative_mass(x, dens, 3 * sigma) / float(0.5 * math.erfc(3 / math.sqrt(2)))


def bulk_rms(x: np.ndarray, dens: np.ndarray, sigma: float) -> float:
    """Root mean square eigenvalue ``sqrt(sum_i lambda_i^2 / p)`` of a Lanczos density (fig04).

    The Gaussian mixture's second moment is ``sum_m w_m (theta_m^2 + sigma^2)``, so the kernel's
    ``sigma^2`` is subtracted; the null eigenvalues add nothing (unlike to a quantile width, which
    the null-space spike sets). Units: those of the operator.
    """
    dx = x[1] - x[0]
    m0 = float(dens.sum() * dx)
    m2 = float((x ** 2 * dens).sum() * dx) / max(m0, 1e-300)
    return float(math.sqrt(max(m2 - sigma ** 2, 0.0)))


def bulk_width(x: np.ndarray, dens: np.ndarray, lo: float = 0.01, hi: float = 0.99) -> float:
    """Width of the central ``[lo, hi]`` probability interval of a density on a grid (shown, not a rule:
    the null-space spike sets it)."""
    cdf = np.cumsum(dens) * (x[1] - x[0])
    cdf = cdf / cdf[-1]
    return float(np.interp(hi, cdf, x) - np.interp(lo, cdf, x))


def upper_support(x: np.ndarray, dens: np.ndarray, q: float = 0.999) -> float:
    """The ``q`` quantile of a density on a grid (upper edge of its bulk)."""
    cdf = np.cumsum(dens)
    return float(np.interp(q, cdf / cdf[-1], x))


def peaks(x: np.ndarray, dens: np.ndarray) -> list[tuple[float, float]]:
    """Local maxima of a density on a grid with the mass of each one's basin (between the
    neighbouring local minima): ``[(location, mass), ...]``, masses as fractions of the total."""
    d = np.asarray(dens, dtype=float)
    dx = x[1] - x[0]
    total = max(d.sum() * dx, 1e-300)
    i_max = [i for i in range(1, len(d) - 1) if d[i] > d[i - 1] and d[i] >= d[i + 1]]
    i_min = [0] + [i for i in range(1, len(d) - 1) if d[i] < d[i - 1] and d[i] <= d[i + 1]] + [len(d) - 1]
    out = []
    for i in i_max:
        lo = max(j for j in i_min if j < i)
        hi = min(j for j in i_min if j > i)
        out.append((float(x[i]), float(d[lo:hi + 1].sum() * dx / total)))
    return out


def min_peak_mass(dim: int) -> float:
    """The least basin mass of a peak that holds an eigenvalue: the 5 % quantile of a random start
    vector's weight on one eigenvector (chi-square with 1 dof, divided by the dimension ``dim``)."""
    from .claims import CHI2_1_Q05

    return CHI2_1_Q05 / float(dim)


def weighted_peaks_near(x: np.ndarray, dens: np.ndarray, values, *, dim: int, rel: float = 0.05) -> int:
    """How many ``values`` have, within ``rel`` (relative) of them, a local maximum of the density
    whose basin holds at least one eigenvalue's weight (:func:`min_peak_mass`): a Ritz value of
    negligible weight makes a local maximum too, but no visible outlier."""
    pk = [(loc, m) for loc, m in peaks(x, dens) if m >= min_peak_mass(dim)]
    return int(sum(any(abs(loc - v) <= rel * abs(v) for loc, _ in pk) for v in np.asarray(values, dtype=float)))


def peaks_near(x: np.ndarray, dens: np.ndarray, values: np.ndarray, rel: float = 0.05) -> int:
    """How many ``values`` have any local maximum of the density within ``rel`` (shown beside the
    weighted count; no rule reads it)."""
    pk = [loc for loc, _ in peaks(x, dens)]
    return int(sum(any(abs(q - v) <= rel * abs(v) for q in pk) for v in np.asarray(values, dtype=float)))


def tail_fits(x: np.ndarray, dens: np.ndarray, sigma: float, *, q: float = 0.995) -> dict:
    """Fig. 16: straight-line fits to both tails of a symmetric-ish density, on ``3 sigma <= |λ| <=``
    the ``q`` quantile of ``|λ|``: a power law (``log10 φ`` against ``log10 |λ|``) and an
    exponential (``log10 φ`` against ``|λ|``) on the same points, with their R².

    Returns ``{"positive": {...}, "negative": {...}, "hi": ...}``; each side ``slope``, ``amplitude``
    (φ = amplitude |λ|^slope), ``R2`` (power law), ``R2_exp`` (exponential), ``n`` (grid points),
    ``lx``/``ly`` (the fitted points, log10).
    """
    ax_abs = np.abs(x)
    dx = x[1] - x[0]
    order = np.argsort(ax_abs)
    cdf = np.cumsum(dens[order]) * dx
    hi = float(np.interp(q, cdf / cdf[-1], ax_abs[order]))
    out: dict = {"hi": hi}
    for side, m in (("positive", x > 3 * sigma), ("negative", x < -3 * sigma)):
        sel = m & (ax_abs <= hi) & (dens > 0)
        lx, ly, lin = np.log10(ax_abs[sel]), np.log10(dens[sel]), ax_abs[sel]
        if sel.sum() < 3:
            out[side] = {"slope": float("nan"), "amplitude": float("nan"), "R2": float("nan"), "R2_exp": float("nan"),
                         "n": int(sel.sum()), "lx": lx, "ly": ly}
            continue
        r2 = {}
        for name, xx in (("pl", lx), ("exp", lin)):
            b, a = np.polyfit(xx, ly, 1)
            r2[name] = (float(b), float(a), 1 - float(np.sum((ly - (b * xx + a)) ** 2) / np.sum((ly - ly.mean()) ** 2)))
        out[side] = {"slope": r2["pl"][0], "amplitude": float(10 ** r2["pl"][1]), "R2": r2["pl"][2],
                     "R2_exp": r2["exp"][2], "n": int(sel.sum()), "lx": lx, "ly": ly}
    return out


def log_window_mass(u: np.ndarray, dens: np.ndarray, eigs: np.ndarray, epsilon: float = EPSILON) -> float:
    """Mass of a log-density ``dens(u)``, ``u = log(λ + ε)``, between the logs of the smallest and the
    largest of ``eigs`` (those above ``10 ε``; fig05's window of the exact G_cross eigenvalues)."""
    e = np.asarray(eigs, dtype=float)
    e = e[e > 10 * epsilon]
    if len(e) == 0:
        return float("nan")
    lo, hi = np.log(e.min() + epsilon), np.log(e.max() + epsilon)
    return _mass(u, dens, (u >= lo) & (u <= hi))


def main_bulk(u: np.ndarray, dens: np.ndarray, epsilon: float = EPSILON, q: tuple[float, float] = (0.1, 0.9)) -> dict:
    """The main bulk of a log-density of a PSD operator: the part above ``log(10 ε)`` (below lies the
    null space, a spike at ``log ε``): its mode and its ``q`` quantile interval, in ``u`` units."""
    nz = u > np.log(10 * epsilon)
    uu, dd = u[nz], dens[nz]
    cdf = np.cumsum(dd)
    cdf = cdf / cdf[-1]
    return {"mode": float(uu[np.argmax(dd)]), "lo": float(np.interp(q[0], cdf, uu)), "hi": float(np.interp(q[1], cdf, uu))}


def torch_free(x) -> np.ndarray:
    """A numpy copy of a cached value (numpy arrays come back from the cache already)."""
    return x.cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
