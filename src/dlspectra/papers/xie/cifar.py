"""Xie et al.'s CIFAR runs: ResNet18 on CIFAR-10 (fig14, fig19, tab09) and LeNet on CIFAR-10 across
optimizers (fig15, fig17, tab07), built on :func:`dlspectra.papers.xie.pipeline.lenet_run`.

* :func:`resnet_run`: ``lenet_run`` with the preset's ResNet blocks (``resnet`` = training-set size
  and epochs per data set, ``resnet_model`` = model config, ``resnet_hessian`` = spectrum), so the
  three ResNet pages share every cached model and spectrum.
* :func:`optimizer_run`: LeNet on CIFAR-10 with one optimizer (the paper's CIFAR learning rate),
  spectrum from the preset's ``cifar_hessian`` block (shared by fig15, fig17 and tab07).
* :func:`optimizer_runs`: every optimizer of the preset, a training that diverges (NaN loss) handled
  as App. B of the paper reads (see :data:`GRID_SELECTED`): recorded, never a crash. Its
  :class:`LrOutcome` per optimizer says which learning rate each run was trained at.
* :func:`optimizer_styles`: a distinct colour and marker per optimizer (11 in one legend).
* :func:`hessian_trace`: cached Hutchinson estimate of Tr(H) over the same samples as the spectrum.
* :func:`paper_batch`: the paper batch size a ci batch size stands for (same B/N).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import torch

from dlspectra.cache import Cache
from dlspectra.optim import PAPER_LR_CIFAR
from dlspectra.spectra import SpectrumSpec, build_operator, spectrum_spec
from dlspectra.spectra import hessian_trace as spectra_hessian_trace
from dlspectra.train import resolve_device
from dlspectra.book.plotting import distinct_styles as optimizer_styles  # noqa: F401 - the pages' name
from dlspectra.papers.xie.fcn import PAPER_LR_GRID
from dlspectra.papers.xie.pipeline import Run, lenet_run
from dlspectra.papers.xie.recipes import xie_train_config
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


GRID_SELECTED = ("sgd", "vanilla-sgd", "adai", "pnm", "lookahead")
"""Optimizers whose learning rate the paper selected from its grid. App. B: "We select the optimal
learning rate for each experiment from {0.0001, 0.001, 0.01, 0.1, 1, 10} for SGD and use the default
learning rate for adaptive gradient methods"; the optimizers not at the adaptive default 0.001 (on
CIFAR: Vanilla SGD, Adai, PNM at 1; SGD, Lookahead at 0.1) got a grid value. When one of them
diverges (NaN loss) at the paper's CIFAR rate, the rate that selection could have chosen at this
scale is the next grid value below at which training does not diverge (as
:func:`dlspectra.papers.xie.fcn.fcn_run_trainable` does); an adaptive optimizer that diverges at its
default rate is recorded as diverged, with no other rate tried."""


@dataclasses.dataclass(frozen=True)
class LrOutcome:
    """Which learning rate an optimizer's LeNet was trained at.

    ``paper_lr``: the paper's CIFAR rate; ``lr``: the rate of the run the page uses (None: training
    diverged at every rate tried, there is no run); ``diverged``: the rates at which training
    diverged, in the order tried; ``message``: the last divergence message.
    """

    optimizer: str
    paper_lr: float
    lr: float | None
    diverged: tuple[float, ...] = ()
    message: str = ""

    @property
    def changed(self) -> bool:
        """Whether the run is not at the paper's rate (a divergence moved it, or there is none)."""
        return self.lr != self.paper_lr


def _rates(optimizer: str, dataset: str) -> list[float]:
    """The rates :func:`optimizer_runs` tries for ``optimizer``, the paper's first."""
    paper = PAPER_LR_CIFAR[optimizer]
    if optimizer not in GRID_SELECTED:
        return [paper]
    return [paper] + [x for x in PAPER_LR_GRID if x < paper]


def optimizer_runs(p: dict, optimizers: list[str] | None = None, dataset: str = "cifar10", *,
                   device: str = "auto", progress: bool = True, label_prefix: str = "",
                   cache: Cache | None = None) -> tuple[dict[str, Run], dict[str, LrOutcome]]:
    """:func:`optimizer_run` for each of ``optimizers`` (default ``p["optimizers"]``) on ``dataset``.

    A training that diverges (:class:`FloatingPointError` from :func:`dlspectra.train.train_model`)
    is recorded in the cache (namespace ``training-diverged``, keyed by the training config), so a
    warm page does not train it again; the next rate of :data:`GRID_SELECTED`'s rule is tried.
    Returns ``(runs, outcomes)``: ``runs`` holds the optimizers that trained (in order), ``outcomes``
    every optimizer's :class:`LrOutcome`.
    """
    cache = cache or Cache()
    runs: dict[str, Run] = {}
    outcomes: dict[str, LrOutcome] = {}
    for opt in optimizers if optimizers is not None else p["optimizers"]:
        paper_lr = PAPER_LR_CIFAR[opt]
        diverged: list[float] = []
        message = ""
        for lr in _rates(opt, dataset):
            changes = {} if lr == paper_lr else {"lr": lr}  # the paper's rate: the cache key of optimizer_run
            key = {"train": xie_train_config(p, dataset, optimizer=opt, **changes).key_config(), "_version": 1}
            record = cache.load("training-diverged", key, "json")
            if record is None:
                try:
                    runs[opt] = lenet_run(p, dataset, optimizer=opt, label=f"{label_prefix}{opt}", device=device,
                                          spectrum=cifar_spec(p), progress=progress, **changes)
                except FloatingPointError as exc:
                    record = cache.save("training-diverged", key, "json", {"message": str(exc)})
            if record is None:
                outcomes[opt] = LrOutcome(opt, paper_lr, lr, tuple(diverged), message)
                break
            diverged.append(lr)
            message = str(record["message"])
        else:
            outcomes[opt] = LrOutcome(opt, paper_lr, None, tuple(diverged), message)
    return runs, outcomes


def lr_rows(outcomes: dict[str, LrOutcome], runs: dict[str, Run]) -> list[list[str]]:
    """Rows (optimizer, paper lr, lr trained at, diverged at, test accuracy) of a page's lr table."""
    rows = []
    for opt, o in outcomes.items():
        acc = runs[opt].test_accuracy if opt in runs else None
        rows.append([opt, f"{o.paper_lr:g}", "— (no run)" if o.lr is None else f"{o.lr:g}",
                     ", ".join(f"{x:g}" for x in o.diverged) or "—",
                     "—" if acc is None else f"{100 * acc:.1f} %"])
    return rows


LR_HEAD = ["optimizer", "paper lr (CIFAR)", "trained at", "diverged at (NaN loss)", "test acc."]


def lr_note(outcomes: dict[str, LrOutcome], among: list[str] | None = None) -> str:
    """A claim note naming the optimizers of ``among`` (default all) not trained at the paper's rate:
    those with no run (training diverged at every rate tried) and those trained at a lower grid
    rate after a divergence; "" when every one is at the paper's rate."""
    moved = [o for o in outcomes.values() if o.changed and (among is None or o.optimizer in among)]
    parts = []
    for o in moved:
        at = ", ".join(f"{x:g}" for x in o.diverged)
        parts.append(f"{o.optimizer}: training diverged at lr {at}, no spectrum" if o.lr is None else
                     f"{o.optimizer} trained at lr {o.lr:g} (diverged at {at}; the paper's grid, App. B)")
    return "; ".join(parts)


def all_hold(present: list[bool], missing: int) -> bool | None:
    """A claim "for every optimizer": False when it fails on a run that exists, None (inconclusive)
    when it holds on every existing run but ``missing`` optimizers have no run, else True."""
    if not all(present):
        return False
    return None if missing else True


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


def lenet_cifar_setup_rows(p: dict, outcomes: dict[str, LrOutcome] | None = None) -> list[list]:
    """Setup rows of the LeNet-CIFAR optimizer pages (fig15, fig17, tab07), read from the preset and,
    for the learning rates, from the :func:`optimizer_runs` ``outcomes`` (when given)."""
    c = p["lenet"]["cifar10"]
    h = p["cifar_hessian"]
    moved = [o for o in (outcomes or {}).values() if o.changed]
    lrs = "same" if not moved else "same, except " + "; ".join(
        f"{o.optimizer}: diverged at {', '.join(f'{x:g}' for x in o.diverged)}, "
        + ("no run" if o.lr is None else f"trained at {o.lr:g} (next value of the paper's grid, App. B)")
        for o in moved) + " — ci change"
    return [
        ["model", "LeNet-5 (ReLU)", "LeNet-5 (ReLU), PyTorch default init (62,006 params)"],
        ["training data", "CIFAR-10, 50,000 images, flip + crop augmentation",
         f"CIFAR-10, {c['train_n'] or 'all'} images"
         + (" (offline subset of CIFAR-10: 4,000 train / 1,000 test)" if c["train_n"] else "") + ", flip + crop"],
        ["optimizers", "11: SGD, Vanilla SGD, Adam, AMSGrad, AdaBound, Yogi, RAdam, Adai, PNM, Lookahead, DiffGrad",
         f"{len(p['optimizers'])}: " + ", ".join(p["optimizers"])],
        ["learning rates", "SGD, Lookahead 0.1; Vanilla SGD, Adai, PNM 1; adaptive 0.001 (SGD-type selected "
         "from {1e-4, ..., 10}, App. B)", lrs],
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
