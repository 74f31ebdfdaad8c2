"""Xie et al.'s eigengaps, solver cross-check and optimizer / sharpness pages (Figs. 2, 3, 11, 12, 16; Table 2).

Composed from :mod:`dlspectra.papers.xie.pipeline` (cached runs and fits) and :mod:`dlspectra.spectral`:

* :func:`gap_fit` — the power-law fit of the eigengaps δ_k = λ_k − λ_{k+1} of a spectrum (Eq. 9);
  :func:`resolved_count` — how many leading Ritz values met the Lanczos tolerance (gaps below that
  rank are not resolved); :func:`gap_plot` — the two panels of Figs. 2 and 12.
* :func:`optimizer_runs` — the LeNet-MNIST runs of the optimizer comparison, as described in
  :mod:`dlspectra.papers.xie.presets.lenet_mnist` (the SGD one is the fig01 baseline).
* :func:`~dlspectra.spectra.hessian_trace` (re-exported) — the cached Hutchinson estimate of Tr(H) (Fig. 16).
* :func:`spearman` — Spearman's rank correlation (ties averaged).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from dlspectra.fits import PowerLawFit, eigengaps, power_law_fit
from dlspectra.spectra import Spectrum, hessian_trace, spectrum_spec
from dlspectra.papers.xie.pipeline import Run, fit_spectrum, lenet_run


@dataclass(frozen=True)
class GapFit:
    """Eigengaps of a top-(K+1) spectrum and the power-law fit of their positive values."""

    gaps: np.ndarray          # δ_k in the original rank order, shape (K,)
    fit: PowerLawFit          # fit of the positive gaps (re-sorted descending)
    num_dropped: int          # gaps <= 0 (degenerate / unresolved pairs) left out of the fit


def gap_fit(eigenvalues: np.ndarray, k: int | None = None) -> GapFit:
    """Fit Xie's power law to the ``k`` gaps of the top ``k+1`` eigenvalues (all gaps when None).

    Gaps that are not positive (equal Ritz values) cannot enter a power-law fit and are dropped
    (their number is returned).
    """
    lam = np.asarray(eigenvalues, dtype=np.float64)
    k = lam.size - 1 if k is None else k
    gaps = eigengaps(lam, k)
    pos = gaps[gaps > 0]
    return GapFit(gaps, power_law_fit(pos), int(gaps.size - pos.size))


def resolved_count(spectrum: Spectrum, tol: float) -> int:
    """Number of leading eigenvalues whose Ritz residual is at most ``tol * |λ_1|`` (the Lanczos
    convergence test of :func:`dlspectra.spectral.lanczos_top_k`), counted from the top until the
    first one that fails."""
    ok = np.asarray(spectrum.residuals) <= tol * abs(float(spectrum.eigenvalues[0]))
    return int(ok.size if ok.all() else np.argmin(ok))


def gap_plot(ax_rank, ax_sorted, g: GapFit, *, label: str, color: str | None = None, resolved: int | None = None) -> None:
    """Xie Figs. 2/12: (a) δ_k against the eigenvalue rank k; (b) the gaps re-sorted descending
    against their own rank, with the fitted power law (log-log both). ``resolved`` marks the rank
    below which the Ritz values met the solver tolerance."""
    from dlspectra.book.plotting import rank_plot

    k = np.arange(1, g.gaps.size + 1)
    pos = g.gaps > 0
    ax_rank.loglog(k[pos], g.gaps[pos], ".", ms=4, color=color, label=label)
    if resolved is not None and resolved - 1 < g.gaps.size:
        ax_rank.axvline(max(resolved - 1, 1), color="0.5", ls=":", lw=1, label=f"Ritz values converged up to k = {resolved}")
    ax_rank.set_xlabel("eigenvalue rank k")
    ax_rank.set_ylabel("eigengap δ_k = λ_k − λ_{k+1}")
    rank_plot(ax_sorted, g.gaps[pos], label=label, fit=g.fit, color=color)
    ax_sorted.set_xlabel("rank of the gap (sorted descending)")
    ax_sorted.set_ylabel("eigengap")


def optimizer_run(o: dict, optimizer: str, *, device: str = "auto", progress: bool = True) -> Run:
    """The LeNet-MNIST run of ``optimizer`` under the optimizer preset ``o`` (module docstring of
    :mod:`dlspectra.papers.xie.presets.lenet_mnist`); its ``fit`` is taken at ``o["fit_k"]``."""
    if optimizer == "sgd":
        run = lenet_run(o, "mnist", device=device, label="SGD", progress=progress)
    else:
        run = lenet_run(o, "mnist", optimizer=optimizer, spectrum_changes=o["opt_hessian"], device=device,
                        label=optimizer, progress=progress)
    k = min(o["fit_k"], run.spectrum.eigenvalues.size)
    return dataclasses.replace(run, fit=fit_spectrum(run.spectrum, k))


def optimizer_runs(o: dict, *, device: str = "auto", progress: bool = True) -> dict[str, Run]:
    """``{optimizer: Run}`` for every optimizer of ``o["optimizers"]`` (cached)."""
    return {opt: optimizer_run(o, opt, device=device, progress=progress) for opt in o["optimizers"]}


def run_trace(o: dict, run: Run, device: str = "auto") -> tuple[float, float]:
    """:func:`hessian_trace` of a run of :func:`optimizer_runs` over the preset's Hessian samples."""
    return hessian_trace(run.trained, spectrum_spec(o), o["trace_probes"], device)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation of two equal-length samples (average ranks for ties)."""
    from scipy.stats import spearmanr

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size != y.size or x.size < 3:
        raise ValueError("spearman needs two samples of equal length >= 3")
    return float(spearmanr(x, y).statistic)
