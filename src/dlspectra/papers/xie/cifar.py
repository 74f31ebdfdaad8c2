"""Xie et al.'s CIFAR runs: ResNet18 on CIFAR-10 (fig14, fig19, tab09) and LeNet on CIFAR-10 across
optimizers (fig15, fig17, tab07), built on :func:`dlspectra.papers.xie.pipeline.lenet_run`.

* :func:`resnet_run`: ``lenet_run`` with the preset's ResNet blocks (``resnet`` = training-set size
  and epochs per data set, ``resnet_model`` = model config, ``resnet_hessian`` = spectrum), so the
  three ResNet pages share every cached model and spectrum.
* :func:`optimizer_run`: LeNet on CIFAR-10 with one optimizer (the paper's CIFAR learning rate),
  spectrum from the preset's ``cifar_hessian`` block (shared by fig15, fig17 and tab07).
* :func:`hessian_trace`: cached Hutchinson estimate of Tr(H) over the same samples as the spectrum.
* :func:`paper_batch`: the paper batch size a ci batch size stands for (same B/N).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import torch

from dlspectra.cache import Cache
from dlspectra.spectra import SpectrumSpec, build_operator, spectrum_spec
from dlspectra.spectra import hessian_trace as spectra_hessian_trace
from dlspectra.train import resolve_device
from dlspectra.papers.xie.pipeline import Run, lenet_run
from dlspectra.papers.xie.reference.cifar_tables import TABLE7, TABLE7_D_C, floats


def resnet_preset(p: dict) -> dict:
    """``p`` with its ResNet blocks in the places :func:`lenet_run` reads (``lenet``, ``hessian``)."""
    return dict(p, lenet=p["resnet"], hessian=p["resnet_hessian"])


def resnet_run(p: dict, dataset: str = "cifar10", *, random: bool = False, label: str | None = None,
               device: str = "auto", progress: bool = True, **train_changes) -> Run:
    """ResNet18 (width ``p["resnet_model"]["width"]``) trained with Xie's CIFAR recipe (or at random
    init), its top-K Hessian eigenvalues (model in eval mode) and their power-law fit."""
    return lenet_run(resnet_preset(p), dataset, random=random, label=label, device=device, progress=progress,
                     model="resnet18", model_config=dict(p["resnet_model"]), **train_changes)


def cifar_spec(p: dict) -> SpectrumSpec:
    """The spectrum spec of the LeNet-CIFAR optimizer pages (``p["cifar_hessian"]``)."""
    return spectrum_spec(dict(p, hessian=p["cifar_hessian"]))


def optimizer_run(p: dict, optimizer: str = "sgd", dataset: str = "cifar10", *, random: bool = False,
                  label: str | None = None, device: str = "auto", progress: bool = True) -> Run:
    """LeNet on ``dataset`` trained with ``optimizer`` at the paper's CIFAR learning rate (or at
    random init), with the spectrum of ``p["cifar_hessian"]``."""
    if random:
        return lenet_run(p, dataset, random=True, label=label or "random", device=device,
                         spectrum=cifar_spec(p), progress=progress)
    return lenet_run(p, dataset, optimizer=optimizer, label=label or optimizer, device=device,
                     spectrum=cifar_spec(p), progress=progress)


def hessian_trace(run: Run, spec: SpectrumSpec, num_probes: int, device: str = "auto", *,
                  cache: Cache | None = None) -> tuple[float, float]:
    """Hutchinson estimate of Tr(H) (mean, standard error) of a run over the samples of ``spec``:
    :func:`dlspectra.spectra.hessian_trace` with the spectrum's seed."""
    return spectra_hessian_trace(run.trained, spec, num_probes, device, seed=spec.seed, cache=cache)


def paper_batch(batch_size: int, train_n: int | None, paper_n: int = 50000) -> int:
    """The paper batch size with the same fraction B/N of the training set (steps per epoch)."""
    if train_n is None:
        return int(batch_size)
    return int(round(batch_size * paper_n / train_n))


def resnet_setup_rows(p: dict) -> list[list]:
    """Rows of the "paper vs this run" setup table of the ResNet pages, read from the preset."""
    c = p["resnet"]["cifar10"]
    h = p["resnet_hessian"]
    w = p["resnet_model"]["width"]
    n_params = {64: "11.2M", 32: "2.8M", 16: "701k", 8: "176k", 4: "44.6k"}.get(w, "?")
    return [
        ["model", "ResNet18 (BasicBlocks [2,2,2,2], widths 64-512, BatchNorm; 11.2M params)",
         f"same depth and blocks, base width {w} (widths {w}-{8 * w}; {n_params} params)"
         + (" — ci change" if w != 64 else "")],
        ["training data", "CIFAR-10, 50,000 images, flip + crop augmentation",
         f"CIFAR-10, {c['train_n'] or 'all'} images"
         + (" (offline subset of CIFAR-10: 4,000 train / 1,000 test)" if c["train_n"] else "") + ", flip + crop"],
        ["optimizer", "SGD, momentum 0.9, lr 0.1, batch 128, wd 5e-4, lr /10 at 40 %/80 %", "same"],
        ["epochs", "200 (not stated for ResNet18; CIFAR schedule implies 200)", str(c["epochs"])],
        ["Hessian over", "the training set (not stated which part)",
         f"first {h['hessian_n'] or 'all'} training images, eval mode (BatchNorm running statistics), no weight decay"],
        ["eigenvalues", "top 50 by Lanczos (\"due to the GPU memory limit\")",
         f"top {h['k']} by Lanczos (full reorthogonalisation, ≤ {h['max_steps']} steps, tol {h['tol']:g})"],
        ["KS test", "K = 50, d_c printed as 0.176 (Table 5 gives 0.192)", f"d_c = 1.36/√K = {1.36 / np.sqrt(h['k']):.3f}"],
        ["seed", "not reported (single runs)", str(p.get("seed", 0))],
    ]


#: Table 7 of the paper (LeNet, K = 1000, d_c = 0.0430): (data set, run) -> (d_ks, β̂, σ, ŝ), read from
#: :mod:`dlspectra.papers.xie.reference.cifar_tables`; the reference column of fig15, fig17 and tab07
#: (DiffGrad's ŝ 1.236 is as printed: 1/(β̂-1) = 1.245).
TAB07_PAPER: dict[tuple[str, str], tuple[float | None, ...]] = floats(TABLE7)

#: Optimizers the paper groups as adaptive (larger ŝ on CIFAR-10 LeNet) and as SGD-like (smaller ŝ).
ADAPTIVE = ("adam", "amsgrad", "yogi", "radam", "diffgrad")
SGD_LIKE = ("sgd", "vanilla-sgd", "lookahead")


def paper_row(dataset: str, run: str) -> dict:
    """A Table 7 row as the ``paper`` dict of :func:`dlspectra.papers.xie.pipeline.comparison_table`."""
    d, b, s, sh = TAB07_PAPER[(dataset, run)]
    return {"d_ks": d, "d_c": TABLE7_D_C.value, "beta": b, "sigma": s, "s": sh}


def lenet_cifar_setup_rows(p: dict) -> list[list]:
    """Setup rows of the LeNet-CIFAR optimizer pages (fig15, fig17, tab07), read from the preset."""
    c = p["lenet"]["cifar10"]
    h = p["cifar_hessian"]
    return [
        ["model", "LeNet-5 (ReLU)", "LeNet-5 (ReLU), PyTorch default init (62,006 params)"],
        ["training data", "CIFAR-10, 50,000 images, flip + crop augmentation",
         f"CIFAR-10, {c['train_n'] or 'all'} images"
         + (" (offline subset of CIFAR-10: 4,000 train / 1,000 test)" if c["train_n"] else "") + ", flip + crop"],
        ["optimizers", "11: SGD, Vanilla SGD, Adam, AMSGrad, AdaBound, Yogi, RAdam, Adai, PNM, Lookahead, DiffGrad",
         f"{len(p['optimizers'])}: " + ", ".join(p["optimizers"])],
        ["learning rates", "SGD, Lookahead 0.1; Vanilla SGD, Adai, PNM 1; adaptive 0.001", "same"],
        ["recipe", "batch 128, wd 5e-4, momentum 0.9, lr /10 at epochs 80 and 160", "same (lr /10 at 40 %/80 %)"],
        ["epochs", "not stated for CIFAR-10 (schedule implies 200)", str(c["epochs"])],
        ["Hessian over", "the training set (not stated which part)",
         f"first {h['hessian_n'] or 'all'} training images (no augmentation), eval mode, no weight decay"],
        ["eigenvalues", "top 1000 by Lanczos",
         f"top {h['k']} by Lanczos (full reorthogonalisation, ≤ {h['max_steps']} steps, tol {h['tol']:g})"],
        ["KS test", "d_c = 1.36/√K = 0.0430 (K = 1000)", f"d_c = 1.36/√K = {1.36 / np.sqrt(h['k']):.4f} (K = {h['k']})"],
        ["seed", "not reported (single runs)", str(p.get("seed", 0))],
    ]


def spectrum_on(trained, dataset: str, n: int | None, spec: SpectrumSpec, device: str = "auto", *,
                progress: bool = True, cache: Cache | None = None):
    """Top-K Hessian eigenvalues of ``trained`` over the first ``spec.n`` training samples of
    *another* data set (Table 7's "Evaluated on CIFAR-10" row: a CIFAR-100 model, CIFAR-10 images with
    their labels as class indices). ``n`` is that data set's training subset. Cached under the
    model's own training config plus the evaluation data (not the model's own spectrum key)."""
    from dlspectra import spectral
    from dlspectra.spectra import Spectrum

    data = dataclasses.replace(trained.config.data, name=dataset, n=n)
    swapped = dataclasses.replace(trained, config=trained.config.replace(data=data))
    cache = cache or Cache()
    key = {"train": trained.config.key_config(), "evaluated_on": dataclasses.asdict(data),
           "spectrum": dataclasses.asdict(spec), "_version": 1}

    def compute() -> dict:
        op = build_operator(swapped, spec, resolve_device(device))
        with warnings.catch_warnings():  # recorded in ``converged``; the page says it in its own words
            warnings.filterwarnings("ignore", message=r".*not converged.*")
            res = spectral.lanczos_top_k(op, spec.k, num_steps=spec.max_steps, tol=spec.tol, seed=spec.seed,
                                         progress=progress)
        return {"eigenvalues": np.asarray(res.eigenvalues, dtype=np.float64),
                "residuals": np.asarray(res.residuals, dtype=np.float64),
                "num_matvecs": np.int64(res.num_matvecs), "converged": np.bool_(res.converged), "seconds": np.float64(0)}

    out = cache.get_or_compute("spectra-cross", key, compute, "npz")
    trained.model.to(torch.float32)
    return Spectrum(out["eigenvalues"], out["residuals"], int(out["num_matvecs"]), bool(out["converged"]),
                    float(out["seconds"]))
