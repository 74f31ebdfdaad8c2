"""One house style for every figure: rank plots on log-log axes, densities, histograms with references."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from dlspectra.fits import PowerLawFit

STYLE = {"figure.dpi": 110, "savefig.dpi": 110, "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False,
         "axes.spines.right": False, "legend.frameon": False, "font.size": 10}


def use_style() -> None:
    """Apply the house style to matplotlib's global settings."""
    plt.rcParams.update(STYLE)


def rank_plot(ax: plt.Axes, eigenvalues: np.ndarray, *, label: str, fit: PowerLawFit | None = None,
              color: str | None = None, marker: str = ".", normalise: bool = False) -> None:
    """Eigenvalues (descending) against their rank k on log-log axes, with the fitted line.

    The line is the rank law implied by the fitted density: with p(λ) ∝ λ^(-β̂) above λ_cutoff = λ_K,
    the expected rank of λ is K (λ/λ_K)^(-(β̂-1)), i.e. λ_k = λ_K (K/k)^ŝ with ŝ = 1/(β̂-1) (Xie Eq. 3,
    the tables' ŝ). It passes through (K, λ_K) and is drawn over k = 1..K. ``normalise`` divides
    everything by λ_1 (the protein figures).
    """
    lam = np.sort(np.asarray(eigenvalues, dtype=float))[::-1]
    lam = lam[lam > 0]
    scale = lam[0] if normalise else 1.0
    k = np.arange(1, lam.size + 1)
    line = ax.loglog(k, lam / scale, marker, ms=3, label=label, color=color, alpha=0.85)
    if fit is not None:
        kk = np.arange(1, fit.k + 1)
        ax.loglog(kk, fit.lambda_cutoff / scale * (fit.k / kk) ** fit.s_mle, "-", lw=1.2, color=line[0].get_color(),
                  alpha=0.9, label=f"fit ŝ = {fit.s_mle:.3f}")
    ax.set_xlabel("rank k")
    ax.set_ylabel("eigenvalue λ_k" + (" / λ_1" if normalise else ""))


def density_plot(ax: plt.Axes, grid: np.ndarray, density: np.ndarray, *, label: str, logy: bool = True) -> None:
    """A spectral density on a grid (log y-axis by default, as Papyan's figures)."""
    ax.plot(grid, density, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("eigenvalue")
    ax.set_ylabel("density")


def histogram_with_reference(ax: plt.Axes, samples: np.ndarray, bins: int | Sequence[float], *, label: str,
                             references: dict | None = None, xmax: float | None = None) -> None:
    """Normalised histogram of ``samples`` with reference densities ``{name: (x, pdf)}`` drawn over it."""
    ax.hist(samples, bins=bins, density=True, alpha=0.5, label=label, range=(0, xmax) if xmax else None)
    for name, (x, y) in (references or {}).items():
        ax.plot(x, y, lw=1.5, label=name)
    ax.set_ylabel("density")


def distinct_styles(names: Sequence[str]) -> dict[str, dict]:
    """``{name: {"color", "marker"}}``: distinct colours (the tab20 palette, dark shades first) and
    markers for up to 20 series (e.g. the 11 optimizers of Xie et al.), in the order given; the
    same name gets the same style on every page that lists the same names."""
    cmap = matplotlib.colormaps["tab20"]
    order = list(range(0, 20, 2)) + list(range(1, 20, 2))
    markers = "osD^vP*X<>hpd8H1234+x"
    if len(names) > len(order):
        raise ValueError(f"distinct_styles: at most {len(order)} names, got {len(names)}")
    return {n: {"color": cmap(order[i]), "marker": markers[i]} for i, n in enumerate(names)}
