"""Xie et al.'s pipeline, composed from the package: train (cached) -> top-K Hessian eigenvalues
(cached) -> power-law fit. The tables every Xie page shows are in :mod:`.tables`.

``run = lenet_run(p, "mnist")`` is the SGD baseline of the preset ``p``'s scale; ``random=True`` its
seeded random initialisation; other keywords change the recipe (optimizer, batch size, label
noise, ...; see :func:`dlspectra.papers.xie.recipes.xie_train_config`). Two notebooks asking for the same run
share the cached model and spectrum.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def test_accuracy(self) -> float | None:
        return self.trained.metrics.get("test", {}).get("accuracy")


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
               fit_spectrum(spec_run, spec.k))
