"""Xie et al.'s pipeline, composed from the package: train (cached) -> top-K Hessian eigenvalues
(cached) -> power-law fit; plus the small tables every Xie page shows.

``run = lenet_run(p, "mnist")`` is the SGD baseline of the preset ``p``'s scale; ``random=True`` its
seeded random initialisation; other keywords change the recipe (optimizer, batch size, label
noise, ...; see :func:`dlspectra.recipes.xie_train_config`). Two notebooks asking for the same run
share the cached model and spectrum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import SpectrumError
from .fits import PowerLawFit, power_law_fit
from .page import Markdown
from .recipes import xie_train_config
from .results import format_value, markdown_table
from .spectra import Spectrum, SpectrumSpec, spectrum_spec, top_eigenvalues
from .train import TrainedModel, train_model


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


def fit_row(run: Run) -> list[str]:
    """Table 1 columns for one run: d_ks, d_c, power law?, β̂ ± σ, ŝ, ŝ_OLS, test accuracy."""
    f = run.fit
    acc = run.test_accuracy
    return [run.label, f"{f.d_ks:.4f}", f"{f.d_c:.4f}", "Yes" if f.accepted else "No",
            f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}", f"{f.s_ols:.3f}",
            f"{100 * acc:.1f} %" if acc is not None else "—"]


FIT_HEAD = ["run", "d_ks", "d_c", "power law", "β̂ ± σ", "ŝ = 1/(β̂−1)", "ŝ_OLS", "test acc."]


def fit_table(runs: list[Run]) -> Markdown:
    """Our numbers in the paper's table layout."""
    return Markdown(markdown_table(FIT_HEAD, [fit_row(r) for r in runs]))


def comparison_table(rows: list[tuple[str, dict | None, PowerLawFit | None]]) -> Markdown:
    """Paper vs this run, side by side: ``(label, paper {d_ks, beta, sigma, s}, our fit)`` per row."""
    head = ["run", "d_ks paper", "d_ks ours", "d_c paper", "d_c ours", "β̂ paper", "β̂ ours", "ŝ paper", "ŝ ours"]
    out = []
    for label, paper, fit in rows:
        paper = paper or {}
        beta_p = (f"{paper['beta']:.3f} ± {paper['sigma']:.3f}" if paper.get("sigma") is not None
                  else format_value(paper.get("beta")))
        out.append([label, format_value(paper.get("d_ks")), f"{fit.d_ks:.4f}" if fit else "not run",
                     format_value(paper.get("d_c")), f"{fit.d_c:.4f}" if fit else "—",
                     beta_p, f"{fit.beta:.3f} ± {fit.sigma:.3f}" if fit else "—",
                     format_value(paper.get("s")), f"{fit.s_mle:.3f}" if fit else "—"])
    return Markdown(markdown_table(head, out))


def lenet_setup_rows(p: dict, datasets: list[str], *, paper_epochs: str = "50 (MNIST), 200 (others)") -> list[list]:
    """Rows of the "paper vs this run" setup table for LeNet figures, read from the preset."""
    h = p["hessian"]
    sizes = "; ".join(f"{d}: {p['lenet'][d]['train_n'] or 'all'} samples, {p['lenet'][d]['epochs']} epochs"
                      for d in datasets)
    return [
        ["model", "LeNet-5 (ReLU)", "LeNet-5 (ReLU), PyTorch default init"],
        ["training data", "full training sets", sizes],
        ["optimizer", "SGD, momentum 0.9, lr 0.1, batch 128, wd 5e-4, lr /10 at 40 %/80 %", "same"],
        ["epochs", paper_epochs, "see training data"],
        ["Hessian over", "the training set (not stated which part)",
         f"first {h['hessian_n'] or 'all'} training samples, eval mode, no weight decay"],
        ["eigenvalues", "top 1000 by Lanczos (plots: top 6000)",
         f"top {h['k']} by Lanczos (full reorthogonalisation, ≤ {h['max_steps']} steps, tol {h['tol']:g})"],
        ["KS test", "d_c = 1.36/√K = 0.0430 (K = 1000)", f"d_c = 1.36/√K = {1.36 / np.sqrt(h['k']):.4f} (K = {h['k']})"],
        ["seed", "not reported (single runs)", str(p.get("seed", 0))],
    ]


def convergence_note(runs: list[Run]) -> str:
    """A sentence on Lanczos convergence of each run (unconverged runs named)."""
    bad = [r.label for r in runs if not r.spectrum.converged]
    if not bad:
        return "Every spectrum converged (all top-K Ritz residuals below the tolerance)."
    return ("Lanczos did not converge to the tolerance within the step budget for: " + ", ".join(bad)
            + ". Their top-K values are then Ritz values, which sit inside the true spectrum; the smallest"
              " of them (the tail of the rank plot) are the least accurate. Flat spectra (random networks)"
              " converge slowest.")
