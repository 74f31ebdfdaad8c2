"""Xie et al.'s solver cross-check and optimizer / sharpness pages (Figs. 3, 11, 16).

Composed from :mod:`dlspectra.papers.xie.pipeline` (cached runs and fits) and :mod:`dlspectra.spectral`.
The eigengap helpers moved to :mod:`dlspectra.papers.xie.eigengaps` (re-exported here).

* :func:`optimizer_runs` — the LeNet-MNIST runs of the optimizer comparison, as described in
  :mod:`dlspectra.papers.xie.presets.lenet_mnist` (the SGD one is the fig01 baseline).
* :func:`~dlspectra.spectra.hessian_trace` (re-exported) — the cached Hutchinson estimate of Tr(H) (Fig. 16).
* :func:`spearman` — Spearman's rank correlation (ties averaged).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from dlspectra.spectra import hessian_trace, spectrum_spec
from dlspectra.papers.xie.eigengaps import GapFit, gap_fit, gap_plot, resolved_count  # noqa: F401 (moved there)
from dlspectra.papers.xie.pipeline import Run, fit_spectrum, lenet_run


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
