"""Spectral statistics of a set of batch spectra, the paper's histograms, and the claim rules.

:func:`summarise` turns ``m`` spectra ``(m, P)`` into the numbers every page reports
(catalog-baskerville 1.5, 1.6):

* ``rank``: numerical rank per spectrum (``|lambda| > P eps max|lambda|``, float64),
* ``frac_below``: fraction of eigenvalues with ``|lambda| <= cutoff`` per spectrum,
* ``spacings``: unfolded spacings (ensemble unfolding, a seeded random third unfolded against the
  other two thirds, the paper's Sec. 5; catalog D6) after the paper's zero cut-off (1e-20),
* ``ks``: KS distances of those spacings to the Wigner surmise and to Poisson,
* ``ratios``: spacing ratios ``r`` after the ratio cut-off (1e-10, the authors' batch value),
* ``rt``: ``<r~>`` with a bootstrap interval (over spectra) at the paper's cut-off,
* ``rt_rank``: the same on the numerically non-zero eigenvalues only (the rank-aware check), and
  ``ks_rank`` for the spacings unfolded from those.

Unfolding uses the piecewise-linear interpolation of the pooled counting function
(``rmt.unfold_ensemble(interpolate=True)``); the paper's step counts put every spacing on the
lattice ``1/m_pool`` and, with the few spectra of the ``ci`` scale, make even an exact GOE fail a KS
test (``ks_step`` keeps that number).  Ensemble unfolding with ``m_pool`` pooled spectra also
widens the spacing distribution by roughly the number variance over ``m_pool``, so the KS distance
of a finite ensemble is compared with a **GOE control** processed identically (same number of
spectra, dimension ``min(P, 400)``, same split).

The claims' rules live in :mod:`.claims` (GOE against Poisson from the interval of ``<r~>``, no
band of our own). Unfolded spacings follow Wigner when ``KS(Wigner) < max(0.05, KS_control + 0.02)``
and ``KS(Wigner) < KS(Poisson)``; :func:`wigner_value` gives the numbers that rule reads, and
:func:`rtilde_value` the ``<r~>`` estimate of a set of spectra (optionally only their numerically
non-zero eigenvalues).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import torch

from dlspectra import rmt
from dlspectra.curvature import symmetric_eigenvalues
from dlspectra.book.page import Markdown
from dlspectra.book.results import markdown_table

__all__ = ["KS_WIGNER_MAX", "Summary", "summarise", "wigner_like", "ks_threshold", "wigner_value", "rtilde_value", "nonzero_spacings",
           "goe_control_ks", "stats_rows",
           "stats_table", "plot_spacings", "plot_ratios", "plot_density", "fmt"]

#: largest KS distance to the Wigner surmise counted as agreement.
KS_WIGNER_MAX = 0.05
#: the paper's zero cut-offs: unfolded spacings (Sec. 6) and batch spacing ratios (the authors' code).
UNFOLD_CUTOFF = 1e-20
RATIO_CUTOFF = 1e-10


@dataclass
class Summary:
    """Numbers of one set of spectra (see the module docstring)."""

    label: str
    P: int
    m: int
    rank: np.ndarray
    frac_below: np.ndarray
    spacings: np.ndarray | None
    ks: rmt.SpacingKS | None
    ks_control: float | None
    ratios: np.ndarray
    rt: rmt.RTildeEstimate
    rt_rank: rmt.RTildeEstimate | None
    ks_rank: rmt.SpacingKS | None
    extra: dict = field(default_factory=dict)

    @property
    def ratios_below_10(self) -> np.ndarray:
        return self.ratios[self.ratios < 10]

    def as_dict(self) -> dict:
        out = {"P": self.P, "spectra": self.m, "rank_min": int(self.rank.min()), "rank_max": int(self.rank.max()),
               "frac_below_cutoff_min": float(self.frac_below.min()),
               "frac_below_cutoff_max": float(self.frac_below.max()), **self.rt.as_dict()}
        if self.ks is not None:
            out.update(self.ks.as_dict())
            out["ks_wigner_goe_control"] = self.ks_control
            out["ks_wigner_step_unfolding"] = self.extra.get("ks_step")
        if self.rt_rank is not None:
            out["mean_r_tilde_rank_aware"] = self.rt_rank.mean
        if self.ks_rank is not None:
            out["ks_wigner_rank_aware"] = self.ks_rank.ks_wigner
        return out


def _unfold(spectra, cutoff, seed, interpolate: bool = True):
    try:
        unf = rmt.unfold_ensemble(list(spectra), 1 / 3, seed=seed, cutoff=cutoff, interpolate=interpolate)
    except ValueError:
        return None, None
    s = rmt.nearest_neighbour_spacings(unf)
    return s, rmt.ks_spacings(s) if s.size > 1 else None


def goe_spectrum(n: int, seed: int | np.random.Generator | None = 0) -> np.ndarray:
    """Eigenvalues (ascending, float64) of one ``n x n`` GOE matrix :func:`dlspectra.rmt.sample_goe`
    (Baskerville et al., eq. 9), computed as every Hessian spectrum here is
    (:func:`dlspectra.curvature.symmetric_eigenvalues`: one LAPACK thread on the CPU), so the GOE
    references agree bit for bit between runs at any thread count."""
    return symmetric_eigenvalues(torch.from_numpy(rmt.sample_goe(int(n), seed=seed))).numpy()


@lru_cache(maxsize=32)
def goe_control_ks(m: int, P: int, seed: int = 0) -> float:
    """KS(Wigner) of ``m`` GOE spectra of size ``min(P, 400)``, unfolded as :func:`summarise` does."""
    n = int(min(P, 400))
    rng = np.random.default_rng(10_000 + seed)
    goe = [goe_spectrum(n, seed=rng) for _ in range(m)]
    return _unfold(goe, None, seed)[1].ks_wigner


def summarise(spectra: np.ndarray | list, label: str = "", *, unfold_cutoff: float | None = UNFOLD_CUTOFF,
              ratio_cutoff: float | None = RATIO_CUTOFF, frac_cutoff: float = UNFOLD_CUTOFF, unfold: bool = True,
              rank_aware: bool = True, seed: int = 0) -> Summary:
    """The statistics of ``spectra`` (``m`` arrays of eigenvalues); ``unfold=False`` for a single
    spectrum (full-data Hessians: ratios only)."""
    spectra = [np.sort(np.asarray(s, dtype=np.float64)) for s in spectra]
    if not spectra:
        raise ValueError("no spectra")
    P = int(max(s.size for s in spectra))
    rank = np.array([rmt.numerical_rank(s) for s in spectra])
    frac = np.array([float(np.mean(np.abs(s) <= frac_cutoff)) for s in spectra])
    spacings = ks = ks_rank = ks_control = None
    extra = {}
    if unfold and len(spectra) >= 3:
        spacings, ks = _unfold(spectra, unfold_cutoff, seed)
        ks_control = goe_control_ks(len(spectra), P, seed)
        step = _unfold(spectra, unfold_cutoff, seed, interpolate=False)[1]
        extra["ks_step"] = step.ks_wigner if step is not None else None
    ratios = np.concatenate([rmt.spacing_ratios(s, cutoff=ratio_cutoff) for s in spectra])
    rt = rmt.r_tilde_bootstrap(spectra, cutoff=ratio_cutoff, seed=seed)
    rt_rank = None
    if rank_aware:
        nz = [rmt.nonzero_eigenvalues(s) for s in spectra]
        if all(z.size >= 3 for z in nz):
            rt_rank = rmt.r_tilde_bootstrap(nz, seed=seed)
            if unfold and len(nz) >= 3:
                _, ks_rank = _unfold(nz, None, seed)
    return Summary(label, P, len(spectra), rank, frac, spacings, ks, ks_control, ratios, rt, rt_rank, ks_rank, extra)


def rtilde_value(spectra, *, cutoff: float | None = RATIO_CUTOFF, nonzero: bool = False, seed: int = 0):
    """``<r~>`` of ``spectra`` with its 95 % circular block-bootstrap interval, as the
    :class:`~dlspectra.book.rules.Estimate` the GOE rules read; ``nonzero``: only the numerically
    non-zero eigenvalues (``|lambda| > P eps max|lambda|``, no further cut-off)."""
    from dlspectra.book.rules import Estimate

    spectra = [np.asarray(s, dtype=np.float64) for s in spectra]
    if nonzero:
        spectra, cutoff = [rmt.nonzero_eigenvalues(s) for s in spectra], None
    est = rmt.r_tilde_bootstrap(spectra, cutoff=cutoff, seed=seed)
    return Estimate(float(est.mean), float(est.lo), float(est.hi), float(getattr(est, "level", 0.95)))


def nonzero_spacings(spectra, seed: int = 0) -> np.ndarray:
    """Unfolded spacings of the numerically non-zero eigenvalues of ``spectra`` (as :func:`summarise`)."""
    nz = [rmt.nonzero_eigenvalues(np.asarray(s, dtype=np.float64)) for s in spectra]
    s, _ = _unfold(nz, None, seed)
    return np.asarray(s if s is not None else [], dtype=np.float64)


def wigner_value(spectra, *, cutoff: float | None = UNFOLD_CUTOFF, nonzero: bool = False, seed: int = 0) -> dict:
    """The numbers the Wigner rule reads: KS(Wigner), KS(Poisson) and the threshold from a GOE
    control of the same number of spectra (dimension the smallest spectrum's), unfolded as
    :func:`summarise` does; ``nonzero``: only the numerically non-zero eigenvalues."""
    spectra = [np.sort(np.asarray(s, dtype=np.float64)) for s in spectra]
    if nonzero:
        spectra, cutoff = [rmt.nonzero_eigenvalues(s) for s in spectra], None
    _, ks = _unfold(spectra, cutoff, seed)
    if ks is None:
        return {"ks_wigner": float("nan"), "ks_poisson": float("nan"), "threshold": float("nan")}
    P = min(int(s.size) for s in spectra)
    ctrl = goe_control_ks(len(spectra), P, seed)
    return {"ks_wigner": float(ks.ks_wigner), "ks_poisson": float(ks.ks_poisson), "threshold": ks_threshold(ctrl),
            "ks_goe_control": float(ctrl), "var_s": float(ks.var), "spacings": int(ks.n), "spectra": len(spectra),
            "levels_min": P}


def ks_threshold(ks_control: float | None) -> float:
    """``max(0.05, KS_control + 0.02)``: the largest KS(Wigner) counted as agreement."""
    return max(KS_WIGNER_MAX, (ks_control or 0.0) + 0.02)


def wigner_like(ks: rmt.SpacingKS | None, ks_control: float | None = None) -> bool | None:
    """The Wigner rule: ``KS(Wigner) < max(0.05, KS_control + 0.02)`` and nearer Wigner than
    Poisson (None: no spacings)."""
    if ks is None:
        return None
    return bool(ks.ks_wigner < ks_threshold(ks_control) and ks.ks_wigner < ks.ks_poisson)


def fmt(x, digits: int = 3) -> str:
    if x is None:
        return "–"
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    return f"{float(x):.{digits}f}"


def stats_rows(summaries: list[Summary]) -> list[list[str]]:
    rows = []
    for s in summaries:
        rows.append([
            s.label, fmt(s.P), fmt(s.m), f"{int(s.rank.min()):,}–{int(s.rank.max()):,}",
            f"{s.frac_below.min():.3f}–{s.frac_below.max():.3f}",
            f"{s.rt.mean:.3f} [{s.rt.lo:.3f}, {s.rt.hi:.3f}]",
            fmt(s.rt_rank.mean if s.rt_rank is not None else None),
            fmt(s.ks.ks_wigner if s.ks else None), fmt(s.ks_control), fmt(s.ks.ks_poisson if s.ks else None),
            fmt(s.ks.var if s.ks else None), fmt(s.ks_rank.ks_wigner if s.ks_rank else None),
        ])
    return rows


def stats_table(summaries: list[Summary]) -> Markdown:
    """One row per set of spectra: P, spectra, numerical rank, fraction at/below 1e-20, ``<r~>``
    [95 % bootstrap], rank-aware ``<r~>``, KS to Wigner (and of the GOE control) / Poisson, var(s),
    rank-aware KS."""
    head = ["spectra", "P", "m", "numerical rank", "frac. |λ| ≤ 1e-20", "⟨r̃⟩ [95 %]",
            "⟨r̃⟩ rank-aware", "KS Wigner", "KS Wigner, GOE control", "KS Poisson", "var(s)", "KS Wigner rank-aware"]
    ref = ["GOE / Poisson reference", "", "", "", "", f"{rmt.GOE_MEAN_R_TILDE} / {rmt.POISSON_MEAN_R_TILDE:.4f}",
           "", "0", "", "0", "0.273 / 1", ""]
    return Markdown(markdown_table(head, stats_rows(summaries) + [ref]))


# ----------------------------------------------------------------------------- the paper's plots
def plot_spacings(ax, spacings: np.ndarray, *, bins: int = 35, title: str = "", poisson: bool = True) -> None:
    """Density histogram of unfolded spacings with the Wigner surmise (red) and Poisson (grey)."""
    s = np.asarray(spacings)
    ax.hist(s, bins=bins, range=(0, max(4.0, float(np.quantile(s, 0.999)))), density=True, color="C0", alpha=0.7)
    x = np.linspace(0, ax.get_xlim()[1], 300)
    ax.plot(x, rmt.wigner_surmise(x), color="red", label="Wigner surmise")
    if poisson:
        ax.plot(x, rmt.poisson_spacing_density(x), color="grey", ls="--", label="Poisson")
    ax.set_xlabel("Unfolded spacings")
    ax.set_title(title, fontsize=9)


def plot_ratios(ax, ratios: np.ndarray, *, bins: int = 40, title: str = "", poisson: bool = True) -> None:
    """Density histogram of spacing ratios ``r < 10`` (the paper's display cut; density of the
    truncated sample, as the paper) with the GOE surmise P(r) and Poisson ``1/(1+r)^2``."""
    r = np.asarray(ratios)
    r = r[r < 10]
    ax.hist(r, bins=bins, range=(0, 10), density=True, color="C0", alpha=0.7)
    x = np.linspace(0, 10, 400)
    ax.plot(x, rmt.goe_ratio_density(x), color="red", label="GOE surmise")
    if poisson:
        ax.plot(x, rmt.poisson_ratio_density(x), color="grey", ls="--", label="Poisson")
    ax.set_xlabel("r")
    ax.set_title(title, fontsize=9)


def plot_density(ax, eigs: np.ndarray, P: int, *, bins: int = 30, title: str = "") -> None:
    """The paper's global-density panels: eigenvalues / (2 sqrt P), 30 bins, density, log y."""
    x = np.asarray(eigs).ravel() / (2 * np.sqrt(P))
    ax.hist(x, bins=bins, density=True, color="C0", alpha=0.8)
    ax.set_yscale("log")
    ax.set_xlabel(r"$\lambda / (2\sqrt{P})$")
    ax.set_title(title, fontsize=9)


def density_shape(eigs: np.ndarray) -> dict:
    """Numbers behind "not semicircular": fraction with |λ| ≤ 1e-6 max|λ|, skewness, max λ over
    median |λ|, and the KS distance to the semicircle with the same mean and variance."""
    e = np.asarray(eigs, dtype=np.float64).ravel()
    top = np.abs(e).max()
    mu, sd = e.mean(), e.std()
    skew = float(np.mean(((e - mu) / sd) ** 3)) if sd > 0 else 0.0
    R = 2 * sd  # a semicircle of radius R has variance R^2 / 4
    x = np.sort(e - mu)
    t = np.clip(x / R, -1, 1)
    F = 0.5 + (t * np.sqrt(1 - t**2) + np.arcsin(t)) / np.pi
    n = x.size
    ks = float(max((np.arange(1, n + 1) / n - F).max(), (F - np.arange(n) / n).max()))
    med = float(np.median(np.abs(e)))
    return {"frac_near_zero": float(np.mean(np.abs(e) <= 1e-6 * top)), "skewness": skew,
            "max_over_median_abs": float(e.max() / med) if med > 0 else float("inf"), "ks_semicircle": ks}
