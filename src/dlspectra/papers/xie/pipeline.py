"""Xie et al.'s pipeline, composed from the package: train (cached) -> top-K Hessian eigenvalues
(cached) -> power-law fit. The tables every Xie page shows are in :mod:`.tables`.

``run = lenet_run(p, "mnist")`` is the SGD baseline of the preset ``p``'s scale; ``random=True`` its
seeded random initialisation; other keywords change the recipe (optimizer, batch size, label
noise, ...; see :func:`dlspectra.papers.xie.recipes.xie_train_config`). Two notebooks asking for the same run
share the cached model and spectrum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlspectra.errors import SpectrumError
from dlspectra.fits import PowerLawFit, power_law_fit
from dlspectra.papers.xie.recipes import xie_train_config
from dlspectra.spectra import Spectrum, SpectrumSpec, spectrum_spec, top_eigenvalues
from dlspectra.train import TrainedModel, train_model


@dataclass
class Run:
    """One trained (or random) model, its top-K spectrum and the power-law fit of it."""

    label: str
    trained: TrainedModel
    spectrum: Spectrum
    fit: PowerLawFit
    tol: float = 1e-6
    """The Lanczos tolerance the spectrum was asked for (its spec's ``tol``)."""

    @property
    def test_accuracy(self) -> float | None:
        return self.trained.metrics.get("test", {}).get("accuracy")

    @property
    def converged(self) -> bool:
        """Whether the eigenvalues the fit rests on (the top ``fit.k``) met the solver tolerance."""
        return top_converged(self.spectrum, self.fit.k, self.tol)


FLOAT32_TOL_FLOOR = 50 * float(np.finfo(np.float32).eps)
"""The tolerance floor of :func:`dlspectra.spectral.lanczos_top_k` for float32 products (50 eps)."""


def top_converged(spectrum: Spectrum, k: int, tol: float) -> bool:
    """Whether the top ``k`` Ritz values of ``spectrum`` have relative residuals within the tolerance.

    True when the whole solve converged; otherwise each of the top ``k`` residuals must be at most
    ``max(tol, 50 eps_float32) * |λ_1|`` (the solver's test, with |λ_1| for the scale: stricter
    than the solver's largest |Ritz value| when the spectrum is indefinite).
    """
    if spectrum.converged:
        return True
    lam = np.asarray(spectrum.eigenvalues, dtype=float)
    res = np.asarray(spectrum.residuals, dtype=float)
    if k > lam.size:
        return False
    scale = abs(float(lam[0])) if lam.size else 0.0
    return bool(np.all(res[:k] <= max(tol, FLOAT32_TOL_FLOOR) * scale))


def converged(*runs: "Run") -> bool:
    """``converged=`` of a claim resting on ``runs``: every run's fitted eigenvalues converged."""
    return all(r.converged for r in runs)


def fit_spectrum(spectrum: Spectrum, k: int | None = None) -> PowerLawFit:
    """Power-law fit of the top ``k`` eigenvalues; a spectrum with non-positive values among
    them is fitted on its positive part (a random net's Hessian is indefinite)."""
    lam = spectrum.eigenvalues
    try:
        return power_law_fit(lam, k)
    except SpectrumError:
        positive = lam[lam > 0]
        return power_law_fit(positive, min(k or positive.size, positive.size))


def lenet_run(p: dict, dataset: str = "mnist", *, random: bool = False, label: str | None = None,
              device: str = "auto", spectrum: SpectrumSpec | None = None, spectrum_changes: dict | None = None,
              progress: bool = True, **train_changes) -> Run:
    """Train (or load) the model and compute (or load) its spectrum and fit; see the module docstring."""
    if random:
        train_changes["epochs"] = 0
    cfg = xie_train_config(p, dataset, **train_changes)
    trained = train_model(cfg, device, progress=progress)
    spec = spectrum or spectrum_spec(p, **(spectrum_changes or {}))
    spec_run = top_eigenvalues(trained, spec, device, progress=progress)
    return Run(label or f"{dataset} {'random' if random else cfg.optimizer}", trained, spec_run,
               fit_spectrum(spec_run, spec.k), spec.tol)


def k_trend_runs(p: dict, device: str = "auto", *, progress: bool = True) -> dict[str, Run]:
    """The runs of a page's K trend (preset block ``k_trend``: ``dataset``, ``k``, ``max_steps``): the
    random and the SGD LeNet of that data set with one top-``k`` spectrum each (fit it at each K of
    ``ks`` with :func:`dlspectra.papers.xie.tables.k_fits`)."""
    t = p["k_trend"]
    ds, changes = t["dataset"], {"k": t["k"], "max_steps": t["max_steps"]}
    return {"random": lenet_run(p, ds, random=True, spectrum_changes=changes, device=device, progress=progress,
                                label=f"{ds}, random"),
            "sgd": lenet_run(p, ds, spectrum_changes=changes, device=device, progress=progress, label=f"{ds}, SGD")}
