"""Xie et al.'s fully connected networks (Figs. 4, 13, 18, 20; Tables 8, 10) on top of :mod:`dlspectra.papers.xie.pipeline`.

One canonical model config per network, so that every page asking for "the 2Layer-FCN of width
100" gets the same cache entry: ``{"depth": d, "width": w}`` plus ``activation`` / ``batchnorm``
only when they differ from the defaults (ReLU, no BatchNorm) of :func:`dlspectra.models.fcn`.
"""

from __future__ import annotations

import numpy as np

from dlspectra.models import build_model, num_params
from dlspectra.spectra import SpectrumSpec, spectrum_spec
from dlspectra.papers.xie.pipeline import Run, fit_spectrum, lenet_run

LNN_CONFIGS: dict[str, dict] = {
    "plain": {"activation": "identity"},
    "batchnorm": {"activation": "identity", "batchnorm": True},
    "relu": {},
}
"""Table 10's 4Layer-LNN rows: "-" (linear), "w/ BatchNorm" (linear + BN), "w/ ReLu" (= 4Layer-FCN)."""


def fcn_config(depth: int = 2, width: int = 100, activation: str = "relu", batchnorm: bool = False) -> dict:
    """The canonical ``model_config`` of an FCN (defaults left out; see the module docstring)."""
    cfg: dict = {"depth": int(depth), "width": int(width)}
    if activation != "relu":
        cfg["activation"] = activation
    if batchnorm:
        cfg["batchnorm"] = True
    return cfg


def fcn_params(config: dict, in_features: int = 784, num_classes: int = 10) -> int:
    """Number of trainable parameters of the FCN ``config`` (784 inputs, 10 classes: MNIST)."""
    return num_params(build_model("fcn", in_features=in_features, num_classes=num_classes, **config))


def fcn_run(p: dict, *, depth: int = 2, width: int | None = None, activation: str = "relu",
            batchnorm: bool = False, random: bool = False, label: str | None = None, device: str = "auto",
            spectrum: SpectrumSpec | None = None, progress: bool = True, **train_changes) -> Run:
    """An FCN on MNIST with the preset's MNIST recipe (trained, or its random init), its spectrum and fit.

    The spectrum: ``spectrum``, else the preset's ``hessian`` block with ``p["fcn_k"][depth]`` on top
    (a larger K for a cheap depth); the fit: the top ``p["fit_k"]`` (when set), so the rows of a page
    share one K and one critical value.
    """
    cfg = fcn_config(depth, p.get("width", 100) if width is None else width, activation, batchnorm)
    if spectrum is None:
        spectrum = spectrum_spec(p, **p.get("fcn_k", {}).get(depth, {}))
    run = lenet_run(p, "mnist", model="fcn", model_config=cfg, random=random, label=label, device=device,
                    spectrum=spectrum, progress=progress, **train_changes)
    if p.get("fit_k") and spectrum.matrix == "hessian":
        run.fit = fit_spectrum(run.spectrum, min(p["fit_k"], run.spectrum.eigenvalues.size))
    return run


PAPER_LR_GRID = (10.0, 1.0, 0.1, 0.01, 0.001, 0.0001)
"""Xie App. B: "We select the optimal learning rate for each experiment from {0.0001, ..., 10} for SGD"."""


def fcn_run_trainable(p: dict, *, start_lr: float = 0.1, **kwargs) -> tuple[Run, float, list[float]]:
    """:func:`fcn_run` at the first learning rate of the paper's SGD grid, from ``start_lr`` down,
    at which training does not diverge (the recipe's lr 0.1 first).

    Returns ``(run, lr used, learning rates that diverged)``. A diverged attempt costs the epochs up
    to the divergence (it raises :class:`FloatingPointError` in :func:`dlspectra.train.train_model`).
    """
    diverged: list[float] = []
    for lr in [x for x in PAPER_LR_GRID if x <= start_lr]:
        changes = {} if lr == 0.1 else {"lr": lr}  # lr 0.1 is the recipe's: same cache key as fcn_run
        try:
            return fcn_run(p, **kwargs, **changes), lr, diverged
        except FloatingPointError:
            diverged.append(lr)
    raise FloatingPointError(f"training diverged at every learning rate of the grid from {start_lr} down")


def avila_spec(p: dict) -> SpectrumSpec:
    """The Avila Hessian spec (preset block ``avila_hessian``: all training rows, K = 50)."""
    return spectrum_spec({"hessian": p["avila_hessian"], "seed": p.get("seed", 0)})


def avila_run(p: dict, *, random: bool = False, label: str | None = None, device: str = "auto",
              progress: bool = True) -> Run:
    """The 2Layer-FCN (10 -> 100 -> 12) on Avila (Fig. 13), trained or at random init."""
    return lenet_run(p, "avila", model="fcn", model_config=fcn_config(2, p.get("width", 100)), random=random,
                     label=label, device=device, spectrum=avila_spec(p), progress=progress)


def covariance_spec(p: dict) -> SpectrumSpec:
    """Fig. 20's spec: the per-sample-gradient covariance over the first M training samples."""
    c = p["covariance"]
    return spectrum_spec(p, matrix="gradient-covariance", n=c["covariance_n"], k=c["k"],
                         max_steps=c["max_steps"], tol=c["tol"])


def positive_count(eigenvalues: np.ndarray, rel_tol: float = 1e-6) -> int:
    """How many eigenvalues exceed ``rel_tol`` x the largest (the numerically non-zero part)."""
    lam = np.asarray(eigenvalues, dtype=float)
    return int(np.sum(lam > rel_tol * lam.max()))


def fcn_setup_rows(p: dict, model_paper: str, model_ours: str, *, datasets: tuple[str, ...] = ("mnist",),
                   paper_epochs: str = "not stated for FCNs (catalog: the MNIST recipe, 50 epochs)") -> list[list]:
    """The "paper vs this run" setup rows of :func:`dlspectra.papers.xie.pipeline.lenet_setup_rows` with the model row
    replaced by ``model_paper`` / ``model_ours``."""
    from dlspectra.papers.xie.tables import lenet_setup_rows

    rows = lenet_setup_rows(p, list(datasets), paper_epochs=paper_epochs)
    rows[0] = ["model", model_paper, model_ours]
    return rows
